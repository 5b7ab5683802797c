/**
 * HL7 v3 annotated ECG (FDA aECG) XML: <AnnotatedECG> / component / series (code RHYTHM) / component /
 * sequenceSet / component / sequence. One sequence is the time axis (TIME_ABSOLUTE or TIME_RELATIVE with an
 * <increment>); each other is a lead (code MDC_ECG_LEAD_*) whose samples are origin + scale x <digits>.
 * Derived series (representative beats) are ignored: the rhythm strip is the recording.
 */
import type { EcgRecord, PatientInfo } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import { assembleRecord, singleFileIdentity, type RawChannel } from './assemble'
import { asText, decodeText } from './text'
import type { ImportContext, Importer, SourceFile } from './types'
import { unitsToMv } from './wfdb-header'
import { attr, child, children, find, parseXml, path, XmlSyntaxError, type XmlElement } from './xml'

function seconds(value: string | undefined, unit: string | undefined): number {
  const v = Number(value)
  const u = (unit ?? 's').toLowerCase()
  return u === 'ms' ? v / 1000 : u === 'us' ? v / 1e6 : u === 's' ? v : NaN
}

/** HL7 TS "20021122091000.000" -> ISO "2002-11-22T09:10:00". */
export function hl7TimeToIso(ts: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?/.exec(ts ?? '')
  if (!m) return undefined
  return m[4] !== undefined ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}` : `${m[1]}-${m[2]}-${m[3]}`
}

function rhythmSeries(root: XmlElement): XmlElement | undefined {
  const series = children(root, 'component').map((c) => child(c, 'series')).filter((s): s is XmlElement => s !== undefined)
  return series.find((s) => attr(child(s, 'code'), 'code') === 'RHYTHM') ?? series[0]
}

/** (digits text) -> (N,) millivolts: origin + scale * digit, in the units each carries. */
function leadSamples(file: string, label: string, value: XmlElement): Float32Array {
  const origin = child(value, 'origin')
  const scale = child(value, 'scale')
  const digits = child(value, 'digits')
  if (!scale || !digits) throw new EcgImportError('malformed-header', file, `lead ${label}: <scale> or <digits> is missing`)
  const sUnit = unitsToMv(attr(scale, 'unit') ?? 'uV')
  const oUnit = unitsToMv(attr(origin, 'unit') ?? attr(scale, 'unit') ?? 'uV')
  if (sUnit === undefined || oUnit === undefined) throw new EcgImportError('unsupported-format', file, `lead ${label}: units "${attr(scale, 'unit')}" are not a voltage`)
  const s = Number(attr(scale, 'value')) * sUnit
  const o = Number(attr(origin, 'value') ?? 0) * oUnit
  if (!Number.isFinite(s) || s === 0 || !Number.isFinite(o)) throw new EcgImportError('malformed-header', file, `lead ${label}: scale/origin are not usable numbers`)
  const tokens = digits.text.trim().split(/\s+/)
  const out = new Float32Array(tokens.length)
  for (let i = 0; i < tokens.length; i++) {
    const d = Number(tokens[i])
    if (!Number.isFinite(d) || tokens[i] === '') throw new EcgImportError('non-finite-samples', file, `lead ${label}: digit ${i} "${tokens[i]}" is not a finite number`)
    out[i] = o + s * d
  }
  return out
}

function patientOf(root: XmlElement, recordedAt: string | undefined): PatientInfo {
  const patient: PatientInfo = {}
  const subject = find(root, 'trialSubject')
  const id = attr(child(subject, 'id'), 'extension')
  if (id) patient.id = id
  const person = find(subject, 'subjectDemographicPerson')
  const sex = attr(child(person, 'administrativeGenderCode'), 'code')
  if (sex === 'M' || sex === 'F') patient.sex = sex
  const birth = hl7TimeToIso(attr(child(person, 'birthTime'), 'value'))
  if (birth && recordedAt) {
    const age = Math.floor((Date.parse(recordedAt.slice(0, 10)) - Date.parse(birth.slice(0, 10))) / (365.2425 * 86400e3))
    if (age >= 0 && age < 150) patient.age = age
  }
  return patient
}

export class AecgImporter implements Importer {
  readonly format = 'hl7-aecg' as const

  sniff(head: Uint8Array): boolean {
    const text = asText(head, true)
    return text !== undefined && /^\s*</.test(text) && /<([\w.-]+:)?AnnotatedECG[\s>]/.test(text)
  }

  async read(file: SourceFile, _ctx: ImportContext): Promise<EcgRecord> {
    const bytes = await file.read()
    const text = decodeText(bytes)
    if (text === undefined) throw new EcgImportError('malformed-header', file.name, 'the XML file is not UTF-8 text')
    let root: XmlElement
    try {
      root = parseXml(text)
    } catch (e) {
      if (e instanceof XmlSyntaxError) throw new EcgImportError(/never closed/.test(e.message) ? 'truncated' : 'malformed-header', file.name, e.message)
      throw e
    }
    if (root.name !== 'AnnotatedECG') throw new EcgImportError('unsupported-format', file.name, `root element is <${root.name}>, not <AnnotatedECG>`)
    const series = rhythmSeries(root)
    const set = series && children(series, 'component').map((c) => child(c, 'sequenceSet')).find((s) => s !== undefined)
    if (!set) throw new EcgImportError('malformed-header', file.name, 'no <series>/<sequenceSet> with waveforms')
    let rate: number | undefined
    const channels: RawChannel[] = []
    for (const seq of children(set, 'component').map((c) => child(c, 'sequence'))) {
      const code = attr(child(seq, 'code'), 'code') ?? ''
      const value = child(seq, 'value')
      if (code === 'TIME_ABSOLUTE' || code === 'TIME_RELATIVE') {
        const inc = child(value, 'increment')
        const step = seconds(attr(inc, 'value'), attr(inc, 'unit'))
        if (!(step > 0)) throw new EcgImportError('bad-sampling-rate', file.name, `time increment "${attr(inc, 'value')} ${attr(inc, 'unit') ?? ''}" is not a positive duration`)
        rate = Math.round(1e6 / step) / 1e6 // 1 / 0.002 s is 499.99999999999994 in floating point
      } else if (code.startsWith('MDC_ECG_LEAD_') && value) {
        const label = code.slice('MDC_ECG_LEAD_'.length)
        channels.push({ label, samples: leadSamples(file.name, label, value) })
      }
    }
    if (rate === undefined) throw new EcgImportError('bad-sampling-rate', file.name, 'no TIME_ABSOLUTE/TIME_RELATIVE sequence gives the sampling interval')
    const recordedAt = hl7TimeToIso(attr(path(root, 'effectiveTime', 'low'), 'value')) ?? hl7TimeToIso(attr(path(series, 'effectiveTime', 'low'), 'value'))
    const meta: Record<string, string> = {}
    const docId = child(root, 'id')
    if (docId) meta.aecgId = [attr(docId, 'root'), attr(docId, 'extension')].filter(Boolean).join(':')
    return assembleRecord({
      ...singleFileIdentity(file, bytes, this.format),
      samplingRateHz: rate,
      channels,
      patient: patientOf(root, recordedAt),
      ...(recordedAt !== undefined ? { recordedAt } : {}),
      labels: [],
      meta,
    })
  }
}
