/**
 * Ordinal tier helpers. Tier models output C ordered classes (normal < ... < most severe). The manifest's
 * decision rule thresholds the cumulative probability P(tier >= k) per non-normal tier k; the most severe tier
 * whose cumulative probability reaches its threshold wins, else tier 0. So tier k's sensitivity ("was a case of
 * tier >= k flagged at tier >= k?") is a binary problem over (tier >= k, P(tier >= k)).
 */

/** (N, C) row-major probabilities, tier index k -> (N) P(tier >= k). */
export function cumulativeFrom(probs: ArrayLike<number>, nClasses: number, k: number): Float64Array {
  if (probs.length % nClasses !== 0) throw new RangeError(`cumulativeFrom: ${probs.length} values is not N x ${nClasses}`)
  if (!Number.isInteger(k) || k < 0 || k >= nClasses) throw new RangeError(`cumulativeFrom: tier ${k} is not in [0, ${nClasses})`)
  const n = probs.length / nClasses
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let c = k; c < nClasses; c++) s += probs[i * nClasses + c] as number
    out[i] = s
  }
  return out
}

/** (N) tier indices, k -> (N) 1 where tier >= k. */
export function atLeast(tiers: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(tiers.length)
  for (let i = 0; i < tiers.length; i++) out[i] = (tiers[i] as number) >= k ? 1 : 0
  return out
}

/**
 * (N, C) probabilities, (C) thresholds (index 0 unused) -> (N) decided tier indices by the cumulative rule.
 * A threshold of NaN/undefined for a tier means "never chosen by threshold" (that tier is skipped).
 */
export function decideTiers(probs: ArrayLike<number>, nClasses: number, thresholds: ArrayLike<number>): Int32Array {
  if (probs.length % nClasses !== 0) throw new RangeError(`decideTiers: ${probs.length} values is not N x ${nClasses}`)
  if (thresholds.length !== nClasses) throw new RangeError(`decideTiers: ${thresholds.length} thresholds for ${nClasses} tiers`)
  const n = probs.length / nClasses
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let tail = 0
    let chosen = 0
    // walk from the most severe tier down, accumulating P(tier >= k)
    for (let k = nClasses - 1; k >= 1; k--) {
      tail += probs[i * nClasses + k] as number
      const t = thresholds[k] as number
      if (!Number.isNaN(t) && tail >= t) {
        chosen = k
        break
      }
    }
    out[i] = chosen
  }
  return out
}
