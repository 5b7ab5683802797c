/** Behaviour of the pipeline and its parts on synthetic signals: filters, window policy, leads, bad input. */
import { describe, expect, it } from 'vitest'
import { STANDARD_LEADS, type LeadName } from '@shared/leads'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { butterBandpassSos, describeSpec, filtfilt, iirnotch, preprocess, PreprocessError, sosfiltfilt, windowStarts, zscore } from '@shared/dsp'
import { SPEC_500 } from './helpers'

const spec: PreprocessSpec = SPEC_500

/** Sum of sines (amplitude, Hz) plus offset, at fs. (n) */
function tones(n: number, fs: number, parts: Array<[number, number]>, offset = 0): Float64Array {
  const x = new Float64Array(n)
  for (let i = 0; i < n; i++) x[i] = offset + parts.reduce((s, [a, f]) => s + a * Math.sin((2 * Math.PI * f * i) / fs + f), 0)
  return x
}
const rms = (x: ArrayLike<number>, from = 0, to = x.length): number => {
  let s = 0
  for (let i = from; i < to; i++) s += x[i]! ** 2
  return Math.sqrt(s / (to - from))
}
const mean = (x: ArrayLike<number>, from = 0, to = x.length): number => {
  let s = 0
  for (let i = from; i < to; i++) s += x[i]!
  return s / (to - from)
}
/** 12 leads of distinct synthetic ECG-like content. (12, n) */
const twelve = (n: number, fs: number): Float64Array[] =>
  STANDARD_LEADS.map((_, l) => tones(n, fs, [[1 + l / 10, 1.1 + l / 7], [0.3, 7 + l], [0.05, 50]], 0.2 * l))

describe('filters', () => {
  // 20 s records, measured over the central 10 s: a 0.5 Hz high-pass rings for seconds after the edges
  it('the band-pass removes a DC offset and keeps an in-band tone', () => {
    const fs = 500
    const x = tones(10000, fs, [[1, 10]], 5) // 5 mV offset + 1 mV at 10 Hz
    const y = sosfiltfilt(butterBandpassSos(4, 0.5, 40, fs), x)
    expect(Math.abs(mean(x, 2500, 7500))).toBeGreaterThan(4.9)
    expect(Math.abs(mean(y, 2500, 7500))).toBeLessThan(1e-3)
    expect(rms(y, 2500, 7500) / rms(tones(10000, fs, [[1, 10]]), 2500, 7500)).toBeCloseTo(1, 2)
  })

  it('the band-pass attenuates 100 Hz by more than 50 dB (zero-phase: the magnitude response squared)', () => {
    const fs = 500
    const x = tones(10000, fs, [[1, 100]])
    const y = sosfiltfilt(butterBandpassSos(4, 0.5, 40, fs), x)
    expect(20 * Math.log10(rms(x, 2500, 7500) / rms(y, 2500, 7500))).toBeGreaterThan(50)
  })

  it('the notch attenuates a 50 Hz sine by more than 30 dB and passes 10 Hz', () => {
    const fs = 500
    const { b, a } = iirnotch(50, 30, fs)
    const x50 = tones(5000, fs, [[1, 50]])
    const att = 20 * Math.log10(rms(x50, 500, 4500) / rms(filtfilt(b, a, x50), 500, 4500))
    expect(att).toBeGreaterThan(30)
    const x10 = tones(5000, fs, [[1, 10]])
    expect(rms(filtfilt(b, a, x10), 500, 4500) / rms(x10, 500, 4500)).toBeGreaterThan(0.99)
  })

  it('z-score: mean 0, population std 1; a flat lead becomes zeros, not NaN', () => {
    const y = zscore(tones(1000, 100, [[2, 3]], 4), 1e-8)
    expect(Math.abs(mean(y))).toBeLessThan(1e-12)
    expect(rms(y)).toBeCloseTo(1, 6) // ddof = 0
    const flat = zscore(new Float64Array(100).fill(3), 1e-8)
    expect(Array.from(flat).every((v) => v === 0)).toBe(true)
  })
})

describe('windowStarts', () => {
  const W = 1000
  it('n < W: one window at 0 (zero-padded by the caller)', () => expect(windowStarts(400, W, 5)).toEqual({ starts: [0], total: 1 }))
  it('n == W: exactly one window', () => expect(windowStarts(W, W, 5)).toEqual({ starts: [0], total: 1 }))
  it('n = 2.5W: 0, W and the tail aligned to the end', () => expect(windowStarts(2500, W, 5)).toEqual({ starts: [0, 1000, 1500], total: 3 }))
  it('n = 3W: no extra tail window', () => expect(windowStarts(3000, W, 5)).toEqual({ starts: [0, 1000, 2000], total: 3 }))
  it('maxWindows keeps the first windows and reports the total', () => expect(windowStarts(10500, W, 4)).toEqual({ starts: [0, 1000, 2000, 3000], total: 11 }))
  it('refuses non-positive sizes', () => expect(() => windowStarts(0, W, 1)).toThrow(/positive/))
})

describe('preprocess', () => {
  it('returns (nWindows, 12, W) float32 with per-lead standardisation over the whole record', () => {
    const fs = 500
    const out = preprocess(twelve(12500, fs), [...STANDARD_LEADS], fs, spec)
    expect(out.windows).toBeInstanceOf(Float32Array)
    expect(out.windowStarts).toEqual([0, 5000, 7500])
    expect(out.windows.length).toBe(3 * 12 * 5000)
    // window 2 (start 7500) overlaps window 1 (start 5000) on [7500, 10000): same values
    const w1 = out.windows.subarray((1 * 12 + 4) * 5000, (1 * 12 + 5) * 5000)
    const w2 = out.windows.subarray((2 * 12 + 4) * 5000, (2 * 12 + 5) * 5000)
    expect(Array.from(w2.subarray(0, 2500))).toEqual(Array.from(w1.subarray(2500)))
    // the whole record (windows 0 and 1 plus the tail of 2) has mean 0 and std 1 per lead
    const lead = new Float64Array(12500)
    lead.set(out.windows.subarray((0 * 12 + 4) * 5000, (0 * 12 + 5) * 5000), 0)
    lead.set(w1, 5000)
    lead.set(w2.subarray(2500), 10000)
    expect(Math.abs(mean(lead))).toBeLessThan(1e-6)
    expect(rms(lead)).toBeCloseTo(1, 5)
  })

  it('zero-pads a record shorter than the window, after standardisation, and flags it', () => {
    const out = preprocess(twelve(3000, 500), [...STANDARD_LEADS], 500, spec)
    expect(out.padded).toBe(true)
    expect(out.nWindows).toBe(1)
    const lead0 = out.windows.subarray(0, 5000)
    expect(Array.from(lead0.subarray(3000)).every((v) => v === 0)).toBe(true)
    expect(rms(lead0, 0, 3000)).toBeCloseTo(1, 5)
  })

  it('fills missing leads with zeros, reports them, and places present leads by name', () => {
    const fs = 500
    const all = twelve(5000, fs)
    const full = preprocess(all, [...STANDARD_LEADS], fs, spec)
    const present: LeadName[] = ['V6', 'I', 'V1', 'II', 'V2', 'V3', 'V4', 'V5'] // shuffled on purpose
    const out = preprocess(present.map((l) => all[STANDARD_LEADS.indexOf(l)]!), present, fs, spec)
    expect(out.zeroedLeads).toEqual(['III', 'aVR', 'aVL', 'aVF'])
    STANDARD_LEADS.forEach((l, row) => {
      const got = out.windows.subarray(row * 5000, (row + 1) * 5000)
      if (out.zeroedLeads.includes(l)) expect(got.every((v) => v === 0)).toBe(true)
      else expect(Array.from(got)).toEqual(Array.from(full.windows.subarray(row * 5000, (row + 1) * 5000)))
    })
  })

  it('accepts Float32Array input and skips steps the spec leaves out', () => {
    const x = twelve(5000, 500).map((s) => Float32Array.from(s))
    const bare: PreprocessSpec = { ...spec, bandpass: null, notch: null, standardise: { kind: 'none' } }
    const out = preprocess(x, [...STANDARD_LEADS], 500, bare)
    expect(Array.from(out.windows.subarray(0, 5000))).toEqual(Array.from(x[0]!))
  })

  it('refuses non-finite input, naming the record, lead and sample', () => {
    const x = twelve(5000, 500)
    x[7]![1234] = Number.NaN
    const call = (): unknown => preprocess(x, [...STANDARD_LEADS], 500, spec, { source: 'rec42.dat' })
    expect(call).toThrow(PreprocessError)
    expect(call).toThrow('rec42.dat: lead V2 sample 1234: non-finite value NaN')
    x[7]![1234] = 0
    x[0]![0] = Infinity
    expect(() => preprocess(x, [...STANDARD_LEADS], 500, spec)).toThrow(/lead I sample 0: non-finite value Infinity/)
  })

  it('refuses inconsistent or unusable input with a typed error code', () => {
    const x = twelve(5000, 500)
    const code = (f: () => unknown): string | undefined => {
      try {
        f()
      } catch (e) {
        return e instanceof PreprocessError ? e.code : 'untyped'
      }
      return undefined
    }
    expect(code(() => preprocess(x.slice(0, 11), [...STANDARD_LEADS], 500, spec))).toBe('length-mismatch')
    expect(code(() => preprocess([x[0]!, x[1]!.subarray(1)], ['I', 'II'], 500, spec))).toBe('length-mismatch')
    expect(code(() => preprocess([x[0]!, x[1]!], ['I', 'I'], 500, spec))).toBe('duplicate-lead')
    expect(code(() => preprocess([x[0]!], ['X' as LeadName], 500, spec))).toBe('unknown-lead')
    expect(code(() => preprocess([], [], 500, spec))).toBe('no-leads')
    expect(code(() => preprocess(x, [...STANDARD_LEADS], 0, spec))).toBe('bad-sampling-rate')
    expect(code(() => preprocess(x, [...STANDARD_LEADS], Math.PI, spec))).toBe('bad-sampling-rate')
    expect(code(() => preprocess(x.map((s) => s.subarray(0, 20)), [...STANDARD_LEADS], 500, spec))).toBe('too-short')
    expect(code(() => preprocess(x, [...STANDARD_LEADS], 500, { ...spec, bandpass: { lowHz: 0.5, highHz: 250, order: 4 } }))).toBe('bad-spec')
    expect(code(() => preprocess(x, [...STANDARD_LEADS], 500, { ...spec, targetRateHz: 100, notch: { freqHz: 50, q: 30 } }))).toBe('bad-spec')
  })

  it('handles a fractional source rate (e.g. 257.5 Hz) by exact rational resampling', () => {
    const out = preprocess(twelve(2575, 257.5), [...STANDARD_LEADS], 257.5, spec)
    expect(out.samplesAtTarget).toBe(5000)
  })
})

describe('describeSpec', () => {
  it('names every step with its parameters, on one line', () => {
    const d = describeSpec(spec)
    expect(d).not.toMatch(/\n/)
    for (const part of ['500 Hz', '0.5-40 Hz', 'order 4', 'notch 50 Hz', 'Q 30', 'z-score', '5000-sample', '10 s', 'at most 6']) expect(d).toContain(part)
    expect(describeSpec({ ...spec, notch: null, bandpass: null, standardise: { kind: 'none' } })).toMatch(/no band-pass; no notch; no standardisation/)
  })
})
