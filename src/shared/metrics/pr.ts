/**
 * Precision-recall curve and average precision, matching sklearn's precision_recall_curve /
 * average_precision_score (no interpolation).
 */
import { binaryCurve } from './curve'

export interface PrCurve {
  /** (K+1) precision, recall increasing order reversed like sklearn: last point is (recall 0, precision 1). */
  precision: Float64Array
  /** (K+1) recall, decreasing. */
  recall: Float64Array
  /** (K) thresholds, ascending; precision[i]/recall[i] hold for score >= thresholds[i]. */
  thresholds: Float64Array
}

/** (N) labels in {0,1}, (N) scores -> PR curve. Recall is NaN without positives. */
export function prCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  const c = binaryCurve(yTrue, scores)
  const k = c.thresholds.length
  const precision = new Float64Array(k + 1)
  const recall = new Float64Array(k + 1)
  const thresholds = new Float64Array(k)
  for (let j = 0; j < k; j++) {
    const i = k - 1 - j // reverse: ascending thresholds
    const flagged = c.tps[i]! + c.fps[i]!
    precision[j] = flagged === 0 ? 0 : c.tps[i]! / flagged
    recall[j] = c.positives === 0 ? NaN : c.tps[i]! / c.positives
    thresholds[j] = c.thresholds[i]!
  }
  precision[k] = 1
  recall[k] = 0
  return { precision, recall, thresholds }
}

/** (N) labels, (N) scores -> AP = sum_n (R_n - R_{n-1}) P_n; NaN without positives. */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = prCurve(yTrue, scores)
  if (Number.isNaN(recall[0]!)) return NaN
  let ap = 0
  for (let i = 0; i < recall.length - 1; i++) ap += (recall[i]! - recall[i + 1]!) * precision[i]!
  return ap
}
