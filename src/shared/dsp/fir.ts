/** Windowed-sinc FIR design as scipy.signal.firwin with a Kaiser window (the resample_poly default). */

/** Modified Bessel function of the first kind, order 0. Power series; converges to full double precision for |x| <= ~30. */
export function besselI0(x: number): number {
  const q = (x * x) / 4
  let term = 1
  let sum = 1
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k)
    sum += term
    if (term < sum * 1e-17) break
  }
  return sum
}

/** Symmetric Kaiser window of length m (scipy.signal.windows.kaiser(m, beta, sym=True)). (m) */
export function kaiser(m: number, beta: number): Float64Array {
  const w = new Float64Array(m)
  if (m === 1) {
    w[0] = 1
    return w
  }
  const alpha = (m - 1) / 2
  const denom = besselI0(beta)
  for (let n = 0; n < m; n++) {
    const r = (n - alpha) / alpha
    w[n] = besselI0(beta * Math.sqrt(1 - r * r)) / denom
  }
  return w
}

/** numpy.sinc */
const sinc = (x: number): number => {
  const y = Math.PI * (x === 0 ? 1e-20 : x)
  return Math.sin(y) / y
}

/**
 * Low-pass FIR, scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta)) with cutoff relative to
 * Nyquist (0 < cutoff < 1), scaled to unit gain at DC. (numtaps)
 */
export function firwinKaiserLowpass(numtaps: number, cutoff: number, beta: number): Float64Array {
  if (!(cutoff > 0 && cutoff < 1)) throw new RangeError(`firwin cutoff must be in (0, 1), got ${cutoff}`)
  const alpha = 0.5 * (numtaps - 1)
  const win = kaiser(numtaps, beta)
  const h = new Float64Array(numtaps)
  let s = 0
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha
    h[i] = cutoff * sinc(cutoff * m) * win[i]!
    s += h[i]!
  }
  for (let i = 0; i < numtaps; i++) h[i]! /= s
  return h
}
