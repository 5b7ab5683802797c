/** Building blocks against scipy: filter design coefficients, FIR, resampling and zero-phase filtering. */
import { describe, expect, it } from 'vitest'
import { butterBandpassSos, filtfilt, firwinKaiserLowpass, iirnotch, resamplePoly, sosfiltfilt } from '@shared/dsp'
import { arr, encode, maxAbsDiff, reference } from './helpers'

/** Deterministic pseudo-random signal (LCG), so failures reproduce. (n) */
function noise(n: number, seed: number): Float64Array {
  const x = new Float64Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    x[i] = s / 2 ** 32 - 0.5 + Math.sin(i / 7)
  }
  return x
}

describe('butterBandpassSos vs scipy.signal.butter(..., output="sos")', () => {
  const cases: Array<[number, number, number, number]> = []
  for (const order of [1, 2, 3, 4, 5, 6, 8]) cases.push([order, 0.5, 40, 500])
  cases.push([2, 0.5, 40, 100], [3, 0.67, 45, 250], [4, 1, 30, 360], [5, 0.05, 150, 1000], [4, 0.5, 100, 500], [3, 40, 45, 500])
  const ref = reference(cases.map(([order, low, high, fs]) => ({ kind: 'butter', order, low, high, fs })))

  it.each(cases.map((c, i) => [c.join('/'), c, i] as const))('order/low/high/fs %s', (_name, [order, low, high, fs], i) => {
    const want = arr(ref[i]!, 'sos')
    const got = butterBandpassSos(order, low, high, fs)
    expect(got.length).toBe(want.data.length) // same number of sections
    // same pairing and section order: each coefficient agrees to rounding
    expect(maxAbsDiff(got, want.data)).toBeLessThan(1e-12)
  })

  it('refuses edges outside (0, fs/2)', () => {
    expect(() => butterBandpassSos(4, 0.5, 250, 500)).toThrow(/fs\/2/)
    expect(() => butterBandpassSos(4, 0, 40, 500)).toThrow(/0 < low/)
    expect(() => butterBandpassSos(0, 0.5, 40, 500)).toThrow(/order/)
  })
})

describe('iirnotch and firwin vs scipy', () => {
  const ref = reference([
    { kind: 'notch', freq: 50, q: 30, fs: 500 },
    { kind: 'notch', freq: 60, q: 25, fs: 360 },
    { kind: 'firwin', numtaps: 101, cutoff: 0.2 },
    { kind: 'firwin', numtaps: 10001, cutoff: 1 / 500 },
  ])
  it('notch coefficients', () => {
    for (const [i, [f, q, fs]] of [[50, 30, 500], [60, 25, 360]].entries()) {
      const { b, a } = iirnotch(f!, q!, fs!)
      expect(maxAbsDiff(b, arr(ref[i]!, 'b').data)).toBeLessThan(1e-15)
      expect(maxAbsDiff(a, arr(ref[i]!, 'a').data)).toBeLessThan(1e-15)
    }
  })
  it('Kaiser-windowed sinc taps', () => {
    expect(maxAbsDiff(firwinKaiserLowpass(101, 0.2, 5), arr(ref[2]!, 'h').data)).toBeLessThan(1e-15)
    expect(maxAbsDiff(firwinKaiserLowpass(10001, 1 / 500, 5), arr(ref[3]!, 'h').data)).toBeLessThan(1e-15)
  })
})

describe('resamplePoly vs scipy.signal.resample_poly', () => {
  // ratios the app meets (500<->100, 1000->500, 250/257/360/128->500) and lengths that are not multiples
  const cases: Array<[number, number, number]> = [
    [1, 5, 5000], [1, 5, 4999], [5, 1, 1000], [5, 1, 7], [1, 2, 38400], [1, 2, 3], [2, 1, 2501],
    [500, 257, 3000], [25, 18, 1801], [125, 32, 777], [3, 2, 1], [2, 3, 1],
  ]
  const xs = cases.map(([, , n], i) => noise(n, i + 1))
  const ref = reference(cases.map(([up, down], i) => ({ kind: 'resample', up, down, x: encode(xs[i]!) })))
  it.each(cases.map((c, i) => [c.join('/'), c, i] as const))('up/down/n %s', (_name, [up, down], i) => {
    const want = arr(ref[i]!, 'y').data
    const got = resamplePoly(xs[i]!, up, down)
    expect(got.length).toBe(want.length)
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-12)
  })
  it('is a copy when the rates are equal', () => {
    const x = noise(10, 3)
    const y = resamplePoly(x, 7, 7)
    expect(Array.from(y)).toEqual(Array.from(x))
    expect(y).not.toBe(x)
  })
})

describe('zero-phase filtering vs scipy', () => {
  const x = noise(5000, 42)
  const short = noise(28, 7) // just above padlen 27 for a 4th-order band-pass
  const sos4 = butterBandpassSos(4, 0.5, 40, 500)
  const sos3 = butterBandpassSos(3, 0.5, 40, 500)
  const { b, a } = iirnotch(50, 30, 500)
  // general transfer functions: third order, and unequal lengths with a[0] != 1 (normalised as scipy does)
  const [b3, a3] = [[0.2, 0.3, 0.2, 0.1], [1, -0.5, 0.2, -0.05]]
  const [b1, a1] = [[0.5, 0.25], [2, -0.6, 0.1, 0.05]]
  const ref = reference([
    { kind: 'sosfiltfilt', sos: encode(sos4), x: encode(x) },
    { kind: 'sosfiltfilt', sos: encode(sos3), x: encode(x) },
    { kind: 'sosfiltfilt', sos: encode(sos4), x: encode(short) },
    { kind: 'filtfilt', b: encode(b), a: encode(a), x: encode(x) },
    { kind: 'filtfilt', b: encode(b3), a: encode(a3), x: encode(x) },
    { kind: 'filtfilt', b: encode(b1), a: encode(a1), x: encode(x) },
  ])
  it('sosfiltfilt (even and odd order, and a record barely longer than the padding)', () => {
    expect(maxAbsDiff(sosfiltfilt(sos4, x), arr(ref[0]!, 'y').data)).toBeLessThan(1e-10)
    expect(maxAbsDiff(sosfiltfilt(sos3, x), arr(ref[1]!, 'y').data)).toBeLessThan(1e-10)
    expect(maxAbsDiff(sosfiltfilt(sos4, short), arr(ref[2]!, 'y').data)).toBeLessThan(1e-10)
  })
  it('filtfilt with a notch', () => {
    expect(maxAbsDiff(filtfilt(b, a, x), arr(ref[3]!, 'y').data)).toBeLessThan(1e-10)
  })
  it('filtfilt with other orders and a[0] != 1', () => {
    expect(maxAbsDiff(filtfilt(b3, a3, x), arr(ref[4]!, 'y').data)).toBeLessThan(1e-10)
    expect(maxAbsDiff(filtfilt(b1, a1, x), arr(ref[5]!, 'y').data)).toBeLessThan(1e-10)
  })
  it('refuses a signal no longer than the padding, as scipy does', () => {
    expect(() => sosfiltfilt(sos4, noise(27, 1))).toThrow(/more than 27 samples/)
    expect(() => filtfilt(b, a, noise(9, 1))).toThrow(/more than 9 samples/)
  })
})
