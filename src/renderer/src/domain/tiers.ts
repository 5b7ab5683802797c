/**
 * Tier semantics the UI needs: severity rank, recommended action and worklist urgency. Tier keys come from the
 * model's class keys (3-tier: normal / non-urgent / urgent; 4-tier: normal / minor / major / critical).
 */
import type { AnalysisState, CaseStatus } from '../db/types'

const RANK: Record<string, number> = { normal: 0, minor: 1, 'non-urgent': 1, major: 2, urgent: 3, critical: 3 }

/** Severity on one scale across both schemes: 0 normal .. 3 urgent/critical; unknown keys count as -1. */
export function tierRank(key: string | undefined): number {
  return key === undefined ? -1 : (RANK[key] ?? -1)
}

export function isUrgentTier(key: string | undefined): boolean {
  return tierRank(key) === 3
}

export type ActionKey = 'refer-urgently' | 'refer-routine' | 'follow-up' | 'reassure' | 'human-read'

/** The action a GP is pointed to. Uncertain results never get "reassure": a human reads them first. */
export function recommendedAction(tierKey: string | undefined, needsHumanRead: boolean): ActionKey {
  const rank = tierRank(tierKey)
  if (rank === 3) return 'refer-urgently'
  if (needsHumanRead || rank < 0) return 'human-read'
  if (tierKey === 'major') return 'refer-routine'
  if (rank >= 1) return 'follow-up'
  return 'reassure'
}

export interface UrgencyFacts {
  status: CaseStatus
  analysis: AnalysisState
  tierKey?: string
  needsHumanRead?: boolean
  review?: { tierKey: string }
}

/**
 * Worklist group, most urgent first:
 *   0 urgent / critical (the clinician's tier once reviewed, else the AI's)
 *   1 needs a human read (uncertain, blocked by quality, analysis failed)
 *   2 not analysed yet (could be anything)
 *   3 everything else, by time
 *   4 signed (done; kept visible at the bottom)
 */
export function urgencyOf(c: UrgencyFacts): number {
  if (c.status === 'signed') return 4
  const tier = c.review?.tierKey ?? c.tierKey
  if (isUrgentTier(tier)) return 0
  if (c.analysis === 'failed' || (c.needsHumanRead && !c.review) || (c.analysis === 'done' && tierRank(tier) < 0)) return 1
  if (c.analysis !== 'done') return 2
  return 3
}

export interface Sortable {
  urgency: number
  importedAt: string
  summary: { name: string }
}

/** Urgency group, then waiting time (oldest import first), then record name for a stable order. */
export function compareCases(a: Sortable, b: Sortable): number {
  return a.urgency - b.urgency || (a.importedAt < b.importedAt ? -1 : a.importedAt > b.importedAt ? 1 : 0) || a.summary.name.localeCompare(b.summary.name)
}
