import { describe, expect, it } from 'vitest'
import { classActivation, normaliseUnit, placeWindows, recordCam, resampleLinear } from '../../../src/main/inference/cam'

describe('CAM math', () => {
  it('cam = W[c] . A(t) for (K, T) features', () => {
    const K = 3, T = 4
    const A = Float32Array.from({ length: K * T }, (_, i) => i - 5) // (3, 4)
    const W = Float32Array.from([1, 0, 0, 0.5, -1, 2]) // (2, 3)
    const cam = classActivation(A, K, T, W, 1)
    for (let t = 0; t < T; t++) expect(cam[t]).toBeCloseTo(0.5 * A[t]! - A[T + t]! + 2 * A[2 * T + t]!, 6)
    expect(() => classActivation(A, K, T, W, 2)).toThrow(RangeError)
  })
  it('linear resampling uses half-pixel centres (torch align_corners=False)', () => {
    // torch.nn.functional.interpolate(torch.tensor([[[0., 1.]]]), size=4, mode='linear') -> [0, .25, .75, 1]
    expect(Array.from(resampleLinear(Float32Array.from([0, 1]), 4))).toEqual([0, 0.25, 0.75, 1])
    expect(Array.from(resampleLinear(Float32Array.from([3, 5, 7]), 3))).toEqual([3, 5, 7])
  })
  it('averages overlapping windows and crops the padding', () => {
    const a = Float32Array.from([1, 1, 1, 1])
    const b = Float32Array.from([3, 3, 3, 3])
    expect(Array.from(placeWindows([a, b], [0, 2], 6))).toEqual([1, 1, 2, 2, 3, 3])
    expect(Array.from(placeWindows([a], [0], 3))).toEqual([1, 1, 1])
  })
  it('normalises to [0, 1] and keeps an all-zero map zero', () => {
    expect(Array.from(normaliseUnit(Float32Array.from([0, 2, 4])))).toEqual([0, 0.5, 1])
    expect(Array.from(normaliseUnit(new Float32Array(3)))).toEqual([0, 0, 0])
  })
  it('a record map lies on the record axis at the record rate, ReLU applied, peak where the evidence is', () => {
    const K = 2, T = 10
    const A = new Float32Array(K * T)
    A[3] = 5 // channel 0 fires at step 3
    A[T + 7] = 5 // channel 1 at step 7 (negative weight -> removed by ReLU)
    const cam = recordCam({ features: [A], channels: K, steps: T, weight: Float32Array.from([1, -1]), classIndex: 0, windowSamples: 100, windowStarts: [0], modelRateHz: 100, recordRateHz: 500, recordLength: 500 })
    expect(cam.length).toBe(500)
    expect(Math.max(...cam)).toBe(1)
    expect(Math.min(...cam)).toBe(0)
    const argmax = cam.indexOf(1)
    expect(argmax).toBeGreaterThan(150) // step 3 of 10 covers 30..40 % of the window
    expect(argmax).toBeLessThan(200)
    expect(cam[375]).toBe(0) // step 7: negative evidence is not shown
  })
})
