import { describe, expect, it } from 'vitest'
import { highpass, lowpass, medianSegmentRms, movingAverage, quantiles } from '../../../src/main/quality/filters'

const sine = (f: number, fs: number, n: number, a = 1): Float32Array => Float32Array.from({ length: n }, (_, t) => a * Math.sin((2 * Math.PI * f * t) / fs))
const rms = (x: Float32Array, from = 500, to = x.length - 500): number => {
  let s = 0
  for (let i = from; i < to; i++) s += x[i]! ** 2
  return Math.sqrt(s / (to - from))
}

describe('quality filters', () => {
  it('quantiles by selection equal the sorted-array definition (numpy linear)', () => {
    let seed = 1
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rnd() * 200)
      const x = Float64Array.from({ length: n }, () => Math.round(rnd() * 40) / 8) // ties on purpose
      const s = Float64Array.from(x).sort()
      const qs = [0, 0.001, 0.01, 0.5, 0.99, 0.999, 1]
      const got = quantiles(x, qs)
      qs.forEach((q, k) => {
        const pos = q * (n - 1)
        const lo = Math.floor(pos)
        const hi = Math.min(lo + 1, n - 1)
        expect(got[k]).toBeCloseTo(s[lo]! + (s[hi]! - s[lo]!) * (pos - lo), 12)
      })
    }
  })
  it('low-pass keeps slow content and removes fast content; high-pass the reverse', () => {
    const fs = 500
    const slow = sine(0.2, fs, 5000)
    const fast = sine(60, fs, 5000)
    expect(rms(lowpass(slow, 0.5, fs)) / rms(slow)).toBeGreaterThan(0.9)
    expect(rms(lowpass(fast, 0.5, fs)) / rms(fast)).toBeLessThan(1e-3)
    expect(rms(highpass(fast, 40, fs)) / rms(fast)).toBeGreaterThan(0.8)
    expect(rms(highpass(slow, 40, fs)) / rms(slow)).toBeLessThan(1e-3)
    // zero phase: a sine through the low-pass stays aligned
    const y = lowpass(slow, 5, fs)
    expect(y[1250]).toBeCloseTo(slow[1250]!, 2)
  })
  it('a constant signal starts without a transient', () => {
    const y = lowpass(new Float32Array(1000).fill(2), 1, 500)
    expect(Math.max(...y.map((v) => Math.abs(v - 2)))).toBeLessThan(1e-4)
  })
  it('moving average and median segment RMS', () => {
    expect(Array.from(movingAverage(Float32Array.from([0, 3, 6, 9]), 3))).toEqual([1.5, 3, 6, 7.5])
    const x = new Float32Array(1000).fill(1)
    x.fill(100, 0, 100) // one loud segment out of ten does not move the median
    expect(medianSegmentRms(x, 100)).toBeCloseTo(1, 6)
  })
})
