/**
 * Operating-point helpers for the tuning view: pick a threshold among the distinct scores of a labelled set.
 * Every candidate is an observed score, so the chosen point's metrics are exactly what the set shows.
 * Ties in the objective go to the HIGHER threshold: same benefit, fewer alerts.
 */
import { binaryCurve } from './curve'
import { metricsFromCounts, type BinaryMetrics } from './binary'
import { f1From, safeDiv } from './confusion'

export type OperatingRule = { kind: 'min-sensitivity'; value: number } | { kind: 'max-f1' } | { kind: 'youden' }

function candidates(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { points: BinaryMetrics[]; positives: number; negatives: number } {
  const c = binaryCurve(yTrue, scores)
  const points: BinaryMetrics[] = []
  for (let i = 0; i < c.thresholds.length; i++) {
    const tp = c.tps[i]!
    const fp = c.fps[i]!
    points.push(metricsFromCounts(c.thresholds[i]!, tp, fp, c.negatives - fp, c.positives - tp))
  }
  return { points, positives: c.positives, negatives: c.negatives }
}

/**
 * The highest threshold whose sensitivity is >= `minSensitivity` (fewest alerts that still meet the target).
 * Throws when the set has no positives: a sensitivity target cannot be checked without them.
 */
export function thresholdForSensitivity(yTrue: ArrayLike<number>, scores: ArrayLike<number>, minSensitivity: number): BinaryMetrics {
  if (!(minSensitivity >= 0 && minSensitivity <= 1)) throw new RangeError(`thresholdForSensitivity: target ${minSensitivity} is not in [0, 1]`)
  const { points, positives } = candidates(yTrue, scores)
  if (positives === 0) throw new RangeError('thresholdForSensitivity: the labelled set has no positive cases')
  // points are in descending threshold order with non-decreasing sensitivity: the first hit is the highest threshold
  const hit = points.find((p) => p.sensitivity >= minSensitivity - 1e-12)
  return hit ?? points[points.length - 1]!
}

/** The threshold maximising F1 (PPV vs sensitivity). */
export function thresholdMaxF1(yTrue: ArrayLike<number>, scores: ArrayLike<number>): BinaryMetrics {
  return best(candidates(yTrue, scores).points, (p) => f1From(p.ppv, p.sensitivity))
}

/** The threshold maximising Youden's J = sensitivity + specificity - 1. */
export function thresholdYouden(yTrue: ArrayLike<number>, scores: ArrayLike<number>): BinaryMetrics {
  const { points, negatives } = candidates(yTrue, scores)
  return best(points, (p) => p.sensitivity + (negatives === 0 ? 0 : safeDiv(p.tn, negatives)) - 1)
}

export function operatingPoint(yTrue: ArrayLike<number>, scores: ArrayLike<number>, rule: OperatingRule): BinaryMetrics {
  switch (rule.kind) {
    case 'min-sensitivity':
      return thresholdForSensitivity(yTrue, scores, rule.value)
    case 'max-f1':
      return thresholdMaxF1(yTrue, scores)
    case 'youden':
      return thresholdYouden(yTrue, scores)
  }
}

function best(points: BinaryMetrics[], objective: (p: BinaryMetrics) => number): BinaryMetrics {
  if (points.length === 0) throw new RangeError('operating point: the labelled set is empty')
  let bestP = points[0]!
  let bestV = objective(bestP)
  for (const p of points) {
    const v = objective(p)
    if (v > bestV + 1e-12) {
      bestV = v
      bestP = p
    }
  }
  return bestP
}
