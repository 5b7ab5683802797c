/**
 * Parity with the code that trains the models: training/ecgtriage/preprocess.py run on real records (via
 * tests/reference/dsp_reference.py) against preprocess() here, with the training pipeline's own default spec
 * and with the spec variants a manifest may carry. A change on either side that alters model input fails here.
 */
import { describe, expect, it } from 'vitest'
import { STANDARD_LEADS, type LeadName } from '@shared/leads'
import { zPreprocessSpec } from '@shared/manifest'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { describeSpec, preprocess } from '@shared/dsp'
import { arr, dataPath, maxAbsDiff, readRecord, reference } from './helpers'

interface Case {
  name: string
  file: string
  targetRateHz: number
  spec: PreprocessSpec | null // null: the training pipeline's default_spec(targetRateHz)
  absent?: LeadName[]
}

const s500: PreprocessSpec = {
  version: 1,
  targetRateHz: 500,
  windowSamples: 5000,
  bandpass: { lowHz: 0.5, highHz: 40, order: 3 },
  notch: { freqHz: 50, q: 30 },
  standardise: { kind: 'per-lead-zscore', eps: 1e-6 },
  windowing: { policy: 'windows', maxWindows: 2 },
}

const cases: Case[] = [
  { name: 'default spec (100 Hz): PTB-XL 00003_hr 500 -> 100', file: 'ptbxl/records500/00000/00003_hr.dat', targetRateHz: 100, spec: null },
  { name: 'default spec (100 Hz): PTB-XL 00003_lr 100 -> 100', file: 'ptbxl/records100/00000/00003_lr.dat', targetRateHz: 100, spec: null },
  { name: 'default spec (100 Hz): CinC PTB S0002 1000 -> 100, windows', file: 'cinc/PTB_PTBXL/S0002.mat', targetRateHz: 100, spec: null },
  { name: 'default spec (500 Hz): Georgia E00001, leads III/aVR/aVL/aVF absent', file: 'cinc/G12EC/E00001.mat', targetRateHz: 500, spec: null, absent: ['III', 'aVR', 'aVL', 'aVF'] },
  { name: '500 Hz spec with notch: CPSC A0001, max 2 windows', file: 'cinc/CPSC_CPSC-Extra/A0001.mat', targetRateHz: 500, spec: s500 },
  { name: '500 Hz spec, 12 s windows: Chapman JS00001 (padded)', file: 'cinc/ChapmanShaoxing_Ningbo/JS00001.mat', targetRateHz: 500, spec: { ...s500, windowSamples: 6000 } },
]

describe('TypeScript preprocess == training/ecgtriage/preprocess.py', () => {
  const ref = reference(cases.map((c) => ({ kind: 'training', path: dataPath(c.file), spec: c.spec, targetRateHz: c.targetRateHz, absent: c.absent ?? [] })))

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const r = ref[i]!
    const spec = zPreprocessSpec.parse(r.spec) as PreprocessSpec // the training spec is a valid manifest spec
    expect(describeSpec(spec)).toContain(`${spec.targetRateHz} Hz`)
    const rec = readRecord(dataPath(c.file))
    const keep = rec.leads.map((l, k) => [l, k] as const).filter(([l]) => !(c.absent ?? []).includes(l))
    const out = preprocess(keep.map(([, k]) => rec.signals[k]!), keep.map(([l]) => l), rec.rateHz, spec, { source: c.file })
    const want = arr(r, 'windows')
    expect([out.nWindows, 12, spec.windowSamples]).toEqual(want.shape)
    expect(out.padded).toBe(r.padded)
    expect(out.zeroedLeads).toEqual(r.missing)
    expect(out.zeroedLeads).toEqual(STANDARD_LEADS.filter((l) => (c.absent ?? []).includes(l)))
    expect(maxAbsDiff(out.windows, want.data)).toBeLessThan(1e-5) // float32 rounding of the same float64 values
  })
})
