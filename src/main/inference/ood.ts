/**
 * Out-of-distribution score from the pooled embedding: the Mahalanobis distance to the training embeddings
 * under a diagonal covariance, when the manifest carries their statistics as
 *   metrics.embeddingStats = { mean: number[K], var: number[K], threshold: number }
 * (threshold: e.g. the 99th percentile of the training records' distances). Without them the engine falls back
 * to the entropy / top-probability check alone (src/shared/decision.ts), and says so in the result's provenance.
 * A diagonal covariance is used because 500 training records cannot estimate a full 512 x 512 one.
 */
import type { ModelManifest } from '@shared/manifest'

export interface EmbeddingStats {
  mean: Float64Array
  invVar: Float64Array
  threshold: number
}

export function embeddingStats(m: ModelManifest): EmbeddingStats | null {
  const raw = (m.metrics as Record<string, unknown>).embeddingStats as { mean?: unknown; var?: unknown; threshold?: unknown } | undefined
  if (!raw || !Array.isArray(raw.mean) || !Array.isArray(raw.var) || typeof raw.threshold !== 'number') return null
  const K = m.head.inFeatures
  if (raw.mean.length !== K || raw.var.length !== K) return null
  const mean = Float64Array.from(raw.mean as number[])
  const invVar = Float64Array.from(raw.var as number[], (v) => 1 / Math.max(Number(v), 1e-8))
  if (mean.some((v) => !Number.isFinite(v)) || !Number.isFinite(raw.threshold)) return null
  return { mean, invVar, threshold: raw.threshold }
}

/** sqrt(sum_k (e_k - mu_k)^2 / var_k) / sqrt(K): per-dimension RMS z-score. (K) -> scalar */
export function mahalanobisDiag(embedding: Float32Array, s: EmbeddingStats): number {
  let acc = 0
  for (let k = 0; k < s.mean.length; k++) {
    const d = embedding[k]! - s.mean[k]!
    acc += d * d * s.invVar[k]!
  }
  return Math.sqrt(acc / s.mean.length)
}
