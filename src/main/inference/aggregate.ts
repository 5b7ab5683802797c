/**
 * From per-window model outputs to one record-level answer.
 *
 * Windows: a record longer than the model window is cut into windows (src/shared/dsp). Aggregation rule:
 * - tier probabilities are the MEAN over windows (a calibrated average of the evidence), but the decision is
 *   the most severe of the mean's decision and each window's own decision: an urgent event confined to one
 *   window (a run of VT in a 30-s strip) must not be averaged away by normal windows. Over-triage is the
 *   cheaper error for a triage tool.
 * - code probabilities are the MAX over windows: a code asserts the finding is present somewhere in the
 *   record (a PVC, a flutter episode), which is the definition of multi-label presence.
 * For a 10-s record at the model window there is one window and both rules are the identity.
 */
import { decideCodes, decideTier, sigmoid, softmax } from '@shared/decision'

/** logits (nWin, C) -> probabilities (nWin, C) */
export function windowProbabilities(logits: Float32Array, nWin: number, C: number, task: 'single-label' | 'multi-label', temperature = 1): number[][] {
  if (logits.length !== nWin * C) throw new RangeError(`logits: ${logits.length} values for (${nWin}, ${C})`)
  return Array.from({ length: nWin }, (_, w) => {
    const row = logits.subarray(w * C, (w + 1) * C)
    return task === 'single-label' ? softmax(row, temperature) : sigmoid(row, temperature)
  })
}

/** (nWin, C) -> (C) */
export function meanOverWindows(p: readonly number[][]): number[] {
  const C = p[0]?.length ?? 0
  const out = new Array<number>(C).fill(0)
  for (const row of p) for (let c = 0; c < C; c++) out[c]! += row[c]! / p.length
  return out
}

/** (nWin, C) -> (C) */
export function maxOverWindows(p: readonly number[][]): number[] {
  const C = p[0]?.length ?? 0
  const out = new Array<number>(C).fill(-Infinity)
  for (const row of p) for (let c = 0; c < C; c++) out[c] = Math.max(out[c]!, row[c]!)
  return out
}

export interface TierAggregate {
  probabilities: number[]
  /** Decision on the mean probabilities, possibly raised by a single window. */
  index: number
  /** Window that raised the decision above the mean's, if any. */
  escalatingWindow: number | null
}

export function aggregateTier(perWindow: readonly number[][], classKeys: readonly string[], thresholds: Readonly<Record<string, number>>): TierAggregate {
  const probabilities = meanOverWindows(perWindow)
  let index = decideTier(probabilities, classKeys, thresholds)
  let escalatingWindow: number | null = null
  if (perWindow.length > 1) {
    perWindow.forEach((p, w) => {
      const k = decideTier(p, classKeys, thresholds)
      if (k > index) {
        index = k
        escalatingWindow = w
      }
    })
  }
  return { probabilities, index, escalatingWindow }
}

export interface CodesAggregate {
  probabilities: number[]
  positive: boolean[]
}

export function aggregateCodes(perWindow: readonly number[][], classKeys: readonly string[], thresholds: Readonly<Record<string, number>>): CodesAggregate {
  const probabilities = maxOverWindows(perWindow)
  return { probabilities, positive: decideCodes(probabilities, classKeys, thresholds) }
}

export const AGGREGATION_DESCRIPTION = 'tiers: mean over windows, most severe window may escalate; codes: max over windows'
