/**
 * Multi-label (code model) report: each class is its own binary problem at its own threshold.
 */
import { binaryAt, metricsFromCounts, type BinaryMetrics } from './binary'
import { safeDiv } from './confusion'
import { multiClassAuc } from './roc'

export interface MultiLabelReport {
  perClass: BinaryMetrics[]
  /** Counts pooled over all (case, class) pairs. */
  micro: BinaryMetrics
  macroF1: number
  /** F1 weighted by support (positives per class). */
  weightedF1: number
  /** Fraction of cases whose whole predicted label set is exactly right. */
  subsetAccuracy: number
  auc: { perClass: number[]; macro: number; micro: number }
}

/** (N, C) labels in {0,1}, (N, C) scores, (C) thresholds -> report. */
export function multiLabelReport(yTrue: ArrayLike<number>, scores: ArrayLike<number>, thresholds: ArrayLike<number>): MultiLabelReport {
  const c = thresholds.length
  if (c < 1 || yTrue.length !== scores.length || yTrue.length % c !== 0) {
    throw new RangeError(`multiLabelReport: labels (${yTrue.length}) and scores (${scores.length}) must both be N x ${c}`)
  }
  const n = yTrue.length / c
  const perClass: BinaryMetrics[] = []
  const y = new Uint8Array(n)
  const s = new Float64Array(n)
  let tp = 0
  let fp = 0
  let tn = 0
  let fn = 0
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) {
      y[i] = yTrue[i * c + k] as number
      s[i] = scores[i * c + k] as number
    }
    const m = binaryAt(y, s, thresholds[k] as number)
    perClass.push(m)
    tp += m.tp
    fp += m.fp
    tn += m.tn
    fn += m.fn
  }
  let exact = 0
  for (let i = 0; i < n; i++) {
    let ok = true
    for (let k = 0; k < c && ok; k++) ok = ((scores[i * c + k] as number) >= (thresholds[k] as number) ? 1 : 0) === yTrue[i * c + k]
    if (ok) exact++
  }
  const support = perClass.map((m) => m.tp + m.fn)
  const totalSupport = support.reduce((a, b) => a + b, 0)
  return {
    perClass,
    micro: metricsFromCounts(NaN, tp, fp, tn, fn),
    macroF1: safeDiv(perClass.reduce((a, m) => a + m.f1, 0), c),
    weightedF1: safeDiv(perClass.reduce((a, m, k) => a + m.f1 * support[k]!, 0), totalSupport),
    subsetAccuracy: safeDiv(exact, n),
    auc: multiClassAuc(yTrue, scores, c),
  }
}
