/**
 * HL7 aECG (annotated ECG, HL7 v3) annotation export: the clinician's interpretation and segment annotations of
 * one record as an AnnotatedECG annotationSet, for systems that read aECG. The waveforms stay in the .f32 file
 * of the dataset; this document carries annotations only.
 */
import type { AnnotatedCase } from '@shared/contract/clinician'
import type { EcgRecord } from '@shared/ecg'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Seconds from the start as an HL7 TS offset is not portable; we give relative times in ms as PQ values. */
export function aecgAnnotations(r: EcgRecord, c: AnnotatedCase): string {
  const items: string[] = []
  const label = c.label
  if (label.tier3 || label.tier4) items.push(annotation('MDC_ECG_INTERPRETATION_STATEMENT', `tier3=${label.tier3 ?? ''} tier4=${label.tier4 ?? ''}`))
  for (const code of label.codes ?? []) items.push(annotation('AHA_STATEMENT', code))
  for (const s of c.segments) {
    const leads = s.leads.includes('all') ? 'all' : s.leads.join(' ')
    items.push(`      <component><annotation>
        <code code="MDC_ECG_SEGMENT" codeSystem="2.16.840.1.113883.6.24"/>
        <value xsi:type="ST">${esc([s.code ? `code=${s.code}` : '', s.tier ? `tier=${s.tier}` : '', s.ai_wrong ? 'ai_wrong=true' : '', s.note].filter(Boolean).join('; '))}</value>
        <support><supportingROI><component><boundary>
          <code code="TIME_RELATIVE" codeSystem="2.16.840.1.113883.5.4"/>
          <value xsi:type="IVL_PQ"><low value="${(s.start_s * 1000).toFixed(0)}" unit="ms"/><high value="${(s.end_s * 1000).toFixed(0)}" unit="ms"/></value>
        </boundary></component><component><boundary><code code="LEADS"/><value xsi:type="ST">${esc(leads)}</value></boundary></component></supportingROI></support>
      </annotation></component>`)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<AnnotatedECG xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <id root="${esc(r.id)}"/>
  <code code="93000" codeSystem="2.16.840.1.113883.6.12"/>
  <component><series>
    <id root="${esc(r.id)}" extension="${esc(r.name)}"/>
    <subjectOf><annotationSet>
${items.join('\n')}
    </annotationSet></subjectOf>
  </series></component>
</AnnotatedECG>
`
}

function annotation(code: string, value: string): string {
  return `      <component><annotation><code code="${code}"/><value xsi:type="ST">${esc(value)}</value></annotation></component>`
}
