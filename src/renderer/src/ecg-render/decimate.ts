/**
 * Min/max decimation for drawing: when a trace has more samples than pixel columns, each column is drawn as
 * a vertical stroke from its minimum to its maximum, so no peak (a QRS, a pacing spike) is lost on screen.
 */

export interface MinMaxColumns {
  /** (columns,) per-column minimum; NaN when the column has no finite sample */
  min: Float32Array
  /** (columns,) per-column maximum; NaN when the column has no finite sample */
  max: Float32Array
}

/**
 * Split samples [start, end) of `signal` into `columns` contiguous, near-equal, non-empty runs and take the
 * min and max of each. Column c covers [start + floor(c*n/columns), start + floor((c+1)*n/columns)).
 * (n,) -> 2 x (columns,). Requires 1 <= columns <= n = end - start; NaN samples are skipped.
 */
export function decimateMinMax(signal: Float32Array, start: number, end: number, columns: number): MinMaxColumns {
  const n = end - start
  if (!Number.isInteger(columns) || columns < 1 || columns > n || start < 0 || end > signal.length) {
    throw new RangeError(`decimateMinMax: need 1 <= columns (${columns}) <= samples (${n}) within the signal (${signal.length})`)
  }
  const min = new Float32Array(columns)
  const max = new Float32Array(columns)
  for (let c = 0; c < columns; c++) {
    const a = start + Math.floor((c * n) / columns)
    const b = start + Math.floor(((c + 1) * n) / columns)
    let lo = Infinity
    let hi = -Infinity
    for (let i = a; i < b; i++) {
      const v = signal[i]!
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    // comparisons with NaN are false, so an all-NaN column keeps +/-Infinity: mark it as a gap
    min[c] = lo === Infinity ? NaN : lo
    max[c] = hi === -Infinity ? NaN : hi
  }
  return { min, max }
}

/** Sample range [start, end) of a record at `fs` Hz inside the time window [t0S, t1S), clipped to `length`. */
export function sampleRange(t0S: number, t1S: number, fs: number, length: number): { start: number; end: number } {
  const start = Math.min(length, Math.max(0, Math.ceil(t0S * fs - 1e-9)))
  const end = Math.min(length, Math.max(start, Math.ceil(t1S * fs - 1e-9)))
  return { start, end }
}
