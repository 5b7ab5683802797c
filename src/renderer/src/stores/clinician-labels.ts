/**
 * Pure: what the clinician loop learns from a case. A clinician's over-read wins; otherwise the record's own
 * source labels (PTB-XL SCP, CinC SNOMED, SPH AHA) are bridged to AHA codes and tiers with the label catalog.
 * A case whose tier comes out 'unmapped' gets no tier label (never guessed as normal).
 * Also: the queue of cases worth annotating (AI vs over-read disagreements, results near a threshold).
 */
import type { LabelItem } from '@shared/contract/clinician'
import { ahaFromScp, ahaFromSnomed, tierOfBridged, tierOfCodes, type BridgeResult } from '@shared/labels/catalog'
import type { CaseRow, ResultRow } from '../db/types'

const TIER4_TO_3: Record<string, string> = { normal: 'normal', minor: 'non-urgent', major: 'non-urgent', critical: 'urgent' }

function bridged(c: CaseRow): BridgeResult | null {
  const labels = c.summary.labels
  if (labels.length === 0) return null
  const scp = labels.filter((l) => l.system === 'scp')
  const snomed = labels.filter((l) => l.system === 'snomed')
  const aha = labels.filter((l) => l.system === 'aha')
  if (scp.length) return ahaFromScp(Object.fromEntries(scp.map((l) => [l.code, l.likelihood ?? 0])), c.summary.meta['heart_axis'] ?? null)
  if (snomed.length) return ahaFromSnomed(snomed.map((l) => l.code))
  if (aha.length) return { codes: [...new Set(aha.map((l) => l.code))], modifiers: [], unmapped: [], oneOf: [] }
  return null
}

/** One case -> its label for the local labelled set, or null when there is nothing to learn from. */
export function labelOfCase(c: CaseRow): LabelItem | null {
  if (c.review && c.review.action !== 'reject') {
    const key = c.review.tierKey
    const codes = c.review.codes
    const t3 = key in TIER4_TO_3 && !['normal', 'non-urgent', 'urgent'].includes(key) ? TIER4_TO_3[key] : key
    const fromCodes4 = codes.length ? tierOfCodes(codes, 'tier4').key : 'unmapped'
    return {
      recordId: c.id,
      ...(t3 && t3 !== 'unmapped' ? { tier3: t3 } : {}),
      ...(['minor', 'major', 'critical', 'normal'].includes(key) ? { tier4: key } : fromCodes4 !== 'unmapped' ? { tier4: fromCodes4 } : {}),
      ...(codes.length ? { codes } : {}),
      source: 'over-read',
    }
  }
  const b = bridged(c)
  if (!b) return null
  const t3 = tierOfBridged(b, 'tier3').key
  const t4 = tierOfBridged(b, 'tier4').key
  if (t3 === 'unmapped' && t4 === 'unmapped' && b.codes.length === 0) return null
  return { recordId: c.id, ...(t3 !== 'unmapped' ? { tier3: t3 } : {}), ...(t4 !== 'unmapped' ? { tier4: t4 } : {}), ...(b.codes.length ? { codes: b.codes } : {}), source: 'source-label' }
}

export interface QueueItem {
  caseId: string
  name: string
  reason: 'disagreement' | 'near-threshold' | 'needs-human-read'
  detail: string
  /** Higher first. */
  score: number
}

/**
 * Cases worth a clinician's annotation: the AI tier differs from the over-read (most useful for fine-tuning),
 * the deciding cumulative probability lies within `margin` of its threshold, or the AI asked for a human read.
 */
export function annotationQueue(cases: readonly CaseRow[], results: ReadonlyMap<number, ResultRow>, margin = 0.1): QueueItem[] {
  const out: QueueItem[] = []
  for (const c of cases) {
    const r = c.resultId !== undefined ? results.get(c.resultId)?.result : undefined
    if (!r) continue
    if (c.review && c.review.tierKey !== r.tier.key) {
      out.push({ caseId: c.id, name: c.summary.name, reason: 'disagreement', detail: `AI ${r.tier.key}, over-read ${c.review.tierKey}`, score: 3 })
      continue
    }
    const probs = r.tier.probabilities
    let best: { key: string; gap: number; p: number; t: number } | null = null
    for (let k = 1; k < probs.length; k++) {
      const key = r.tier.classKeys[k]!
      const t = r.provenance.thresholds[`tier:${key}`] ?? r.provenance.thresholds[key]
      if (t === undefined) continue
      const p = probs.slice(k).reduce((a, b) => a + b, 0)
      const gap = Math.abs(p - t)
      if (gap <= margin && (!best || gap < best.gap)) best = { key, gap, p, t }
    }
    if (best) out.push({ caseId: c.id, name: c.summary.name, reason: 'near-threshold', detail: `P(≥${best.key}) ${best.p.toFixed(2)} vs threshold ${best.t.toFixed(2)}`, score: 2 + (margin - best.gap) })
    else if (r.needsHumanRead && !c.review) out.push({ caseId: c.id, name: c.summary.name, reason: 'needs-human-read', detail: r.flags.filter((f) => f.severity === 'block').map((f) => f.kind).join(', '), score: 1 })
  }
  return out.sort((a, b) => b.score - a.score)
}
