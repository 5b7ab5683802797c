/**
 * Pure: per-record probabilities + truth -> the Evaluation the tuning view draws (ROC/PR per target, metrics at
 * the thresholds, confusion, summary) and the floor check. No I/O.
 */
import type { Evaluation, EvalTarget, FloorCheck } from '@shared/contract/clinician'
import {
  atLeast,
  averagePrecision,
  binaryAt,
  classReport,
  confusionMatrix,
  cumulativeFrom,
  decideTiers,
  multiClassAuc,
  multiLabelReport,
  oneHot,
  prCurve,
  rocAuc,
  rocCurve,
} from '@shared/metrics'

export interface EvaluationInput {
  modelId: string
  modelVersion: string
  role: 'tier' | 'codes'
  classKeys: string[]
  classNames: string[]
  thresholds: Record<string, number>
  recordIds: string[]
  /** (N, C) probabilities */
  probs: Float64Array
  /** tier: (N) class index; codes: (N, C) 0/1 */
  truth: Int32Array | Uint8Array
  skipped: Array<{ recordId: string; message: string }>
}

/** ROC's first threshold is +Infinity ("flag nothing"); JSON cannot carry it, and any value > 1 means the same for probabilities. */
export const FLAG_NOTHING = 2

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null)

function target(key: string, name: string, y: Uint8Array, s: Float64Array, threshold: number): EvalTarget {
  const positives = y.reduce((a, b) => a + b, 0)
  const negatives = y.length - positives
  const defined = positives > 0 && negatives > 0
  const roc = defined ? rocCurve(y, s) : null
  const pr = positives > 0 ? prCurve(y, s) : null
  return {
    key,
    name,
    positives,
    negatives,
    auc: defined ? rocAuc(y, s) : null,
    averagePrecision: positives > 0 ? finiteOrNull(averagePrecision(y, s)) : null,
    roc: roc
      ? { fpr: Array.from(roc.fpr), tpr: Array.from(roc.tpr), thresholds: Array.from(roc.thresholds, (t) => (Number.isFinite(t) ? t : FLAG_NOTHING)) }
      : { fpr: [], tpr: [], thresholds: [] },
    pr: pr ? { precision: Array.from(pr.precision), recall: Array.from(pr.recall), thresholds: Array.from(pr.thresholds) } : { precision: [], recall: [], thresholds: [] },
    atThreshold: binaryAt(y, s, threshold),
  }
}

/** Threshold per class index for decideTiers; index 0 (normal) is never thresholded. */
export function tierThresholdArray(classKeys: readonly string[], thresholds: Record<string, number>): Float64Array {
  return Float64Array.from(classKeys, (k, i) => (i === 0 ? NaN : (thresholds[k] ?? 0.5)))
}

export function buildEvaluation(inp: EvaluationInput): Evaluation {
  const C = inp.classKeys.length
  const n = inp.recordIds.length
  if (inp.probs.length !== n * C) throw new RangeError(`buildEvaluation: ${inp.probs.length} probabilities for ${n} records x ${C} classes`)
  const probabilities = Array.from({ length: n }, (_, i) => Array.from(inp.probs.subarray(i * C, (i + 1) * C)))
  const targets: EvalTarget[] = []
  if (inp.role === 'tier') {
    const truth = inp.truth as Int32Array
    for (let k = 1; k < C; k++) {
      const key = inp.classKeys[k]!
      targets.push(target(key, `${inp.classNames[k] ?? key} or worse`, atLeast(truth, k), cumulativeFrom(inp.probs, C, k), inp.thresholds[key] ?? 0.5))
    }
    const decided = decideTiers(inp.probs, C, tierThresholdArray(inp.classKeys, inp.thresholds))
    const cm = confusionMatrix(truth, decided, C)
    const rep = classReport(cm)
    const auc = n > 0 ? multiClassAuc(oneHot(truth, C), inp.probs, C) : { macro: NaN, micro: NaN }
    return {
      ...header(inp, probabilities),
      truth: Array.from(truth),
      targets,
      confusion: Array.from({ length: C }, (_, t) => Array.from(cm.counts.subarray(t * C, (t + 1) * C))),
      summary: { accuracy: n ? rep.accuracy : null, macroF1: rep.macro.f1, weightedF1: rep.weighted.f1, macroAuc: finiteOrNull(auc.macro), microAuc: finiteOrNull(auc.micro) },
    }
  }
  const truth = inp.truth as Uint8Array
  const thr = Float64Array.from(inp.classKeys, (k) => inp.thresholds[k] ?? 0.5)
  const y = new Uint8Array(n)
  const s = new Float64Array(n)
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < n; i++) {
      y[i] = truth[i * C + c]!
      s[i] = inp.probs[i * C + c]!
    }
    targets.push(target(inp.classKeys[c]!, inp.classNames[c] ?? inp.classKeys[c]!, y, s, thr[c]!))
  }
  const rep = n > 0 ? multiLabelReport(truth, inp.probs, thr) : null
  return {
    ...header(inp, probabilities),
    truth: Array.from({ length: n }, (_, i) => Array.from(truth.subarray(i * C, (i + 1) * C))),
    targets,
    confusion: null,
    summary: {
      accuracy: rep ? rep.subsetAccuracy : null,
      macroF1: rep?.macroF1 ?? 0,
      weightedF1: rep?.weightedF1 ?? 0,
      macroAuc: rep ? finiteOrNull(rep.auc.macro) : null,
      microAuc: rep ? finiteOrNull(rep.auc.micro) : null,
    },
  }
}

function header(inp: EvaluationInput, probabilities: number[][]) {
  return {
    modelId: inp.modelId,
    modelVersion: inp.modelVersion,
    role: inp.role,
    classKeys: inp.classKeys,
    thresholds: Object.fromEntries(inp.classKeys.map((k, i) => [k, inp.thresholds[k] ?? (inp.role === 'tier' && i === 0 ? 0 : 0.5)])),
    recordIds: inp.recordIds,
    probabilities,
    skipped: inp.skipped,
  }
}

/**
 * The safety floor: for tier models, the sensitivity of the most severe tier (urgent / critical) on the local
 * test set must stay >= floor. Without any most-severe case in the set the floor cannot be verified, which is
 * reported as not ok (the caller decides whether a change is monotone-safe anyway).
 */
export function floorCheck(ev: Evaluation, floor: number): FloorCheck {
  if (ev.role !== 'tier') {
    return { applies: false, key: null, floor, sensitivity: null, positives: 0, ok: true, message: 'the safety floor applies to tier models; code thresholds are not floored' }
  }
  const top = ev.targets[ev.targets.length - 1]!
  if (top.positives === 0) {
    return { applies: true, key: top.key, floor, sensitivity: null, positives: 0, ok: false, message: `the local test set has no '${top.key}' cases, so the ${pct(floor)} sensitivity floor cannot be verified` }
  }
  const sens = top.atThreshold.sensitivity
  const ok = sens >= floor - 1e-12
  return {
    applies: true,
    key: top.key,
    floor,
    sensitivity: sens,
    positives: top.positives,
    ok,
    message: ok
      ? `'${top.key}' sensitivity ${pct(sens)} (${top.atThreshold.tp}/${top.positives}) meets the ${pct(floor)} floor`
      : `'${top.key}' sensitivity ${pct(sens)} (${top.atThreshold.tp}/${top.positives}) is below the ${pct(floor)} safety floor`,
  }
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`
