import { describe, expect, it } from 'vitest'
import { decimateMinMax, sampleRange } from '../../../src/renderer/src/ecg-render/decimate'
import { camColour, camRunsForCell } from '../../../src/renderer/src/ecg-render/heatmap'

/** Deterministic pseudo-random signal with a few sharp spikes (QRS-like), (n,) mV. */
function spiky(n: number): Float32Array {
  const x = new Float32Array(n)
  let seed = 12345
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    x[i] = Math.sin(i / 40) * 0.2 + (seed / 2 ** 31 - 0.5) * 0.05
  }
  for (const i of [17, 401, 402, 1999, 3333, 4999]) x[i] = i % 2 ? 1.7 : -0.9
  return x
}

describe('decimateMinMax', () => {
  it('keeps every column\'s exact min and max, and the global extremes (single-sample spikes)', () => {
    const x = spiky(5000)
    for (const columns of [1, 7, 236, 945, 4999, 5000]) {
      const { min, max } = decimateMinMax(x, 0, 5000, columns)
      expect(min.length).toBe(columns)
      for (let c = 0; c < columns; c++) {
        const a = Math.floor((c * 5000) / columns)
        const b = Math.floor(((c + 1) * 5000) / columns)
        expect(b).toBeGreaterThan(a)
        const slice = Array.from(x.subarray(a, b))
        expect(min[c]).toBe(Math.min(...slice))
        expect(max[c]).toBe(Math.max(...slice))
      }
      expect(Math.max(...max)).toBeCloseTo(1.7, 6)
      expect(Math.min(...min)).toBeCloseTo(-0.9, 6)
    }
  })

  it('works on a sub-range, skips NaN and marks an all-NaN column as a gap', () => {
    const x = new Float32Array([9, 1, NaN, 3, NaN, NaN, 5, -2, 9])
    const { min, max } = decimateMinMax(x, 1, 8, 3) // [1,NaN] [3,NaN] [NaN,5,-2]... split 7 samples into 2,2,3
    expect(Array.from(min)).toEqual([1, 3, -2])
    expect(Array.from(max)).toEqual([1, 3, 5])
    const gap = decimateMinMax(new Float32Array([NaN, NaN, 1, 2]), 0, 4, 2)
    expect(Number.isNaN(gap.min[0])).toBe(true)
    expect(gap.max[1]).toBe(2)
  })

  it('rejects impossible requests with a RangeError', () => {
    expect(() => decimateMinMax(new Float32Array(10), 0, 10, 11)).toThrow(RangeError)
    expect(() => decimateMinMax(new Float32Array(10), 0, 10, 0)).toThrow(/columns/)
    expect(() => decimateMinMax(new Float32Array(10), 5, 12, 2)).toThrow(RangeError)
  })

  it('sampleRange maps a time window to samples and clips to the record', () => {
    expect(sampleRange(2.5, 5, 500, 5000)).toEqual({ start: 1250, end: 2500 })
    expect(sampleRange(7.5, 10, 100, 1000)).toEqual({ start: 750, end: 1000 })
    expect(sampleRange(7.5, 10, 500, 3000)).toEqual({ start: 3000, end: 3000 }) // 6 s record: nothing in the last column
    expect(sampleRange(0, 10, 257, 10_000)).toEqual({ start: 0, end: 2570 })
  })
})

describe('camRunsForCell', () => {
  // a CAM over a 10 s record at 100 bins per second, hot (1) only in 3.0-3.5 s
  const cam = new Float32Array(1000)
  cam.fill(1, 300, 350)

  it('maps the CAM onto the cell that shows its time window, and nowhere else', () => {
    // column 2.5-5 s drawn over 250 px: 1 px = 10 ms; the hot stretch is px 50-100
    const runs = camRunsForCell(cam, 10, 2.5, 5, 250)
    expect(runs).toEqual([
      { x0Px: 0, x1Px: 50, v: 0 },
      { x0Px: 50, x1Px: 100, v: 1 },
      { x0Px: 100, x1Px: 250, v: 0 },
    ])
    expect(camRunsForCell(cam, 10, 0, 2.5, 250)).toEqual([{ x0Px: 0, x1Px: 250, v: 0 }])
    expect(camRunsForCell(cam, 10, 7.5, 10, 250)).toEqual([{ x0Px: 0, x1Px: 250, v: 0 }])
    // the full-length rhythm strip over 1000 px: 1 px = 10 ms again, hot at 300-350
    const strip = camRunsForCell(cam, 10, 0, 10, 1000).filter((r) => r.v > 0)
    expect(strip).toEqual([{ x0Px: 300, x1Px: 350, v: 1 }])
  })

  it('keeps a one-bin peak when there are more bins than pixels, and clamps / ignores bad values', () => {
    const fine = new Float32Array(5000) // 500 bins/s over 10 s
    fine[1251] = 0.8 // 2.502 s
    fine[1300] = Number.NaN
    fine[2000] = 7 // 4 s, out of range high
    const runs = camRunsForCell(fine, 10, 2.5, 5, 50) // 50 ms per px
    const hot = runs.filter((r) => r.v > 0)
    expect(hot).toEqual([{ x0Px: 0, x1Px: 1, v: 51 / 64 }, { x0Px: 30, x1Px: 31, v: 1 }]) // 0.8 quantised to 1/64, 7 clamped to 1
  })

  it('stops at the end of the CAM and returns nothing for empty input', () => {
    const short = new Float32Array(600).fill(0.5) // 6 s record at 100 Hz
    const runs = camRunsForCell(short, 6, 5, 7.5, 250)
    expect(runs).toEqual([{ x0Px: 0, x1Px: 100, v: 0.5 }])
    expect(camRunsForCell(new Float32Array(0), 10, 0, 2.5, 100)).toEqual([])
    expect(camRunsForCell(short, 0, 0, 2.5, 100)).toEqual([])
  })

  it('colour ramp: transparent when cold, opaque red when hot, weaker with a lower alpha scale', () => {
    expect(camColour(0)).toBe('rgba(255,220,0,0)')
    expect(camColour(1)).toBe('rgba(255,0,0,0.75)')
    expect(camColour(1, 0.5)).toBe('rgba(255,0,0,0.375)')
    expect(camColour(Number.NaN)).toBe('rgba(255,220,0,0)')
  })
})
