/**
 * The whole pipeline on real records from ../shared/data against the scipy reference
 * (tests/reference/dsp_reference.py): every stage in float64, and the float32 model input.
 */
import { describe, expect, it } from 'vitest'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { butterBandpassSos, filtfilt, iirnotch, preprocess, resamplePoly, resampleRatio, sosfiltfilt, zscore } from '@shared/dsp'
import { arr, dataPath, maxAbsDiff, readRecord, reference, SPEC_500 } from './helpers'

const spec500: PreprocessSpec = SPEC_500
const spec100: PreprocessSpec = {
  ...spec500,
  targetRateHz: 100,
  windowSamples: 1000,
  bandpass: { lowHz: 0.5, highHz: 40, order: 3 }, // odd order: exercises zpk2sos's real-pole pairing
  notch: null, // 50 Hz is the Nyquist frequency at 100 Hz
}

interface Case {
  name: string
  file: string
  spec: PreprocessSpec
  expectStarts: number[]
  expectPadded?: boolean
  expectDropped?: number
}

const cases: Case[] = [
  { name: 'PTB-XL 00001_hr 500 -> 500 Hz', file: 'ptbxl/records500/00000/00001_hr.dat', spec: spec500, expectStarts: [0] },
  { name: 'PTB-XL 00001_hr 500 -> 100 Hz', file: 'ptbxl/records500/00000/00001_hr.dat', spec: spec100, expectStarts: [0] },
  { name: 'PTB-XL 00002_lr 100 -> 500 Hz', file: 'ptbxl/records100/00000/00002_lr.dat', spec: { ...spec500, notch: { freqHz: 60, q: 25 } }, expectStarts: [0] },
  // PTB (CinC) at 1000 Hz, 38400 samples -> 19200 at 500 Hz: windows at 0, 5000, 10000 and the tail at 14200
  { name: 'CinC PTB S0001 1000 -> 500 Hz', file: 'cinc/PTB_PTBXL/S0001.mat', spec: { ...spec500, bandpass: { lowHz: 0.67, highHz: 45, order: 5 } }, expectStarts: [0, 5000, 10000, 14200] },
  // CPSC, variable length: 12500 samples -> 0, 5000 and the end-aligned 7500
  { name: 'CPSC A0005 (12500 samples)', file: 'cinc/CPSC_CPSC-Extra/A0005.mat', spec: spec500, expectStarts: [0, 5000, 7500] },
  // CPSC-Extra 23853 samples: 5 windows, only the first 3 kept
  { name: 'CPSC-Extra Q0005 (23853 samples, maxWindows 3)', file: 'cinc/CPSC_CPSC-Extra/Q0005.mat', spec: { ...spec500, windowing: { policy: 'windows', maxWindows: 3 } }, expectStarts: [0, 5000, 10000], expectDropped: 2 },
  // shorter than the window: one zero-padded window
  { name: 'CPSC A0004 (5974 samples) with 8000-sample windows', file: 'cinc/CPSC_CPSC-Extra/A0004.mat', spec: { ...spec500, windowSamples: 8000 }, expectStarts: [0], expectPadded: true },
]

describe('preprocess on real records vs scipy', () => {
  const ref = reference(cases.map((c) => ({ kind: 'record', path: dataPath(c.file), spec: c.spec, stages: true })))

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const r = ref[i]!
    const rec = readRecord(dataPath(c.file))
    expect(rec.rateHz).toBe(r.rate)
    expect(rec.leads).toEqual(r.leads)
    const L = rec.leads.length
    // our raw reader and numpy/loadmat agree exactly
    const raw = arr(r, 'raw')
    rec.signals.forEach((s, l) => expect(maxAbsDiff(s, raw.data.subarray(l * s.length, (l + 1) * s.length))).toBe(0))

    // stage by stage in float64, with the building blocks
    const { up, down } = resampleRatio(c.spec.targetRateHz, rec.rateHz)
    const stages = { resampled: arr(r, 'resampled'), bandpassed: arr(r, 'bandpassed'), notched: arr(r, 'notched'), standardised: arr(r, 'standardised') }
    const nT = stages.resampled.shape[1]!
    const sos = butterBandpassSos(c.spec.bandpass!.order, c.spec.bandpass!.lowHz, c.spec.bandpass!.highHz, c.spec.targetRateHz)
    const notch = c.spec.notch ? iirnotch(c.spec.notch.freqHz, c.spec.notch.q, c.spec.targetRateHz) : null
    const err = { resampled: 0, bandpassed: 0, notched: 0, standardised: 0 }
    for (let l = 0; l < L; l++) {
      const at = (a: { data: Float64Array }): Float64Array => a.data.subarray(l * nT, (l + 1) * nT)
      const y0 = resamplePoly(rec.signals[l]!, up, down)
      err.resampled = Math.max(err.resampled, maxAbsDiff(y0, at(stages.resampled)))
      const y1 = sosfiltfilt(sos, y0)
      err.bandpassed = Math.max(err.bandpassed, maxAbsDiff(y1, at(stages.bandpassed)))
      const y2 = notch ? filtfilt(notch.b, notch.a, y1) : y1
      err.notched = Math.max(err.notched, maxAbsDiff(y2, at(stages.notched)))
      const y3 = zscore(Float64Array.from(y2), 1e-8)
      err.standardised = Math.max(err.standardised, maxAbsDiff(y3, at(stages.standardised)))
    }
    // float64 throughout: agreement to rounding (mV and standard units)
    expect(err.resampled).toBeLessThan(1e-9)
    expect(err.bandpassed).toBeLessThan(1e-9)
    expect(err.notched).toBeLessThan(1e-9)
    expect(err.standardised).toBeLessThan(1e-8)

    // the public pipeline, float32 model input
    const out = preprocess(rec.signals, rec.leads, rec.rateHz, c.spec, { source: c.file })
    expect(out.windowStarts).toEqual(r.starts)
    expect(out.windowStarts).toEqual(c.expectStarts)
    expect(out.nWindows).toBe(c.expectStarts.length)
    expect(out.padded).toBe(c.expectPadded ?? false)
    expect(out.droppedWindows).toBe(c.expectDropped ?? 0)
    expect(out.samplesAtTarget).toBe(nT)
    expect(out.zeroedLeads).toEqual([])
    const wins = arr(r, 'windows')
    expect(wins.shape).toEqual([out.nWindows, 12, c.spec.windowSamples])
    expect(out.windows.length).toBe(wins.data.length)
    expect(maxAbsDiff(out.windows, wins.data)).toBeLessThanOrEqual(1e-4) // the brief's tolerance
    expect(maxAbsDiff(out.windows, wins.data)).toBeLessThan(1e-5) // what float32 rounding allows
  })
})
