import { describe, expect, it } from 'vitest'
import { FeatureCache } from '../../../src/main/inference/feature-cache'

const entry = (v: number) => ({ features: new Float32Array([v]), nWindows: 1, windowSamples: 1000, windowStarts: [0], targetRateHz: 100 })

describe('FeatureCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const c = new FeatureCache(2)
    c.set('m@1', 'a', entry(1))
    c.set('m@1', 'b', entry(2))
    expect(c.get('m@1', 'a')?.features[0]).toBe(1) // a is now the most recent
    c.set('m@1', 'c', entry(3))
    expect(c.size).toBe(2)
    expect(c.get('m@1', 'b')).toBeUndefined()
    expect(c.get('m@1', 'a')?.features[0]).toBe(1)
    expect(c.get('m@1', 'c')?.features[0]).toBe(3)
  })

  it('keys by model version and record, so another version never sees a stale map', () => {
    const c = new FeatureCache()
    c.set('triage-tier3@1.0.0', 'r', entry(1))
    expect(c.get('triage-tier3@1.0.0-ft.1', 'r')).toBeUndefined()
    expect(c.get('triage-tier3@1.0.0', 'other')).toBeUndefined()
  })
})
