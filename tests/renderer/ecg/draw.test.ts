import { describe, expect, it } from 'vitest'
import { STANDARD_LEADS, type LeadName } from '@shared/leads'
import { drawGrid, PAPER_COLOURS } from '../../../src/renderer/src/ecg-render/draw-grid'
import { drawHeatmap } from '../../../src/renderer/src/ecg-render/draw-heatmap'
import { drawOverlay } from '../../../src/renderer/src/ecg-render/draw-overlay'
import { drawTraces, TRACE_COLOURS } from '../../../src/renderer/src/ecg-render/draw-traces'
import { paperLayout, type GainMmPerMv, type PaperLayoutKind } from '../../../src/renderer/src/ecg-render/layout'
import { RecordingCtx } from './fake-ctx'

const PX = 4 // px per mm: 1 s at 25 mm/s = 100 px, 1 mV at 10 mm/mV = 40 px

/** 10 s of flat signal per lead with a 1 mV one-sample spike at `spikeS` in every lead, (12, fs*10). */
function record(fs: number, spikeS: number, leads: readonly LeadName[] = STANDARD_LEADS): Map<LeadName, Float32Array> {
  return new Map(leads.map((l) => {
    const x = new Float32Array(fs * 10)
    x[Math.round(spikeS * fs)] = 1
    return [l, x] as const
  }))
}

function traceAt(ctx: RecordingCtx, layout: PaperLayoutKind, gain: GainMmPerMv, byLead: Map<LeadName, Float32Array>, fs: number) {
  const p = paperLayout({ layout, speedMmPerS: 25, gainMmPerMv: gain })
  drawTraces(ctx, p, { pxPerMm: PX, speedMmPerS: 25, gainMmPerMv: gain }, { byLead, samplingRateHz: fs, filterLabel: '0.5–40 Hz' })
  // trace paths are the long ones (calibration pulses have 6 points, column ticks 2)
  return { p, traces: ctx.strokedPaths().filter((s) => s.points.length > 6 && s.style === TRACE_COLOURS.trace) }
}

describe('drawGrid', () => {
  it('draws a 1 mm minor and a 5 mm major grid over the whole paper', () => {
    const ctx = new RecordingCtx()
    const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
    drawGrid(ctx, p, PX)
    const [minor, major] = ctx.strokedPaths()
    expect(minor!.style).toBe(PAPER_COLOURS.minor)
    expect(major!.style).toBe(PAPER_COLOURS.major)
    const verticals = (path: typeof minor) => path!.points.filter((_, i) => i % 2 === 0).filter(([, y]) => y === 0).map(([x]) => x)
    const majorX = verticals(major)
    expect(majorX.length).toBe(p.widthMm / 5 + 1)
    majorX.slice(1).forEach((x, i) => expect(x - majorX[i]!).toBe(20)) // every 5 mm
    const minorX = verticals(minor)
    expect(minorX.length).toBe(p.widthMm + 1 - majorX.length)
    expect(minorX.slice(0, 4)).toEqual([4.5, 8.5, 12.5, 16.5]) // every mm, snapped to pixel centres
    const horizontalsMajor = major!.points.filter(([x], i) => i % 2 === 0 && x === 0).length // verticals sit at x.5, never 0
    expect(horizontalsMajor).toBe(p.heightMm / 5 + 1)
    // paper colour under everything
    const bg = ctx.calls.find((c) => c.op === 'fillRect')
    expect(bg).toMatchObject({ x: 0, y: 0, w: p.widthMm * PX, h: p.heightMm * PX, style: PAPER_COLOURS.paper })
  })

  it('leaves out minor lines when they would be under 2 px apart', () => {
    const ctx = new RecordingCtx()
    drawGrid(ctx, paperLayout({ layout: '12x1', speedMmPerS: 25, gainMmPerMv: 10 }), 1.5)
    expect(ctx.strokedPaths().map((s) => s.style)).toEqual([PAPER_COLOURS.major])
  })
})

describe('drawTraces', () => {
  it('3x4+II: a calibration pulse per row, 13 traces, each spike in the column whose window holds it', () => {
    const ctx = new RecordingCtx()
    const { p, traces } = traceAt(ctx, '3x4+II', 10, record(500, 3.0), 500)
    const pulses = ctx.strokedPaths().filter((s) => s.points.length === 6)
    expect(pulses.length).toBe(4)
    for (const pulse of pulses) {
      const ys = pulse.points.map(([, y]) => y)
      expect(Math.max(...ys) - Math.min(...ys)).toBeCloseTo(40, 9) // 1 mV = 10 mm
      expect(pulse.points[3]![0] - pulse.points[2]![0]).toBeCloseTo(20, 9) // 200 ms = 5 mm
    }
    expect(traces.length).toBe(13)
    // 2.5 s at 500 Hz = 1250 samples over 250 px: decimated to min/max per column, 2 vertices per column
    for (const t of traces.slice(0, 12)) expect(t.points.length).toBe(500)
    // the spike at 3.0 s: 1 mV up (40 px) in the 2.5-5 s column (aVR/aVL/aVF) and on the II strip only
    const withSpike = p.cells.filter((c) => {
      const t = traces[p.cells.indexOf(c)]!
      const base = c.baselineMm * PX
      return t.points.some(([, y]) => Math.abs(base - y - 40) < 1e-6)
    })
    expect(withSpike.map((c) => `${c.lead}${c.role === 'rhythm' ? '*' : ''}`)).toEqual(['aVR', 'aVL', 'aVF', 'II*'])
    const avr = p.cells.find((c) => c.lead === 'aVR')!
    const peak = traces[p.cells.indexOf(avr)]!.points.find(([, y]) => y < avr.baselineMm * PX - 39)!
    expect(peak[0]).toBeCloseTo(avr.xMm * PX + 50.5, 6) // 0.5 s into the column = 50 px, centre of the column
    expect(ctx.texts()).toEqual(expect.arrayContaining(['I', 'aVR', 'V6', 'II (rhythm)']))
    expect(ctx.texts().at(-1)).toBe('25 mm/s   10 mm/mV   0.5–40 Hz   500 Hz')
  })

  it('draws every sample when there are fewer samples than pixels (100 Hz), at the sample\'s own x', () => {
    const ctx = new RecordingCtx()
    const { p, traces } = traceAt(ctx, '12x1', 20, record(100, 7.25), 100)
    expect(traces.length).toBe(12)
    const v1 = p.cells.find((c) => c.lead === 'V1')!
    const t = traces[p.cells.indexOf(v1)]!
    expect(t.points.length).toBe(1000)
    expect(t.points[1]![0] - t.points[0]![0]).toBeCloseTo(1, 9) // 10 ms = 0.25 mm = 1 px
    const peak = t.points.find(([, y]) => y < v1.baselineMm * PX - 1)!
    expect(peak[0]).toBeCloseTo(v1.xMm * PX + 725, 6)
    expect(v1.baselineMm * PX - peak[1]).toBeCloseTo(80, 6) // 1 mV at 20 mm/mV
  })

  it('a missing lead is a labelled empty slot, not a trace; a NaN gap breaks the line', () => {
    const byLead = record(500, 1)
    byLead.delete('V3')
    byLead.delete('II') // also empties the rhythm strip
    byLead.get('I')!.fill(Number.NaN, 100, 200)
    const ctx = new RecordingCtx()
    const { traces } = traceAt(ctx, '3x4+II', 10, byLead, 500)
    expect(traces.length).toBe(10)
    expect(ctx.texts()).toEqual(expect.arrayContaining(['V3 — not recorded', 'II — not recorded', 'II (rhythm) — not recorded']))
    expect(traces[0]!.moves).toBe(2)
  })

  it('with startS = 10 a spike at 13 s lands 0.5 s into the 12.5-15 s column', () => {
    const byLead = new Map(STANDARD_LEADS.map((l) => {
      const x = new Float32Array(500 * 20)
      x[13 * 500] = 1
      return [l, x] as const
    }))
    const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10, startS: 10 })
    const ctx = new RecordingCtx()
    drawTraces(ctx, p, { pxPerMm: PX, speedMmPerS: 25, gainMmPerMv: 10 }, { byLead, samplingRateHz: 500, filterLabel: '' })
    const traces = ctx.strokedPaths().filter((s) => s.points.length > 6)
    const avr = p.cells.find((c) => c.lead === 'aVR')!
    const peak = traces[p.cells.indexOf(avr)]!.points.find(([, y]) => y < avr.baselineMm * PX - 39)!
    expect(peak[0]).toBeCloseTo(avr.xMm * PX + 50.5, 6)
    expect(ctx.texts().at(-1)).toBe('25 mm/s   10 mm/mV   no filter   500 Hz')
  })

  it('a short record stops where the data stops (6 s: last column empty)', () => {
    const byLead = new Map(STANDARD_LEADS.map((l) => [l, new Float32Array(3000)] as const))
    const ctx = new RecordingCtx()
    const { traces } = traceAt(ctx, '3x4+II', 10, byLead, 500)
    expect(traces.length).toBe(3 + 3 + 3 + 1) // V4-V6 (7.5-10 s) have no samples
    expect(traces.at(-1)!.points.length).toBe(2 * 600) // rhythm: 6 s = 600 px
  })
})

describe('drawHeatmap', () => {
  const cam = new Float32Array(5000)
  cam.fill(1, 1500, 1750) // 3.0-3.5 s at 500 Hz
  const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
  const s = { pxPerMm: PX, speedMmPerS: 25 as const, gainMmPerMv: 10 as const }

  it('paints the band only in the cells whose window holds the hot stretch, at the right x', () => {
    const ctx = new RecordingCtx()
    drawHeatmap(ctx, p, s, { cam, camDurationS: 10 })
    const rects = ctx.calls.filter((c) => c.op === 'fillRect')
    const cellsHit = rects.map((r) => p.cells.find((c) => r.op === 'fillRect' && Math.abs(c.yMm * PX - r.y) < 1e-9 && r.x >= c.xMm * PX - 1 && r.x < (c.xMm + c.widthMm) * PX)!)
    expect(cellsHit.map((c) => `${c.lead}${c.role === 'rhythm' ? '*' : ''}`)).toEqual(['aVR', 'aVL', 'aVF', 'II*'])
    const avr = p.cells.find((c) => c.lead === 'aVR')!
    expect(rects[0]).toMatchObject({ x: Math.round(avr.xMm * PX) + 50, w: 50, h: avr.heightMm * PX, style: 'rgba(255,0,0,0.75)' })
    expect(rects[3]).toMatchObject({ x: Math.round(p.traceXMm * PX) + 300, w: 50 })
  })

  it('per-lead highlight weakens the band of low-attribution leads and adds a bar', () => {
    const ctx = new RecordingCtx()
    drawHeatmap(ctx, p, s, { cam, camDurationS: 10, highlight: new Map([['aVR', 1], ['aVL', 0]]) })
    const styles = ctx.calls.flatMap((c) => (c.op === 'fillRect' ? [c.style] : []))
    expect(styles[0]).toBe('rgba(255,0,0,0.75)') // aVR band at full strength
    expect(styles[1]).toMatch(/^rgba\(200,0,40,/) // aVR attribution bar
    expect(styles[2]).toBe('rgba(255,0,0,0.188)') // aVL band at 25 %
    expect(styles[3]).toBe('rgba(255,0,0,0.75)') // aVF: no highlight given -> full band
  })

  it('null heatmap clears the layer and draws nothing', () => {
    const ctx = new RecordingCtx()
    expect(drawHeatmap(ctx, p, s, null)).toBe(0)
    expect(ctx.calls.map((c) => c.op)).toEqual(['setTransform', 'clearRect'])
  })
})

describe('drawOverlay', () => {
  it('draws a labelled time caliper across its cell and returns the measurement', () => {
    const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
    const cell = p.cells.find((c) => c.lead === 'V2')!
    const ctx = new RecordingCtx()
    const y = cell.baselineMm * PX
    const m = drawOverlay(ctx, p, { pxPerMm: PX, speedMmPerS: 25, gainMmPerMv: 10 }, { kind: 'time', a: { x: 300, y }, b: { x: 380, y }, cell })
    expect(m).toEqual({ kind: 'time', ms: 800, bpm: 75, lead: 'V2' })
    expect(ctx.texts()).toEqual(['800 ms · 75 bpm'])
    // the label's pale backing hugs the text (13 px font at 4 px/mm): it must not wash out the paper
    const backing = ctx.calls.find((c) => c.op === 'fillRect')!
    expect(backing.op === 'fillRect' && backing.h).toBeCloseTo(13 * 1.3, 6)
    expect(backing.op === 'fillRect' && backing.w).toBeLessThan(15 * 13)
    const [path] = ctx.strokedPaths()
    expect(path!.points.slice(0, 4)).toEqual([[300, cell.yMm * PX], [300, (cell.yMm + cell.heightMm) * PX], [380, cell.yMm * PX], [380, (cell.yMm + cell.heightMm) * PX]])
    const cleared = new RecordingCtx()
    expect(drawOverlay(cleared, p, { pxPerMm: PX, speedMmPerS: 25, gainMmPerMv: 10 }, null)).toBeNull()
    expect(cleared.texts()).toEqual([])
  })
})
