/**
 * Metrics of one binary operating point: a case is flagged when score >= threshold.
 */
import { checkBinaryInputs } from './curve'
import { f1From, safeDiv } from './confusion'

export interface BinaryMetrics {
  threshold: number
  tp: number
  fp: number
  tn: number
  fn: number
  /** TP / (TP + FN); 0 when there are no positives. */
  sensitivity: number
  /** TN / (TN + FP); 0 when there are no negatives. */
  specificity: number
  /** Positive predictive value TP / (TP + FP); 0 when nothing is flagged. */
  ppv: number
  /** Negative predictive value TN / (TN + FN); 0 when everything is flagged. */
  npv: number
  f1: number
  /** Fraction of cases flagged (the alert volume a clinician will see). */
  alertVolume: number
}

export function metricsFromCounts(threshold: number, tp: number, fp: number, tn: number, fn: number): BinaryMetrics {
  const sensitivity = safeDiv(tp, tp + fn)
  const ppv = safeDiv(tp, tp + fp)
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    sensitivity,
    specificity: safeDiv(tn, tn + fp),
    ppv,
    npv: safeDiv(tn, tn + fn),
    f1: f1From(ppv, sensitivity),
    alertVolume: safeDiv(tp + fp, tp + fp + tn + fn),
  }
}

/** (N) labels in {0,1}, (N) scores, threshold -> counts and rates. */
export function binaryAt(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): BinaryMetrics {
  checkBinaryInputs(yTrue, scores, 'binaryAt')
  let tp = 0
  let fp = 0
  let tn = 0
  let fn = 0
  for (let i = 0; i < yTrue.length; i++) {
    const flagged = (scores[i] as number) >= threshold
    if (yTrue[i] === 1) {
      if (flagged) tp++
      else fn++
    } else if (flagged) fp++
    else tn++
  }
  return metricsFromCounts(threshold, tp, fp, tn, fn)
}

/** (N) scores, threshold -> fraction with score >= threshold (no labels needed: works on unlabelled traffic). */
export function alertVolume(scores: ArrayLike<number>, threshold: number): number {
  let flagged = 0
  for (let i = 0; i < scores.length; i++) if ((scores[i] as number) >= threshold) flagged++
  return safeDiv(flagged, scores.length)
}
