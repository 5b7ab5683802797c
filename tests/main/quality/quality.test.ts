import { beforeAll, describe, expect, it } from 'vitest'
import type { EcgRecord } from '@shared/ecg'
import { assessQuality } from '../../../src/main/quality/signal-quality'
import { heartRate } from '../../../src/main/quality/qrs'
import { corrupt, gaussian, loadPtbxl, requireData } from '../inference/real-data'

// PTB-XL ecg_ids with known labels (ptbxl_database.csv scp_codes)
const SBRAD = [2, 12, 69, 225]
const STACH = [103, 108, 263, 279]
const AFIB = [152, 282, 307, 428]
const SINUS = [1, 3, 7, 9]
// includes records annotated with static noise (1, 8, 9), baseline drift (4, 5, 6) and burst noise (38)
const CLEAN = [1, 4, 5, 6, 8, 9, 38, 100, 200, 300, 400, 500]

const gate = (r: EcgRecord) => assessQuality(r.leads, r.signals, r.samplingRateHz, r.missingLeads)
const blocks = (r: EcgRecord) => gate(r).flags.filter((f) => f.severity === 'block')

describe('QRS detector and heart rate on real PTB-XL records', () => {
  requireData()
  let recs: Map<number, EcgRecord>
  beforeAll(async () => {
    const ids = [...SBRAD, ...STACH, ...AFIB, ...SINUS]
    const list = await loadPtbxl(ids)
    recs = new Map(ids.map((id, i) => [id, list[i]!]))
  })

  it('sinus bradycardia records are below 60 bpm', () => {
    for (const id of SBRAD) {
      const hr = heartRate(recs.get(id)!.signals, 500)
      expect(hr.bpm, `record ${id}`).toBeGreaterThan(35)
      expect(hr.bpm, `record ${id}`).toBeLessThan(60)
    }
  })
  it('sinus tachycardia records are above 100 bpm', () => {
    for (const id of STACH) expect(heartRate(recs.get(id)!.signals, 500).bpm, `record ${id}`).toBeGreaterThan(100)
  })
  it('atrial fibrillation is irregular, sinus rhythm is not', () => {
    for (const id of AFIB) expect(heartRate(recs.get(id)!.signals, 500).rrIrregularity, `AF record ${id}`).toBeGreaterThan(0.1)
    for (const id of SINUS) expect(heartRate(recs.get(id)!.signals, 500).rrIrregularity, `sinus record ${id}`).toBeLessThan(0.07)
  })
  it('counts the beats of a 10-s record and agrees between 500 Hz and 100 Hz copies', async () => {
    const [lr] = await loadPtbxl([103], 100)
    const hi = heartRate(recs.get(103)!.signals, 500)
    const lo = heartRate(lr!.signals, 100)
    expect(hi.beats).toBeGreaterThanOrEqual(16)
    expect(Math.abs(hi.bpm! - lo.bpm!)).toBeLessThan(2)
  })
  it('finds no beats in a flat signal', () => {
    expect(heartRate([new Float32Array(5000)], 500)).toMatchObject({ bpm: null, beats: 0 })
  })
})

describe('signal-quality gate on real and corrupted records', () => {
  requireData()
  let clean: EcgRecord[]
  beforeAll(async () => {
    clean = await loadPtbxl(CLEAN)
  })
  const base = (): EcgRecord => clean[0]!

  it('passes diagnostic-quality PTB-XL records (no block flags)', () => {
    for (const r of clean) expect(blocks(r), r.name).toEqual([])
  })
  it('blocks a flatlined lead and names it', () => {
    const r = corrupt(base(), (x, lead) => (lead === 'V3' ? x.fill(0.12) : x))
    const b = blocks(r)
    expect(b).toHaveLength(1)
    expect(b[0]!.leads).toEqual(['V3'])
    expect(b[0]!.message).toMatch(/flat/)
  })
  it('blocks clipping at the amplifier rail', () => {
    const r = corrupt(base(), (x) => {
      const rail = 0.35 * Math.max(...x.map(Math.abs))
      return x.map((v) => Math.max(-rail, Math.min(rail, v)))
    })
    const f = gate(r).flags.find((x) => x.message.startsWith('clipping'))
    expect(f?.severity).toBe('block')
    expect(f!.leads!.length).toBeGreaterThanOrEqual(3)
  })
  it('blocks heavy high-frequency noise in several leads', () => {
    const g = gaussian(7)
    const r = corrupt(base(), (x) => x.map((v) => v + 0.25 * g()))
    const f = gate(r).flags.find((x) => x.message.startsWith('high-frequency noise'))
    expect(f?.severity).toBe('block')
  })
  it('warns (does not block) for noise in one lead', () => {
    const g = gaussian(3)
    const r = corrupt(base(), (x, lead) => (lead === 'V1' ? x.map((v) => v + 0.12 * g()) : x))
    const f = gate(r).flags.find((x) => x.message.startsWith('high-frequency noise'))
    expect(f).toMatchObject({ severity: 'warn', leads: ['V1'] })
  })
  it('blocks strong baseline wander in several leads', () => {
    const r = corrupt(base(), (x) => x.map((v, t) => v + 3 * Math.sin((2 * Math.PI * 0.25 * t) / 500)))
    const f = gate(r).flags.find((x) => x.message.startsWith('baseline wander'))
    expect(f?.severity).toBe('block')
  })
  it('blocks an implausible amplitude (millivolts read as microvolts x1000)', () => {
    const r = corrupt(base(), (x) => x.map((v) => v * 1000))
    expect(blocks(r).some((f) => /implausible amplitude/.test(f.message))).toBe(true)
  })
  it('blocks missing leads', () => {
    const r0 = base()
    const keep = [0, 1, 2, 3, 4, 5]
    const r: EcgRecord = { ...r0, leads: keep.map((i) => r0.leads[i]!), signals: keep.map((i) => r0.signals[i]!), missingLeads: ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] }
    const f = blocks(r).find((x) => x.kind === 'missing-leads')
    expect(f?.leads).toEqual(['V1', 'V2', 'V3', 'V4', 'V5', 'V6'])
  })
})
