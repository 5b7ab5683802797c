/**
 * Validation of the viewer's props into the lead -> signal map the drawing code uses.
 * Bad props give a typed error naming the prop and the problem; the component shows it instead of crashing.
 */
import { normaliseLeadName, STANDARD_LEADS, type LeadName } from '@shared/leads'

export type ViewerInputErrorCode = 'length-mismatch' | 'unknown-lead' | 'duplicate-lead' | 'bad-sampling-rate' | 'bad-signal'

export class ViewerInputError extends Error {
  constructor(
    readonly code: ViewerInputErrorCode,
    /** The prop (and index) at fault, e.g. "leads[3]". */
    readonly where: string,
    detail: string,
  ) {
    super(`EcgViewer ${where}: ${detail}`)
    this.name = 'ViewerInputError'
  }
}

export interface ViewerSignals {
  byLead: Map<LeadName, Float32Array>
  /** Leads with a signal, in standard order. */
  present: LeadName[]
  /** Standard leads without a signal, in standard order. */
  missing: LeadName[]
  /** Longest signal, seconds. */
  durationS: number
}

export function viewerSignals(leads: readonly string[], signals: readonly Float32Array[], samplingRateHz: number): ViewerSignals {
  if (!Number.isFinite(samplingRateHz) || samplingRateHz <= 0) {
    throw new ViewerInputError('bad-sampling-rate', 'samplingRateHz', `must be a positive number of Hz, got ${samplingRateHz}`)
  }
  if (leads.length !== signals.length) {
    throw new ViewerInputError('length-mismatch', 'signals', `${signals.length} signals for ${leads.length} lead names; they must pair up`)
  }
  const byLead = new Map<LeadName, Float32Array>()
  let maxLen = 0
  leads.forEach((raw, i) => {
    const lead = normaliseLeadName(raw)
    if (!lead) throw new ViewerInputError('unknown-lead', `leads[${i}]`, `"${raw}" is not one of the 12 standard leads`)
    if (byLead.has(lead)) throw new ViewerInputError('duplicate-lead', `leads[${i}]`, `lead ${lead} is given twice`)
    const sig = signals[i]
    if (!(sig instanceof Float32Array)) throw new ViewerInputError('bad-signal', `signals[${i}]`, 'must be a Float32Array of millivolts')
    byLead.set(lead, sig)
    maxLen = Math.max(maxLen, sig.length)
  })
  return {
    byLead,
    present: STANDARD_LEADS.filter((l) => byLead.has(l)),
    missing: STANDARD_LEADS.filter((l) => !byLead.has(l)),
    durationS: maxLen / samplingRateHz,
  }
}

/**
 * Per-lead highlight given in standard lead order (as Explanation.leadAttribution is) -> map by lead,
 * clamped to [0, 1]. Non-finite entries are dropped; extra entries are ignored.
 */
export function highlightByLead(values: readonly number[] | undefined): Map<LeadName, number> | undefined {
  if (!values) return undefined
  const out = new Map<LeadName, number>()
  STANDARD_LEADS.forEach((lead, i) => {
    const v = values[i]
    if (v !== undefined && Number.isFinite(v)) out.set(lead, Math.min(1, Math.max(0, v)))
  })
  return out
}
