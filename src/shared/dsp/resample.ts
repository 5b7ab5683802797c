/**
 * Polyphase rational resampling, bit-for-bit in structure with scipy.signal.resample_poly(x, up, down)
 * with its defaults (window ('kaiser', 5.0), padtype 'constant' = zeros beyond the ends).
 */
import { firwinKaiserLowpass } from './fir'

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/**
 * Reduced up/down factors taking sourceHz to targetHz. Rates are usually integers; a fractional rate is
 * scaled by a power of ten (up to 1000) to become one, else it is refused (the caller reports it).
 */
export function resampleRatio(targetHz: number, sourceHz: number): { up: number; down: number } {
  for (let scale = 1; scale <= 1000; scale *= 10) {
    const t = targetHz * scale
    const s = sourceHz * scale
    const ti = Math.round(t)
    const si = Math.round(s)
    if (Math.abs(t - ti) < 1e-9 * scale && Math.abs(s - si) < 1e-9 * scale && ti > 0 && si > 0) {
      const g = gcd(ti, si)
      return { up: ti / g, down: si / g }
    }
  }
  throw new RangeError(`cannot resample ${sourceHz} Hz to ${targetHz} Hz: rates must be rational with at most 3 decimals`)
}

/** Output length of scipy's upfirdn for a filter of hLen taps. */
const upfirdnLen = (hLen: number, nIn: number, up: number, down: number): number =>
  Math.floor(((nIn - 1) * up + hLen - 1) / down) + 1

interface Plan {
  /**
   * Polyphase form of scipy's zero-padded, up-scaled FIR: phase p holds taps h[p], h[p + up], ... reversed,
   * (up, perPhase) row-major, zero-filled past the end, so each output is one forward dot product over
   * consecutive input samples, in the same order as scipy's upfirdn loop.
   */
  phases: Float64Array
  perPhase: number
  nPreRemove: number
}

const plans = new Map<string, Plan>()

/** The filter and alignment resample_poly builds for (up, down) and an input of nIn samples; memoised. */
function plan(up: number, down: number, nIn: number): Plan {
  const key = `${up}/${down}/${nIn}`
  const hit = plans.get(key)
  if (hit) return hit
  const maxRate = Math.max(up, down)
  const halfLen = 10 * maxRate
  const core = firwinKaiserLowpass(2 * halfLen + 1, 1 / maxRate, 5.0)
  const nOut = Math.ceil((nIn * up) / down)
  // scipy pads the filter in front so that output sample 0 lands on input sample 0 (group delay removed)
  const nPrePad = down - (halfLen % down)
  const nPreRemove = Math.floor((halfLen + nPrePad) / down)
  let nPostPad = 0
  while (upfirdnLen(core.length + nPrePad + nPostPad, nIn, up, down) < nOut + nPreRemove) nPostPad++
  const h = new Float64Array(nPrePad + core.length + nPostPad)
  for (let i = 0; i < core.length; i++) h[nPrePad + i] = core[i]! * up
  const perPhase = Math.ceil(h.length / up)
  const phases = new Float64Array(up * perPhase)
  for (let p = 0; p < up; p++) {
    for (let t = 0; p + t * up < h.length; t++) phases[p * perPhase + perPhase - 1 - t] = h[p + t * up]!
  }
  const made = { phases, perPhase, nPreRemove }
  if (plans.size > 64) plans.clear() // bounded: lengths vary per record
  plans.set(key, made)
  return made
}

/**
 * scipy.signal.resample_poly(x, up, down). (n) -> (ceil(n * up / down)). A copy when up == down.
 * Output i is sample (nPreRemove + i) * down of the zero-stuffed, filtered signal; only the taps that hit
 * real input samples are summed (the others multiply inserted zeros or the zero padding beyond the ends).
 */
export function resamplePoly(x: Float64Array, up: number, down: number): Float64Array {
  if (!Number.isInteger(up) || !Number.isInteger(down) || up < 1 || down < 1) {
    throw new RangeError(`resamplePoly: up and down must be positive integers, got ${up}/${down}`)
  }
  const g = gcd(up, down)
  up /= g
  down /= g
  if (up === 1 && down === 1) return Float64Array.from(x)
  const nIn = x.length
  const nOut = Math.ceil((nIn * up) / down)
  const { phases, perPhase, nPreRemove } = plan(up, down, nIn)
  const y = new Float64Array(nOut)
  for (let i = 0; i < nOut; i++) {
    const m = (nPreRemove + i) * down // index in the zero-stuffed signal
    const phase = m % up
    const last = (m - phase) / up // newest input sample under the filter
    const first = last - perPhase + 1 // oldest one (may be before the start: zeros)
    const from = Math.max(first, 0)
    const to = Math.min(last, nIn - 1)
    const row = phase * perPhase - first
    let acc = 0
    for (let k = from; k <= to; k++) acc += x[k]! * phases[row + k]!
    y[i] = acc
  }
  return y
}
