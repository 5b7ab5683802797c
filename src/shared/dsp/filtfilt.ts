/**
 * Zero-phase IIR filtering as scipy.signal.sosfiltfilt / filtfilt with their defaults (padtype 'odd',
 * scipy's padlen, steady-state initial conditions scaled by the first sample of each pass). The forward and
 * backward passes run in place over one extended buffer: no per-sample allocation.
 */
import type { SosMatrix } from './butter'

/** Odd extension by `edge` samples at both ends (scipy odd_ext). (n) -> (n + 2*edge) */
export function oddExtend(x: ArrayLike<number>, edge: number, out = new Float64Array(x.length + 2 * edge)): Float64Array {
  const n = x.length
  if (edge > n - 1) throw new RangeError(`odd extension of ${edge} samples needs more than ${edge} input samples, got ${n}`)
  const first = x[0]!
  const last = x[n - 1]!
  for (let i = 0; i < edge; i++) out[i] = 2 * first - x[edge - i]!
  for (let i = 0; i < n; i++) out[edge + i] = x[i]!
  for (let i = 0; i < edge; i++) out[edge + n + i] = 2 * last - x[n - 2 - i]!
  return out
}

/** Steady-state step-response state of a transposed direct form II filter (scipy lfilter_zi). (max(len b, len a)-1) */
export function lfilterZi(b: ArrayLike<number>, a: ArrayLike<number>): Float64Array {
  const { bn, an } = normalise(b, a)
  const n = an.length
  const zi = new Float64Array(n - 1)
  if (n === 1) return zi
  // closed form of solve(I - companion(a).T, b[1:] - a[1:]*b[0]) (the one scipy's comments give)
  let bSum = 0
  let aSum = 0
  for (let k = 1; k < n; k++) {
    bSum += bn[k]! - an[k]! * bn[0]!
    aSum += an[k]!
  }
  zi[0] = bSum / (1 + aSum)
  let asum = 1
  let csum = 0
  for (let k = 1; k < n - 1; k++) {
    asum += an[k]!
    csum += bn[k]! - an[k]! * bn[0]!
    zi[k] = asum * zi[0] - csum
  }
  return zi
}

/** b, a divided by a[0] and zero-padded to a common length. */
function normalise(b: ArrayLike<number>, a: ArrayLike<number>): { bn: Float64Array; an: Float64Array } {
  const a0 = a[0]
  if (a0 === undefined || a0 === 0) throw new RangeError('filter: a[0] must be non-zero')
  const n = Math.max(a.length, b.length)
  const bn = new Float64Array(n)
  const an = new Float64Array(n)
  for (let i = 0; i < b.length; i++) bn[i] = b[i]! / a0
  for (let i = 0; i < a.length; i++) an[i] = a[i]! / a0
  return { bn, an }
}

/** Steady-state initial conditions per section (scipy sosfilt_zi). (S, 6) -> (S, 2) row-major */
export function sosfiltZi(sos: SosMatrix): Float64Array {
  const nSec = sos.length / 6
  const zi = new Float64Array(nSec * 2)
  let scale = 1
  for (let s = 0; s < nSec; s++) {
    const b = sos.subarray(s * 6, s * 6 + 3)
    const a = sos.subarray(s * 6 + 3, s * 6 + 6)
    const z = lfilterZi(b, a)
    zi[s * 2] = scale * z[0]!
    zi[s * 2 + 1] = scale * z[1]!
    // the next section sees this one's DC gain times the step
    scale *= (b[0]! + b[1]! + b[2]!) / (a[0]! + a[1]! + a[2]!)
  }
  return zi
}

/**
 * One biquad (transposed direct form II, a0 = 1) over buf in the given direction, in place, from state
 * (z0, z1). Same arithmetic, in the same order, as scipy's sosfilt/lfilter inner loop.
 */
function biquadPass(b0: number, b1: number, b2: number, a1: number, a2: number, z0: number, z1: number, buf: Float64Array, forward: boolean): void {
  const n = buf.length
  if (forward) {
    for (let k = 0; k < n; k++) {
      const x = buf[k]!
      const y = b0 * x + z0
      z0 = b1 * x - a1 * y + z1
      z1 = b2 * x - a2 * y
      buf[k] = y
    }
  } else {
    for (let k = n - 1; k >= 0; k--) {
      const x = buf[k]!
      const y = b0 * x + z0
      z0 = b1 * x - a1 * y + z1
      z1 = b2 * x - a2 * y
      buf[k] = y
    }
  }
}

/**
 * Cascade of biquads over buf in one direction, in place, starting from state zi * (first sample of the
 * pass) as scipy's sosfilt(sos, x, zi=sosfilt_zi(sos) * x0). Running each section over the whole signal in
 * turn gives the same numbers as scipy's sample-major loop (sections do not feed back into earlier ones)
 * and keeps coefficients and state in registers.
 */
function sosPass(sos: SosMatrix, zi: Float64Array, buf: Float64Array, forward: boolean): void {
  const x0 = forward ? buf[0]! : buf[buf.length - 1]!
  for (let o = 0, s = 0; o < sos.length; o += 6, s++) {
    biquadPass(sos[o]!, sos[o + 1]!, sos[o + 2]!, sos[o + 4]!, sos[o + 5]!, zi[2 * s]! * x0, zi[2 * s + 1]! * x0, buf, forward)
  }
}

/** scipy's default sosfiltfilt padlen: 3 * (2*S + 1 - min(#(b2 == 0), #(a2 == 0))). */
export function sosPadlen(sos: SosMatrix): number {
  const nSec = sos.length / 6
  let b2Zero = 0
  let a2Zero = 0
  for (let s = 0; s < nSec; s++) {
    if (sos[s * 6 + 2] === 0) b2Zero++
    if (sos[s * 6 + 5] === 0) a2Zero++
  }
  return 3 * (2 * nSec + 1 - Math.min(b2Zero, a2Zero))
}

function checkSos(sos: SosMatrix): void {
  if (sos.length === 0 || sos.length % 6 !== 0) throw new RangeError(`sos must have shape (S, 6), got ${sos.length} values`)
  for (let o = 3; o < sos.length; o += 6) if (sos[o] !== 1) throw new RangeError('sos: every section needs a0 = 1')
}

/** scipy.signal.sosfiltfilt(sos, x) with default padding. (n) -> (n); needs n > padlen. */
export function sosfiltfilt(sos: SosMatrix, x: ArrayLike<number>): Float64Array {
  checkSos(sos)
  const edge = sosPadlen(sos)
  if (x.length <= edge) throw new RangeError(`sosfiltfilt needs more than ${edge} samples, got ${x.length}`)
  const ext = oddExtend(x, edge)
  const zi = sosfiltZi(sos)
  sosPass(sos, zi, ext, true)
  sosPass(sos, zi, ext, false)
  return ext.slice(edge, edge + x.length)
}

/** scipy.signal.filtfilt(b, a, x) with default padding (odd, padlen = 3 * max(len a, len b)). (n) -> (n) */
export function filtfilt(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const { bn, an } = normalise(b, a)
  const edge = 3 * Math.max(a.length, b.length)
  if (x.length <= edge) throw new RangeError(`filtfilt needs more than ${edge} samples, got ${x.length}`)
  const ext = oddExtend(x, edge)
  const zi = lfilterZi(bn, an)
  if (bn.length === 3) {
    // second order (the notch): the register-resident biquad loop
    biquadPass(bn[0]!, bn[1]!, bn[2]!, an[1]!, an[2]!, zi[0]! * ext[0]!, zi[1]! * ext[0]!, ext, true)
    const last = ext[ext.length - 1]!
    biquadPass(bn[0]!, bn[1]!, bn[2]!, an[1]!, an[2]!, zi[0]! * last, zi[1]! * last, ext, false)
  } else {
    const state = new Float64Array(zi.length)
    lfilterPass(bn, an, zi, ext, true, state)
    lfilterPass(bn, an, zi, ext, false, state)
  }
  return ext.slice(edge, edge + x.length)
}

/** Transposed direct form II (scipy lfilter), in place, one direction, state from zi * first sample. */
function lfilterPass(b: Float64Array, a: Float64Array, zi: Float64Array, buf: Float64Array, forward: boolean, z: Float64Array): void {
  const order = b.length - 1
  const n = buf.length
  const x0 = forward ? buf[0]! : buf[n - 1]!
  for (let i = 0; i < order; i++) z[i] = zi[i]! * x0
  const step = forward ? 1 : -1
  for (let k = forward ? 0 : n - 1, c = 0; c < n; c++, k += step) {
    const x = buf[k]!
    const y = b[0]! * x + (order > 0 ? z[0]! : 0)
    for (let i = 1; i < order; i++) z[i - 1] = b[i]! * x + z[i]! - a[i]! * y
    if (order > 0) z[order - 1] = b[order]! * x - a[order]! * y
    buf[k] = y
  }
}
