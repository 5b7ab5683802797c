/**
 * Per-lead z-score in float64: (x - mean) / (std + eps), population std (numpy ddof=0). In place. (n) -> (n)
 * A flat lead (std 0) becomes all zeros rather than a division blow-up, thanks to eps.
 */
export function zscore(x: Float64Array, eps: number): Float64Array {
  const n = x.length
  if (n === 0) return x
  let sum = 0
  for (let i = 0; i < n; i++) sum += x[i]!
  const mean = sum / n
  let ss = 0
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean
    ss += d * d
  }
  const denom = Math.sqrt(ss / n) + eps
  for (let i = 0; i < n; i++) x[i] = (x[i]! - mean) / denom
  return x
}
