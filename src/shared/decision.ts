/**
 * The decision rule: model probabilities -> tier, positive codes, consistency escalation, uncertainty.
 * Pure functions over plain arrays so the app, the CLI, the evaluation and the renderer (operating-point
 * previews) all decide identically. Thresholds follow the manifest semantics (src/shared/manifest.ts).
 */

/** Softmax of logits / temperature. (C) -> (C) */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature)
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! / temperature - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}

/** Elementwise logistic of logits / temperature. (C) -> (C) */
export function sigmoid(logits: ArrayLike<number>, temperature = 1): number[] {
  return Array.from({ length: logits.length }, (_, i) => 1 / (1 + Math.exp(-logits[i]! / temperature)))
}

/** cum[k] = P(tier >= k) for classes ordered from least to most severe. (C) -> (C) */
export function cumulativeFromTop(probs: readonly number[]): number[] {
  const cum = new Array<number>(probs.length).fill(0)
  let acc = 0
  for (let k = probs.length - 1; k >= 0; k--) {
    acc += probs[k]!
    cum[k] = Math.min(1, acc)
  }
  return cum
}

export class DecisionError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'DecisionError'
  }
}

/**
 * Tier rule. `classKeys` are ordered least -> most severe (index 0 is 'normal'). Walking from the most severe
 * tier down, the first tier k whose cumulative probability P(tier >= k) reaches thresholds[key_k] wins;
 * otherwise the least severe tier. Cumulative (not per-class) probabilities are used so that mass split
 * between two abnormal tiers still escalates away from 'normal' -- a safety property for triage.
 */
export function decideTier(probs: readonly number[], classKeys: readonly string[], thresholds: Readonly<Record<string, number>>): number {
  if (probs.length !== classKeys.length) throw new DecisionError(`tier probabilities (${probs.length}) and classes (${classKeys.length}) differ in length`)
  const cum = cumulativeFromTop(probs)
  for (let k = classKeys.length - 1; k >= 1; k--) {
    const t = thresholds[classKeys[k]!]
    if (t === undefined) throw new DecisionError(`no threshold for tier '${classKeys[k]}'`)
    if (cum[k]! >= t) return k
  }
  return 0
}

/** Default threshold for a code without an operating point in the manifest. */
export const DEFAULT_CODE_THRESHOLD = 0.5

/** Code rule: a code is positive when its sigmoid probability reaches its threshold. (C) -> (C) */
export function decideCodes(probs: readonly number[], classKeys: readonly string[], thresholds: Readonly<Record<string, number>>): boolean[] {
  if (probs.length !== classKeys.length) throw new DecisionError(`code probabilities (${probs.length}) and classes (${classKeys.length}) differ in length`)
  return probs.map((p, i) => p >= (thresholds[classKeys[i]!] ?? DEFAULT_CODE_THRESHOLD))
}

export interface PositiveCode {
  code: string
  probability: number
  /** Index of the code's tier in the tier model's class order, or null when the code has no tier mapping. */
  tierIndex: number | null
}

export interface ConsistencyOutcome {
  /** Final tier index (never less severe than the model's). */
  index: number
  escalated: boolean
  /** The code that drove an escalation (the most severe; ties broken by probability). */
  drivingCode?: string
  /** Positive codes with no tier mapping: the clinician must review them, never a silent normal. */
  unmappedCodes: string[]
}

/**
 * Consistency between the two stages: when a positive code implies a more severe tier than the tier model's,
 * the more severe tier wins (under-triage is the costly error), and the caller adds a 'disagreement' flag.
 */
export function applyConsistency(modelIndex: number, positives: readonly PositiveCode[]): ConsistencyOutcome {
  let best: PositiveCode | undefined
  const unmappedCodes: string[] = []
  for (const p of positives) {
    if (p.tierIndex === null) {
      unmappedCodes.push(p.code)
      continue
    }
    if (!best || p.tierIndex > best.tierIndex! || (p.tierIndex === best.tierIndex && p.probability > best.probability)) best = p
  }
  if (best && best.tierIndex! > modelIndex) return { index: best.tierIndex!, escalated: true, drivingCode: best.code, unmappedCodes }
  return { index: modelIndex, escalated: false, unmappedCodes }
}

/** Shannon entropy divided by ln(C): 0 = certain, 1 = uniform. (C) -> scalar */
export function normalisedEntropy(probs: readonly number[]): number {
  if (probs.length < 2) return 0
  let h = 0
  for (const p of probs) if (p > 0) h -= p * Math.log(p)
  return h / Math.log(probs.length)
}

export interface UncertaintyThresholds {
  /** Below this top tier probability the answer is uncertain. */
  minTopProbability: number
  /** Above this normalised entropy the answer is uncertain. */
  maxNormalisedEntropy: number
}

/**
 * Defaults: for 3 tiers a top probability under 0.5 means no tier has a majority; an entropy over 0.85 of the
 * maximum is close to a shrug. They flag, they do not decide: the tier stays, with needsHumanRead set.
 */
export const DEFAULT_UNCERTAINTY: UncertaintyThresholds = { minTopProbability: 0.5, maxNormalisedEntropy: 0.85 }

export interface UncertaintyReport {
  topProbability: number
  entropy: number
  uncertain: boolean
  reasons: string[]
}

export function assessUncertainty(probs: readonly number[], t: UncertaintyThresholds = DEFAULT_UNCERTAINTY): UncertaintyReport {
  const topProbability = Math.max(...probs)
  const entropy = normalisedEntropy(probs)
  const reasons: string[] = []
  if (topProbability < t.minTopProbability) reasons.push(`top probability ${topProbability.toFixed(2)} < ${t.minTopProbability}`)
  if (entropy > t.maxNormalisedEntropy) reasons.push(`normalised entropy ${entropy.toFixed(2)} > ${t.maxNormalisedEntropy}`)
  return { topProbability, entropy, uncertain: reasons.length > 0, reasons }
}
