/**
 * Which tier threshold explains the decided tier. Thresholds in a result's provenance are keyed 'tier:<key>'
 * (tier model) and 'code:<code>' (code model); unprefixed keys are accepted too. The tier rule is cumulative:
 * tier k wins when P(tier >= k) reaches threshold k, so for an abnormal tier the threshold in force is its own,
 * and for 'normal' it is the first abnormal tier's (normal = that threshold was not reached).
 */
import type { AnalysisResult } from '@shared/contract/analysis'

export function thresholdFor(thresholds: Readonly<Record<string, number>>, prefix: 'tier' | 'code', key: string): number | undefined {
  return thresholds[`${prefix}:${key}`] ?? thresholds[key]
}

export function tierThresholdInForce(result: AnalysisResult): { key: string; value: number } | null {
  const { classKeys, index } = result.tier
  const key = index > 0 ? classKeys[index] : classKeys[1]
  if (key === undefined) return null
  const value = thresholdFor(result.provenance.thresholds, 'tier', key)
  return value === undefined ? null : { key, value }
}
