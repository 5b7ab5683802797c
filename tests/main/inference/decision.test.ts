import { describe, expect, it } from 'vitest'
import { applyConsistency, assessUncertainty, cumulativeFromTop, decideCodes, decideTier, DecisionError, normalisedEntropy, sigmoid, softmax } from '@shared/decision'

const TIER3 = ['normal', 'non-urgent', 'urgent']

describe('tier rule (cumulative probability vs per-tier threshold, most severe first)', () => {
  it('computes P(tier >= k)', () => {
    expect(cumulativeFromTop([0.5, 0.3, 0.2]).map((v) => +v.toFixed(6))).toEqual([1, 0.5, 0.2])
  })
  it('escalates away from normal when abnormal mass is split between tiers', () => {
    // argmax is 'normal', but P(tier >= non-urgent) = 0.6 reaches its threshold
    expect(decideTier([0.4, 0.35, 0.25], TIER3, { 'non-urgent': 0.5, urgent: 0.3 })).toBe(1)
  })
  it('takes the most severe tier whose cumulative probability reaches its threshold', () => {
    expect(decideTier([0.4, 0.25, 0.35], TIER3, { 'non-urgent': 0.5, urgent: 0.3 })).toBe(2)
    expect(decideTier([0.9, 0.05, 0.05], TIER3, { 'non-urgent': 0.5, urgent: 0.3 })).toBe(0)
  })
  it('a threshold equal to the probability counts as reached', () => {
    expect(decideTier([0.7, 0, 0.3], TIER3, { 'non-urgent': 0.5, urgent: 0.3 })).toBe(2)
  })
  it('refuses a missing threshold or mismatched lengths', () => {
    expect(() => decideTier([0.2, 0.3, 0.5], TIER3, { 'non-urgent': 0.5 })).toThrow(DecisionError)
    expect(() => decideTier([0.5, 0.5], TIER3, { 'non-urgent': 0.5, urgent: 0.5 })).toThrow(/differ in length/)
  })
})

describe('code rule', () => {
  it('positive at or above the per-code threshold, default 0.5 without one', () => {
    expect(decideCodes([0.3, 0.3, 0.6, 0.49], ['50', '22', '1', '21'], { '50': 0.3, '22': 0.31 })).toEqual([true, false, true, false])
  })
})

describe('consistency rule', () => {
  it('escalates to the most severe positive code and names it', () => {
    const out = applyConsistency(0, [
      { code: '22', probability: 0.9, tierIndex: 1 },
      { code: '50', probability: 0.6, tierIndex: 2 },
      { code: '104', probability: 0.8, tierIndex: 2 },
    ])
    expect(out).toEqual({ index: 2, escalated: true, drivingCode: '104', unmappedCodes: [] })
  })
  it('never de-escalates the tier model', () => {
    expect(applyConsistency(2, [{ code: '22', probability: 0.9, tierIndex: 1 }])).toMatchObject({ index: 2, escalated: false })
  })
  it('reports unmapped positive codes without escalating on them', () => {
    expect(applyConsistency(0, [{ code: '999', probability: 0.9, tierIndex: null }])).toEqual({ index: 0, escalated: false, unmappedCodes: ['999'] })
  })
})

describe('probabilities and uncertainty', () => {
  it('softmax and sigmoid with temperature', () => {
    const p = softmax([2, 0, -2])
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(p[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-2)), 12)
    expect(softmax([2, 0], 2)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12)
    expect(sigmoid([0, 2], 2)).toEqual([0.5, 1 / (1 + Math.exp(-1))])
    expect(softmax([1000, 0])[0]).toBe(1) // no overflow
  })
  it('normalised entropy spans 0..1', () => {
    expect(normalisedEntropy([1, 0, 0])).toBe(0)
    expect(normalisedEntropy([1 / 3, 1 / 3, 1 / 3])).toBeCloseTo(1, 12)
  })
  it('flags a low top probability or a flat distribution', () => {
    expect(assessUncertainty([0.9, 0.05, 0.05]).uncertain).toBe(false)
    const u = assessUncertainty([0.45, 0.3, 0.25])
    expect(u.uncertain).toBe(true)
    expect(u.reasons.join(' ')).toMatch(/top probability 0.45/)
  })
})
