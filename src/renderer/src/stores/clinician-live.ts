/**
 * Pure: the tuning view's numbers for any slider position, recomputed in the renderer from the evaluation's
 * per-case probabilities with the same shared metric functions main uses, so moving a slider needs no round trip.
 */
import type { Evaluation } from '@shared/contract/clinician'
import { atLeast, binaryAt, confusionMatrix, cumulativeFrom, decideTiers, operatingPoint, type BinaryMetrics, type OperatingRule } from '@shared/metrics'

/** (N) truth and (N) scores of one target: tier models P(tier >= key); code models the code's probability. */
export function targetData(ev: Evaluation, key: string): { y: Uint8Array; s: Float64Array } {
  const C = ev.classKeys.length
  const k = ev.classKeys.indexOf(key)
  if (k < 0) throw new RangeError(`'${key}' is not a class of ${ev.modelId}`)
  const flat = Float64Array.from(ev.probabilities.flat())
  if (ev.role === 'tier') {
    return { y: atLeast(ev.truth as number[], k), s: cumulativeFrom(flat, C, k) }
  }
  const rows = ev.truth as number[][]
  return { y: Uint8Array.from(rows, (r) => r[k] ?? 0), s: Float64Array.from(ev.probabilities, (p) => p[k] ?? 0) }
}

export function liveMetrics(ev: Evaluation, key: string, threshold: number): BinaryMetrics {
  const { y, s } = targetData(ev, key)
  return binaryAt(y, s, threshold)
}

/** Tier models: (C, C) confusion (rows true, columns decided) at the given thresholds. */
export function liveConfusion(ev: Evaluation, thresholds: Record<string, number>): number[][] | null {
  if (ev.role !== 'tier' || ev.recordIds.length === 0) return null
  const C = ev.classKeys.length
  const thr = Float64Array.from(ev.classKeys, (k, i) => (i === 0 ? NaN : (thresholds[k] ?? 0.5)))
  const decided = decideTiers(Float64Array.from(ev.probabilities.flat()), C, thr)
  const cm = confusionMatrix(ev.truth as number[], decided, C)
  return Array.from({ length: C }, (_, t) => Array.from(cm.counts.subarray(t * C, (t + 1) * C)))
}

/** Helper buttons: the threshold of an operating rule on this target, or an error message. */
export function suggest(ev: Evaluation, key: string, rule: OperatingRule): { threshold: number } | { error: string } {
  const { y, s } = targetData(ev, key)
  if (y.length === 0) return { error: 'no labelled cases to choose from' }
  try {
    return { threshold: operatingPoint(y, s, rule).threshold }
  } catch (err) {
    return { error: (err as Error).message }
  }
}
