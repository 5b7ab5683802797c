/**
 * Small filters for the quality gate and the QRS detector. They only measure the signal (noise, wander,
 * QRS energy); the model's own preprocessing is src/shared/dsp, which must match the Python pipeline exactly.
 * Here second-order Butterworth sections (RBJ biquads, Q = 1/sqrt(2)) run forward and backward (zero phase).
 */

interface Biquad {
  b0: number
  b1: number
  b2: number
  a1: number
  a2: number
}

function design(kind: 'lowpass' | 'highpass', cutoffHz: number, rateHz: number): Biquad {
  const w0 = (2 * Math.PI * Math.min(cutoffHz, rateHz * 0.45)) / rateHz
  const cos = Math.cos(w0)
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2)
  const a0 = 1 + alpha
  const [b0, b1, b2] = kind === 'lowpass' ? [(1 - cos) / 2, 1 - cos, (1 - cos) / 2] : [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 }
}

/** One pass of a biquad (direct form II transposed), state started at the first sample's steady state. */
function pass(x: Float32Array, f: Biquad, reverse: boolean): Float32Array {
  const n = x.length
  const y = new Float32Array(n)
  if (n === 0) return y
  const first = reverse ? x[n - 1]! : x[0]!
  // steady-state initial conditions for a constant input `first` avoid a start-up transient
  const dcGain = (f.b0 + f.b1 + f.b2) / (1 + f.a1 + f.a2)
  let z1 = first * dcGain - f.b0 * first
  let z2 = f.b2 * first - f.a2 * first * dcGain
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k
    const xi = x[i]!
    const yi = f.b0 * xi + z1
    z1 = f.b1 * xi - f.a1 * yi + z2
    z2 = f.b2 * xi - f.a2 * yi
    y[i] = yi
  }
  return y
}

/** Zero-phase second-order Butterworth low-pass (4th order effective). (N) -> (N) */
export function lowpass(x: Float32Array, cutoffHz: number, rateHz: number): Float32Array {
  const f = design('lowpass', cutoffHz, rateHz)
  return pass(pass(x, f, false), f, true)
}

/** Zero-phase second-order Butterworth high-pass. (N) -> (N) */
export function highpass(x: Float32Array, cutoffHz: number, rateHz: number): Float32Array {
  const f = design('highpass', cutoffHz, rateHz)
  return pass(pass(x, f, false), f, true)
}

/** Band-pass as high-pass then low-pass. (N) -> (N) */
export function bandpass(x: Float32Array, lowHz: number, highHz: number, rateHz: number): Float32Array {
  return lowpass(highpass(x, lowHz, rateHz), highHz, rateHz)
}

/** Centred moving average over `width` samples (edges use the available part). (N) -> (N) */
export function movingAverage(x: Float32Array, width: number): Float32Array {
  const n = x.length
  const out = new Float32Array(n)
  const half = Math.floor(width / 2)
  const prefix = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + x[i]!
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half)
    const hi = Math.min(n, i - half + width)
    out[i] = (prefix[hi]! - prefix[lo]!) / (hi - lo)
  }
  return out
}

/** Rearranges a so that a[k] is the k-th smallest value (Hoare's quickselect, median-of-three pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >> 1
    const pivot = Math.max(Math.min(a[lo]!, a[mid]!), Math.min(Math.max(a[lo]!, a[mid]!), a[hi]!))
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        const t = a[i]!
        a[i] = a[j]!
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else break
  }
  return a[k]!
}

/** Several quantiles (0..1, linear interpolation as numpy's default) by selection on one copy: O(N) each. (N) -> (Q) */
export function quantiles(x: ArrayLike<number>, qs: readonly number[]): number[] {
  if (x.length === 0) return qs.map(() => NaN)
  const a = Float64Array.from(x as ArrayLike<number>)
  return qs.map((q) => {
    const pos = Math.min(Math.max(q, 0), 1) * (a.length - 1)
    const lo = Math.floor(pos)
    const vLo = select(a, lo)
    if (pos === lo) return vLo
    // the next order statistic is the minimum of the part above lo after selection
    let vHi = Infinity
    for (let i = lo + 1; i < a.length; i++) if (a[i]! < vHi) vHi = a[i]!
    return vLo + (vHi - vLo) * (pos - lo)
  })
}

/** The q-quantile (0..1) of the values (linear interpolation, as numpy's default). (N) -> scalar */
export function quantile(x: ArrayLike<number>, q: number): number {
  return quantiles(x, [q])[0]!
}

/** Median of per-segment RMS over consecutive segments of `segment` samples. (N) -> scalar */
export function medianSegmentRms(x: Float32Array, segment: number): number {
  const rms: number[] = []
  for (let s = 0; s + segment <= x.length; s += segment) {
    let acc = 0
    for (let i = s; i < s + segment; i++) acc += x[i]! * x[i]!
    rms.push(Math.sqrt(acc / segment))
  }
  if (rms.length === 0) return 0
  return quantile(rms, 0.5)
}
