/**
 * ROC curve and AUC, matching sklearn's roc_curve (drop_intermediate) / roc_auc_score / auc (trapezoid).
 */
import { binaryCurve } from './curve'

export interface RocCurve {
  /** (K+1) thresholds, descending; the first is +Infinity (nothing flagged). */
  thresholds: Float64Array
  /** (K+1) true positive rate (sensitivity) at each threshold. */
  tpr: Float64Array
  /** (K+1) false positive rate (1 - specificity) at each threshold. */
  fpr: Float64Array
  positives: number
  negatives: number
}

/**
 * (N) labels in {0,1}, (N) scores -> ROC. With `dropIntermediate` (sklearn's default) collinear points are
 * removed: the curve and its area are unchanged, only lighter to draw. With no positives TPR is NaN, with no
 * negatives FPR is NaN (sklearn warns and does the same).
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, dropIntermediate = true): RocCurve {
  const c = binaryCurve(yTrue, scores)
  let idx = Array.from({ length: c.thresholds.length }, (_, i) => i)
  if (dropIntermediate && idx.length > 2) {
    // keep a point when the second difference of fps or tps is non-zero (a change of slope), plus both ends
    idx = idx.filter((i) => {
      if (i === 0 || i === idx.length - 1) return true
      const d2f = c.fps[i + 1]! - 2 * c.fps[i]! + c.fps[i - 1]!
      const d2t = c.tps[i + 1]! - 2 * c.tps[i]! + c.tps[i - 1]!
      return d2f !== 0 || d2t !== 0
    })
  }
  const k = idx.length + 1
  const thresholds = new Float64Array(k)
  const tpr = new Float64Array(k)
  const fpr = new Float64Array(k)
  thresholds[0] = Infinity
  idx.forEach((i, j) => {
    thresholds[j + 1] = c.thresholds[i]!
    tpr[j + 1] = c.tps[i]! / c.positives
    fpr[j + 1] = c.fps[i]! / c.negatives
  })
  // the (0,0) start is NaN too when a class is absent, so the whole axis reads as undefined
  if (c.positives === 0) tpr[0] = NaN
  if (c.negatives === 0) fpr[0] = NaN
  return { thresholds, tpr, fpr, positives: c.positives, negatives: c.negatives }
}

/** Trapezoidal area under y(x); x must be monotonic (either direction), like sklearn.metrics.auc. */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`trapezoid: ${x.length} x values but ${y.length} y values`)
  let area = 0
  let dir = 0
  for (let i = 1; i < x.length; i++) {
    const dx = (x[i] as number) - (x[i - 1] as number)
    if (dx !== 0) {
      const s = Math.sign(dx)
      if (dir !== 0 && s !== dir) throw new RangeError('trapezoid: x is neither increasing nor decreasing')
      dir = s
    }
    area += (dx * ((y[i] as number) + (y[i - 1] as number))) / 2
  }
  return Math.abs(area)
}

/** (N) labels, (N) scores -> ROC AUC; NaN when only one class is present (undefined, not 0.5). */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const r = rocCurve(yTrue, scores)
  if (r.positives === 0 || r.negatives === 0) return NaN
  return trapezoid(r.fpr, r.tpr)
}

/**
 * (N, C) row-major one-hot/multi-hot labels, (N, C) scores -> per-class one-vs-rest AUC (NaN where a class has
 * no positives or no negatives), their macro mean over defined classes, and the micro AUC of the flattened
 * (N*C) problem (sklearn's average='micro').
 */
export function multiClassAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>, nClasses: number): { perClass: number[]; macro: number; micro: number } {
  if (yTrue.length !== scores.length || yTrue.length % nClasses !== 0) {
    throw new RangeError(`multiClassAuc: labels (${yTrue.length}) and scores (${scores.length}) must both be N x ${nClasses}`)
  }
  const n = yTrue.length / nClasses
  const perClass: number[] = []
  const yc = new Uint8Array(n)
  const sc = new Float64Array(n)
  for (let c = 0; c < nClasses; c++) {
    for (let i = 0; i < n; i++) {
      yc[i] = yTrue[i * nClasses + c] as number
      sc[i] = scores[i * nClasses + c] as number
    }
    perClass.push(rocAuc(yc, sc))
  }
  const defined = perClass.filter((v) => !Number.isNaN(v))
  const macro = defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : NaN
  return { perClass, macro, micro: rocAuc(yTrue, scores) }
}

/** (N) class indices -> (N, C) one-hot, for the one-vs-rest AUCs of a single-label model. */
export function oneHot(labels: ArrayLike<number>, nClasses: number): Uint8Array {
  const out = new Uint8Array(labels.length * nClasses)
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) throw new RangeError(`oneHot: label ${c} at ${i} is not in [0, ${nClasses})`)
    out[i * nClasses + c] = 1
  }
  return out
}
