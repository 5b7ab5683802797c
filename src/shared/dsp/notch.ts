/** Second-order IIR notch, scipy.signal.iirnotch(freqHz, q, fs) (Orfanidis, formulas 11.3.4-11.3.7). */
export function iirnotch(freqHz: number, q: number, fs: number): { b: Float64Array; a: Float64Array } {
  let w0 = (2 * freqHz) / fs
  if (!(w0 > 0 && w0 < 1)) throw new RangeError(`notch frequency must be in (0, fs/2): ${freqHz} Hz at fs ${fs} Hz`)
  if (!(q > 0)) throw new RangeError(`notch Q must be positive, got ${q}`)
  let bw = w0 / q
  bw = bw * Math.PI
  w0 = w0 * Math.PI
  const gb = 1 / Math.sqrt(2) // -3 dB
  const beta = (Math.sqrt(1.0 - gb ** 2.0) / gb) * Math.tan(bw / 2.0)
  const gain = 1.0 / (1.0 + beta)
  const c = Math.cos(w0)
  return {
    b: Float64Array.of(gain * 1.0, gain * (-2.0 * c), gain * 1.0),
    a: Float64Array.of(1.0, -2.0 * gain * c, 2.0 * gain - 1.0),
  }
}
