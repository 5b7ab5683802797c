/**
 * Per-lead signal-quality measurements on the raw millivolt signal, and the gate that turns them into flags.
 * The model was trained on complete, clean 12-lead ECGs: on a record it cannot read properly it still
 * produces confident-looking numbers, so these checks decide when a human must read the ECG instead.
 * Thresholds were set on the 500 PTB-XL records (every record there passes: they are diagnostic-quality,
 * even those annotated with static noise or baseline drift) and on corrupted copies (see tests).
 */
import type { Flag } from '@shared/contract/analysis'
import type { LeadName } from '@shared/leads'
import { highpass, lowpass, medianSegmentRms, quantile, quantiles } from './filters'

export interface LeadQuality {
  lead: LeadName
  /** Fraction of 2-s segments whose peak-to-peak is below FLAT_PTP_MV. */
  flatFraction: number
  /** Fraction of samples in runs held at the lead's minimum or maximum value (a saturated amplifier). */
  clippedFraction: number
  /** Median over 250-ms segments of the RMS above 40 Hz, mV (segments without a QRS dominate the median). */
  noiseMv: number
  /** Robust range (1st..99th percentile) of the signal below 0.5 Hz, mV. */
  wanderMv: number
  /** Robust peak-to-peak (0.1..99.9 percentile) of the signal above 0.5 Hz, mV: the QRS amplitude. */
  amplitudeMv: number
}

export const QUALITY_LIMITS = {
  flatPtpMv: 0.02,
  flatFraction: 0.5,
  clipRunS: 0.02,
  clipFractionWarn: 0.005,
  clipFractionBlock: 0.03,
  noiseMvWarn: 0.1,
  noiseMvBlock: 0.2,
  wanderMvWarn: 3,
  wanderMvBlock: 5,
  maxAmplitudeMv: 10,
  minAmplitudeMv: 0.05,
  /** A problem that touches this many leads blocks even when each lead is only at warning level. */
  leadsToBlock: 3,
}

function flatFraction(x: Float32Array, rateHz: number): number {
  const seg = Math.max(1, Math.round(2 * rateHz))
  let flat = 0
  let total = 0
  for (let s = 0; s < x.length; s += seg) {
    const e = Math.min(x.length, s + seg)
    if (e - s < seg / 2 && total > 0) break // a short tail is judged with the previous segment
    let lo = Infinity
    let hi = -Infinity
    for (let i = s; i < e; i++) {
      lo = Math.min(lo, x[i]!)
      hi = Math.max(hi, x[i]!)
    }
    total++
    if (hi - lo < QUALITY_LIMITS.flatPtpMv) flat++
  }
  return total === 0 ? 1 : flat / total
}

/** Samples in runs of at least `minRun` consecutive samples at the lead's extreme values. */
function clippedFraction(x: Float32Array, rateHz: number): number {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]!)
    hi = Math.max(hi, x[i]!)
  }
  if (!(hi > lo)) return 0 // a constant lead is flat, not clipped
  const tol = (hi - lo) * 1e-3
  // a rail lies far from the baseline; a plateau near it (a flat ST segment that happens to be the lead's
  // minimum) is physiology, so an extreme within 30 % of the range from the median is not a rail
  const median = quantile(x, 0.5)
  const hiIsRail = hi - median >= 0.3 * (hi - lo)
  const loIsRail = median - lo >= 0.3 * (hi - lo)
  const minRun = Math.max(3, Math.round(QUALITY_LIMITS.clipRunS * rateHz))
  let clipped = 0
  let run = 0
  let railOfRun = 0
  // runs touching the first or last sample are acquisition start/stop holds (PTB-XL ends some leads with the
  // last value held for ~100 ms), not an amplifier at its rail
  const close = (end: number): void => {
    if (run >= minRun && end - run > 0 && end < x.length) clipped += run
    run = 0
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!
    const rail = hiIsRail && v >= hi - tol ? 1 : loIsRail && v <= lo + tol ? -1 : 0
    if (rail !== 0 && rail === railOfRun) run++
    else {
      close(i)
      run = rail !== 0 ? 1 : 0
      railOfRun = rail
    }
  }
  close(x.length)
  return clipped / x.length
}

export function measureLead(lead: LeadName, x: Float32Array, rateHz: number): LeadQuality {
  const above = highpass(x, 0.5, rateHz)
  // above 40 Hz only exists when the Nyquist rate allows it; at 100 Hz this still sees 40-50 Hz
  const hf = highpass(x, 40, rateHz)
  const wander = lowpass(x, 0.5, rateHz)
  const [w1 = 0, w99 = 0] = quantiles(wander, [0.01, 0.99])
  const [a0 = 0, a100 = 0] = quantiles(above, [0.001, 0.999])
  return {
    lead,
    flatFraction: flatFraction(x, rateHz),
    clippedFraction: clippedFraction(x, rateHz),
    noiseMv: medianSegmentRms(hf, Math.max(4, Math.round(0.25 * rateHz))),
    wanderMv: w99 - w1,
    amplitudeMv: a100 - a0,
  }
}

export interface QualityReport {
  leads: LeadQuality[]
  flags: Flag[]
}

function fmt(leads: LeadQuality[], value: (q: LeadQuality) => number, digits = 2): string {
  return leads.map((q) => `${q.lead} ${value(q).toFixed(digits)}`).join(', ')
}

/**
 * The gate: measurements -> flags. 'block' (needs a human read) for what makes the model's input unlike its
 * training data: flat or missing leads, heavy clipping, heavy noise or wander in several leads, or an
 * amplitude no ECG has (a unit error). Milder findings are 'warn' and shown beside the result.
 */
export function assessQuality(leads: readonly LeadName[], signals: readonly Float32Array[], rateHz: number, missingLeads: readonly LeadName[]): QualityReport {
  const L = QUALITY_LIMITS
  const q = leads.map((lead, i) => measureLead(lead, signals[i]!, rateHz))
  const flags: Flag[] = []
  const names = (list: LeadQuality[]): string[] => list.map((x) => x.lead)
  if (missingLeads.length > 0) {
    flags.push({ kind: 'missing-leads', severity: 'block', message: `missing lead(s) ${missingLeads.join(', ')}: the model was trained on complete 12-lead ECGs`, leads: [...missingLeads] })
  }
  const flat = q.filter((x) => x.flatFraction >= L.flatFraction)
  if (flat.length > 0) flags.push({ kind: 'quality', severity: 'block', message: `flat lead(s) (peak-to-peak < ${L.flatPtpMv} mV over most of the record): ${names(flat).join(', ')}`, leads: names(flat) })
  const live = q.filter((x) => x.flatFraction < L.flatFraction)
  const clipped = live.filter((x) => x.clippedFraction >= L.clipFractionWarn)
  if (clipped.length > 0) {
    const block = clipped.some((x) => x.clippedFraction >= L.clipFractionBlock) || clipped.length >= L.leadsToBlock
    flags.push({ kind: 'quality', severity: block ? 'block' : 'warn', message: `clipping (signal held at the amplifier rail), fraction of samples: ${fmt(clipped, (x) => x.clippedFraction, 3)}`, leads: names(clipped) })
  }
  const noisy = live.filter((x) => x.noiseMv >= L.noiseMvWarn)
  if (noisy.length > 0) {
    const block = noisy.some((x) => x.noiseMv >= L.noiseMvBlock) || noisy.length >= L.leadsToBlock
    flags.push({ kind: 'quality', severity: block ? 'block' : 'warn', message: `high-frequency noise (RMS above 40 Hz, mV): ${fmt(noisy, (x) => x.noiseMv, 3)}`, leads: names(noisy) })
  }
  const wander = live.filter((x) => x.wanderMv >= L.wanderMvWarn)
  if (wander.length > 0) {
    const block = wander.filter((x) => x.wanderMv >= L.wanderMvBlock).length >= L.leadsToBlock
    flags.push({ kind: 'quality', severity: block ? 'block' : 'warn', message: `baseline wander (range below 0.5 Hz, mV): ${fmt(wander, (x) => x.wanderMv)}`, leads: names(wander) })
  }
  const huge = live.filter((x) => x.amplitudeMv > L.maxAmplitudeMv)
  // one lead: an electrode artefact (warn); several leads: wrong units or gain (block)
  if (huge.length > 0) flags.push({ kind: 'quality', severity: huge.length >= L.leadsToBlock ? 'block' : 'warn', message: `implausible amplitude (> ${L.maxAmplitudeMv} mV; wrong units?): ${fmt(huge, (x) => x.amplitudeMv, 1)}`, leads: names(huge) })
  const tiny = live.filter((x) => x.amplitudeMv < L.minAmplitudeMv)
  if (tiny.length > 0) {
    const block = tiny.length >= L.leadsToBlock
    flags.push({ kind: 'quality', severity: block ? 'block' : 'warn', message: `implausibly small QRS amplitude (< ${L.minAmplitudeMv} mV): ${fmt(tiny, (x) => x.amplitudeMv, 3)}`, leads: names(tiny) })
  }
  return { leads: q, flags }
}
