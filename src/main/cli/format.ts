/** Output of `triage`: a table for people, JSON for programs, CSV for spreadsheets. */
import type { AnalysisResult } from '@shared/contract/analysis'

export type TriageRow = { file: string; name?: string; ok: true; result: AnalysisResult } | { file: string; name?: string; ok: false; error: string }

function positiveCodes(r: AnalysisResult, max = 3): string {
  const pos = r.codes.filter((c) => c.positive).sort((a, b) => b.probability - a.probability)
  if (pos.length === 0) return '-'
  const shown = pos.slice(0, max).map((c) => `${c.code} ${c.name} ${c.probability.toFixed(2)}`)
  return pos.length > max ? `${shown.join(', ')} +${pos.length - max}` : shown.join(', ')
}

function flagList(r: AnalysisResult): string {
  const parts = r.flags.map((f) => `${f.kind}${f.severity === 'block' ? '!' : ''}${f.leads?.length ? `(${f.leads.join(' ')})` : ''}`)
  return parts.length ? parts.join(', ') : '-'
}

function tierText(r: AnalysisResult): string {
  const t = r.tier
  return `${r.needsHumanRead ? 'REVIEW ' : ''}${t.key}${t.escalated ? ` (model: ${t.modelKey})` : ''}`
}

function hrText(r: AnalysisResult): string {
  const { bpm, rrIrregularity } = r.heartRate
  if (bpm === null) return '-'
  return `${Math.round(bpm)}${rrIrregularity !== null && rrIrregularity > 0.1 ? ' irregular' : ''}`
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}

export function formatTable(rows: readonly TriageRow[]): string {
  const head = ['FILE', 'TIER', 'CONF', 'TOP CODES', 'FLAGS (! = needs a human read)', 'HR']
  const body = rows.map((row) =>
    row.ok
      ? [row.file, tierText(row.result), row.result.tier.confidence.toFixed(2), positiveCodes(row.result), flagList(row.result), hrText(row.result)]
      : [row.file, 'ERROR', '', row.error, '', ''],
  )
  const widths = head.map((h, i) => Math.min(i === 0 ? 60 : 48, Math.max(h.length, ...body.map((b) => b[i]!.length))))
  // long cells are cut to keep the columns aligned (an error message, in the codes column, is never cut)
  const fit = (c: string, i: number, error: boolean): string => (error || c.length <= widths[i]! ? c : `${c.slice(0, widths[i]! - 3)}...`)
  const line = (cells: string[], error = false): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : pad(fit(c, i, error && i === 3), widths[i]!))).join('  ').trimEnd()
  return [line(head), ...body.map((b, k) => line(b, !rows[k]!.ok))].join('\n')
}

export function formatJson(rows: readonly TriageRow[]): string {
  return JSON.stringify(rows, null, 2)
}

function csvCell(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function formatCsv(rows: readonly TriageRow[]): string {
  const head = ['file', 'record', 'ok', 'tier', 'model_tier', 'confidence', 'needs_human_read', 'positive_codes', 'flags', 'heart_rate_bpm', 'rr_irregularity', 'error']
  const lines = rows.map((row) => {
    if (!row.ok) return [row.file, row.name ?? '', false, '', '', '', '', '', '', '', '', row.error]
    const r = row.result
    return [
      row.file,
      row.name ?? '',
      true,
      r.tier.key,
      r.tier.modelKey,
      r.tier.confidence.toFixed(4),
      r.needsHumanRead,
      r.codes.filter((c) => c.positive).map((c) => `${c.code}:${c.probability.toFixed(3)}`).join(' '),
      r.flags.map((f) => `${f.kind}:${f.severity}`).join(' '),
      r.heartRate.bpm === null ? '' : r.heartRate.bpm.toFixed(1),
      r.heartRate.rrIrregularity === null ? '' : r.heartRate.rrIrregularity.toFixed(3),
      '',
    ]
  })
  return [head, ...lines].map((l) => l.map(csvCell).join(',')).join('\n')
}
