/**
 * QRS detection after Pan & Tompkins (1985): band-pass 5-15 Hz -> derivative -> squaring -> 150-ms moving
 * window integration -> adaptive dual thresholds with search-back and T-wave rejection. The squared slopes of
 * all usable leads are summed before integration: a lead combination is robust to one lead's small or
 * biphasic QRS, where lead II alone fails on some axes. Gives heart rate and RR irregularity for every result.
 */
import { bandpass, movingAverage } from './filters'

export interface HeartRate {
  /** Mean heart rate over the detected RR intervals, beats per minute; null with fewer than 2 beats. */
  bpm: number | null
  /** Coefficient of variation of RR (std / mean); sinus rhythm is ~0.02-0.08, atrial fibrillation > 0.1. */
  rrIrregularity: number | null
  beats: number
  /** Sample indices of the detected QRS complexes (at the record's rate). */
  peaks: number[]
}

/** Sum over leads of the squared 5-15 Hz slope, integrated over 150 ms. leads (L, N) -> (N) */
export function qrsEnergy(signals: readonly Float32Array[], rateHz: number): Float32Array {
  const n = signals[0]?.length ?? 0
  const energy = new Float32Array(n)
  for (const x of signals) {
    const f = bandpass(x, 5, 15, rateHz)
    // normalise each lead so one large lead does not drown the others
    let scale = 0
    const d = new Float32Array(n)
    for (let i = 2; i < n - 2; i++) {
      // five-point derivative as in Pan-Tompkins
      d[i] = (2 * f[i + 2]! + f[i + 1]! - f[i - 1]! - 2 * f[i - 2]!) * (rateHz / 8)
      scale = Math.max(scale, Math.abs(d[i]!))
    }
    if (!(scale > 0)) continue
    for (let i = 0; i < n; i++) energy[i]! += (d[i]! / scale) ** 2
  }
  return movingAverage(energy, Math.max(1, Math.round(0.15 * rateHz)))
}

function localMaxima(x: Float32Array, minDistance: number): number[] {
  const peaks: number[] = []
  for (let i = 1; i < x.length - 1; i++) {
    if (!(x[i]! > x[i - 1]! && x[i]! >= x[i + 1]!)) continue
    const last = peaks[peaks.length - 1]
    if (last !== undefined && i - last < minDistance) {
      if (x[i]! > x[last]!) peaks[peaks.length - 1] = i
    } else peaks.push(i)
  }
  return peaks
}

/** Detect QRS complexes. signals (L, N) mV at rateHz -> peak indices. */
export function detectQrs(signals: readonly Float32Array[], rateHz: number): number[] {
  const e = qrsEnergy(signals, rateHz)
  const refractory = Math.round(0.2 * rateHz)
  const candidates = localMaxima(e, refractory)
  if (candidates.length === 0) return []
  // initialise from the first 2 s (learning phase)
  const learn = Math.min(e.length, Math.round(2 * rateHz))
  let maxLearn = 0
  let meanLearn = 0
  for (let i = 0; i < learn; i++) {
    maxLearn = Math.max(maxLearn, e[i]!)
    meanLearn += e[i]! / learn
  }
  let spki = 0.25 * maxLearn
  let npki = 0.5 * meanLearn
  const qrs: number[] = []
  const rr: number[] = []
  const threshold = (): number => npki + 0.25 * (spki - npki)
  const accept = (p: number, fromSearchBack: boolean): void => {
    spki = fromSearchBack ? 0.25 * e[p]! + 0.75 * spki : 0.125 * e[p]! + 0.875 * spki
    const prev = qrs[qrs.length - 1]
    if (prev !== undefined) rr.push(p - prev)
    qrs.push(p)
  }
  for (let c = 0; c < candidates.length; c++) {
    const p = candidates[c]!
    const prev = qrs[qrs.length - 1]
    // search back: a long gap since the last beat means one was missed; take the best candidate above half threshold
    if (prev !== undefined && rr.length > 0) {
      const meanRr = rr.slice(-8).reduce((a, b) => a + b, 0) / Math.min(8, rr.length)
      if (p - prev > 1.66 * meanRr) {
        let best = -1
        for (const q of candidates) {
          if (q <= prev + refractory || q >= p - refractory) continue
          if (e[q]! > 0.5 * threshold() && (best < 0 || e[q]! > e[best]!)) best = q
        }
        if (best >= 0) accept(best, true)
      }
    }
    if (e[p]! > threshold()) {
      const last = qrs[qrs.length - 1]
      // T-wave rejection: within 360 ms of a beat and much weaker than it
      if (last !== undefined && p - last < 0.36 * rateHz && e[p]! < 0.5 * e[last]!) {
        npki = 0.125 * e[p]! + 0.875 * npki
        continue
      }
      accept(p, false)
    } else npki = 0.125 * e[p]! + 0.875 * npki
  }
  return qrs
}

/** Heart rate and RR irregularity from the detected beats. signals (L, N) -> summary */
export function heartRate(signals: readonly Float32Array[], rateHz: number): HeartRate {
  const peaks = detectQrs(signals, rateHz)
  if (peaks.length < 2) return { bpm: null, rrIrregularity: null, beats: peaks.length, peaks }
  const rr = peaks.slice(1).map((p, i) => (p - peaks[i]!) / rateHz)
  const mean = rr.reduce((a, b) => a + b, 0) / rr.length
  const sd = Math.sqrt(rr.reduce((a, b) => a + (b - mean) ** 2, 0) / rr.length)
  return { bpm: 60 / mean, rrIrregularity: rr.length >= 2 ? sd / mean : null, beats: peaks.length, peaks }
}
