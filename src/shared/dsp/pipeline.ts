/**
 * The model-input pipeline: resample -> band-pass -> notch -> standardise -> window, driven by the
 * PreprocessSpec recorded in the model manifest, matching training/ecgtriage/preprocess.py (scipy) to
 * ~1e-12 on the standardised signal. All arithmetic in float64; the model input is returned as float32.
 */
import { STANDARD_LEADS, type LeadName } from '../leads'
import type { PreprocessSpec } from '../preprocess-spec'
import { butterBandpassSos, type SosMatrix } from './butter'
import { PreprocessError } from './errors'
import { filtfilt, sosfiltfilt, sosPadlen } from './filtfilt'
import { iirnotch } from './notch'
import { resamplePoly, resampleRatio } from './resample'
import { zscore } from './standardise'
import { windowStarts } from './window'

export interface PreprocessResult {
  /** (nWindows, 12, windowSamples) row-major, standard lead order, float32 model input. */
  windows: Float32Array
  nWindows: number
  /** Start of each window in target-rate samples. (nWindows) */
  windowStarts: number[]
  /** True when the record was shorter than one window and was zero-padded at the end. */
  padded: boolean
  /** Standard leads absent from the input, fed to the model as zeros (after standardisation). */
  zeroedLeads: LeadName[]
  targetRateHz: number
  /** Record length after resampling, in target-rate samples. */
  samplesAtTarget: number
  /** Windows beyond spec.windowing.maxWindows that were not produced (the first ones are kept). */
  droppedWindows: number
}

export interface PreprocessOptions {
  /** Record name used in error messages. */
  source?: string
}

/** Minimum record length (target-rate samples) the spec's zero-phase filters can pad. */
export function minSamples(spec: PreprocessSpec): number {
  const bp = spec.bandpass ? sosPadlen(designBandpass(spec)) + 1 : 1
  const notch = spec.notch ? 3 * 3 + 1 : 1
  return Math.max(bp, notch, 1)
}

const sosCache = new Map<string, SosMatrix>()
function designBandpass(spec: PreprocessSpec): SosMatrix {
  const bp = spec.bandpass!
  const key = `${bp.order}/${bp.lowHz}/${bp.highHz}/${spec.targetRateHz}`
  let sos = sosCache.get(key)
  if (!sos) {
    sos = butterBandpassSos(bp.order, bp.lowHz, bp.highHz, spec.targetRateHz)
    sosCache.set(key, sos)
  }
  return sos
}

/** Refuses a spec the filters cannot realise, before any work is done. */
export function validateSpec(spec: PreprocessSpec, source = 'preprocess'): void {
  const bad = (detail: string): never => {
    throw new PreprocessError('bad-spec', source, `preprocessing spec: ${detail}`)
  }
  const fs = spec.targetRateHz
  if (!(Number.isFinite(fs) && fs > 0)) bad(`target rate must be a positive number, got ${fs}`)
  if (!(Number.isInteger(spec.windowSamples) && spec.windowSamples > 0)) bad(`windowSamples must be a positive integer, got ${spec.windowSamples}`)
  if (!(Number.isInteger(spec.windowing.maxWindows) && spec.windowing.maxWindows > 0)) bad(`maxWindows must be a positive integer, got ${spec.windowing.maxWindows}`)
  const bp = spec.bandpass
  if (bp) {
    if (!(Number.isInteger(bp.order) && bp.order >= 1 && bp.order <= 12)) bad(`band-pass order must be an integer 1..12, got ${bp.order}`)
    if (!(bp.lowHz > 0 && bp.lowHz < bp.highHz && bp.highHz < fs / 2)) {
      bad(`band-pass ${bp.lowHz}-${bp.highHz} Hz must satisfy 0 < low < high < ${fs / 2} Hz (Nyquist at ${fs} Hz)`)
    }
  }
  const n = spec.notch
  if (n && !(n.freqHz < fs / 2 && n.q > 0)) bad(`notch ${n.freqHz} Hz (Q ${n.q}) must be below ${fs / 2} Hz with Q > 0`)
  if (spec.standardise.kind === 'per-lead-zscore' && !(spec.standardise.eps > 0)) bad(`z-score eps must be positive, got ${spec.standardise.eps}`)
}

/** Input checks: lead names, lengths, rate, finiteness. Throws PreprocessError naming the place. */
function validateInput(signals: ReadonlyArray<ArrayLike<number>>, leads: readonly LeadName[], rateHz: number, source: string): number {
  if (signals.length !== leads.length) {
    throw new PreprocessError('length-mismatch', source, `${signals.length} signals but ${leads.length} lead names`)
  }
  if (leads.length === 0) throw new PreprocessError('no-leads', source, 'no leads to preprocess')
  if (!(Number.isFinite(rateHz) && rateHz > 0)) throw new PreprocessError('bad-sampling-rate', source, `sampling rate must be a positive number, got ${rateHz}`)
  const seen = new Set<string>()
  for (const lead of leads) {
    if (!(STANDARD_LEADS as readonly string[]).includes(lead)) throw new PreprocessError('unknown-lead', source, `lead '${lead}' is not one of the 12 standard leads`)
    if (seen.has(lead)) throw new PreprocessError('duplicate-lead', source, `lead ${lead} appears twice`)
    seen.add(lead)
  }
  const n = signals[0]!.length
  signals.forEach((s, i) => {
    if (s.length !== n) throw new PreprocessError('length-mismatch', source, `lead ${leads[i]} has ${s.length} samples, lead ${leads[0]} has ${n}`)
    for (let k = 0; k < s.length; k++) {
      const v = s[k]!
      if (!Number.isFinite(v)) throw new PreprocessError('non-finite-samples', source, `lead ${leads[i]} sample ${k}: non-finite value ${v}`)
    }
  })
  return n
}

/**
 * signals: (L, n) in mV, one array per entry of `leads`; rateHz: their sampling rate.
 * Returns (nWindows, 12, W) float32 in standard lead order; missing leads are zero rows.
 */
export function preprocess(
  signals: ReadonlyArray<ArrayLike<number>>,
  leads: readonly LeadName[],
  rateHz: number,
  spec: PreprocessSpec,
  options: PreprocessOptions = {},
): PreprocessResult {
  const source = options.source ?? 'preprocess'
  validateSpec(spec, source)
  const nIn = validateInput(signals, leads, rateHz, source)
  let ratio: { up: number; down: number }
  try {
    ratio = resampleRatio(spec.targetRateHz, rateHz)
  } catch (e) {
    throw new PreprocessError('bad-sampling-rate', source, (e as Error).message)
  }
  const nT = Math.ceil((nIn * ratio.up) / ratio.down)
  const need = minSamples(spec)
  if (nT < need) {
    throw new PreprocessError('too-short', source, `record has ${nIn} samples at ${rateHz} Hz (${nT} at ${spec.targetRateHz} Hz); the filters need at least ${need}`)
  }
  const sos = spec.bandpass ? designBandpass(spec) : null
  const notch = spec.notch ? iirnotch(spec.notch.freqHz, spec.notch.q, spec.targetRateHz) : null

  const W = spec.windowSamples
  const { starts, total } = windowStarts(nT, W, spec.windowing.maxWindows)
  const out = new Float32Array(starts.length * 12 * W) // zero-initialised: missing leads and padding stay 0
  leads.forEach((lead, li) => {
    // (n) -> (nT) float64
    const src = signals[li]!
    const x = new Float64Array(nIn)
    for (let k = 0; k < nIn; k++) x[k] = src[k]!
    let y = resamplePoly(x, ratio.up, ratio.down)
    if (sos) y = sosfiltfilt(sos, y)
    if (notch) y = filtfilt(notch.b, notch.a, y)
    if (spec.standardise.kind === 'per-lead-zscore') zscore(y, spec.standardise.eps)
    const row = STANDARD_LEADS.indexOf(lead)
    starts.forEach((s, w) => {
      const len = Math.min(W, nT - s)
      out.set(y.subarray(s, s + len), (w * 12 + row) * W)
    })
  })
  return {
    windows: out,
    nWindows: starts.length,
    windowStarts: starts,
    padded: nT < W,
    zeroedLeads: STANDARD_LEADS.filter((l) => !leads.includes(l)),
    targetRateHz: spec.targetRateHz,
    samplesAtTarget: nT,
    droppedWindows: total - starts.length,
  }
}

const fmt = (v: number): string => String(Number(v.toPrecision(6)))

/** One-line human description of a spec, shown in the UI and recorded with results. */
export function describeSpec(spec: PreprocessSpec): string {
  const parts = [`resample to ${fmt(spec.targetRateHz)} Hz (polyphase FIR)`]
  const bp = spec.bandpass
  parts.push(bp ? `band-pass ${fmt(bp.lowHz)}-${fmt(bp.highHz)} Hz (Butterworth order ${bp.order}, zero-phase)` : 'no band-pass')
  parts.push(spec.notch ? `notch ${spec.notch.freqHz} Hz (Q ${fmt(spec.notch.q)}, zero-phase)` : 'no notch')
  parts.push(spec.standardise.kind === 'per-lead-zscore' ? `per-lead z-score (eps ${spec.standardise.eps})` : 'no standardisation')
  const secs = spec.windowSamples / spec.targetRateHz
  parts.push(`${spec.windowSamples}-sample windows (${fmt(secs)} s), at most ${spec.windowing.maxWindows}, last aligned to the end, short records zero-padded`)
  return parts.join('; ')
}
