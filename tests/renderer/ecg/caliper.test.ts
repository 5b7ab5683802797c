import { describe, expect, it } from 'vitest'
import { amplitudeMeasure, caliperLabel, cellTimeAt, measureDrag, timeMeasure, timeSegment } from '../../../src/renderer/src/ecg-render/caliper'
import { paperLayout } from '../../../src/renderer/src/ecg-render/layout'

describe('caliper math', () => {
  const pxPerMm = 4
  it('time: px -> ms and bpm at 12.5 / 25 / 50 mm/s', () => {
    // 20 mm at 25 mm/s = 800 ms = 75 bpm
    expect(timeMeasure(80, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 })).toEqual({ ms: 800, bpm: 75 })
    // same 20 mm at 50 mm/s = 400 ms = 150 bpm; at 12.5 mm/s = 1600 ms = 37.5 bpm
    expect(timeMeasure(80, { pxPerMm, speedMmPerS: 50, gainMmPerMv: 10 })).toEqual({ ms: 400, bpm: 150 })
    expect(timeMeasure(-80, { pxPerMm, speedMmPerS: 12.5, gainMmPerMv: 10 })).toEqual({ ms: 1600, bpm: 37.5 })
    // gain does not change a time measurement
    expect(timeMeasure(80, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 20 }).ms).toBe(800)
    expect(timeMeasure(0, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 }).bpm).toBe(Infinity)
  })

  it('amplitude: px -> mV at 5 / 10 / 20 mm/mV, independent of speed', () => {
    expect(amplitudeMeasure(40, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 }).mv).toBe(1)
    expect(amplitudeMeasure(40, { pxPerMm, speedMmPerS: 50, gainMmPerMv: 5 }).mv).toBe(2)
    expect(amplitudeMeasure(-40, { pxPerMm, speedMmPerS: 12.5, gainMmPerMv: 20 }).mv).toBe(0.5)
  })

  it('a drag measures only along its kind\'s axis and carries the lead', () => {
    const s = { pxPerMm: 3.7795275590551185, speedMmPerS: 25 as const, gainMmPerMv: 10 as const }
    const t = measureDrag('time', { x: 10, y: 10 }, { x: 10 + 5 * s.pxPerMm, y: 300 }, s, 'V2')
    expect(t.kind).toBe('time')
    expect(t.ms).toBeCloseTo(200, 9)
    expect(t.bpm).toBeCloseTo(300, 9)
    expect(t.mv).toBeUndefined()
    expect(t.lead).toBe('V2')
    const a = measureDrag('amplitude', { x: 10, y: 100 }, { x: 999, y: 100 - 15 * s.pxPerMm }, s)
    expect(a).toEqual({ kind: 'amplitude', mv: expect.closeTo(1.5, 9) })
    expect(caliperLabel(t)).toBe('200 ms · 300 bpm')
    expect(caliperLabel(a)).toBe('1.50 mV')
  })

  describe('time segment in record time', () => {
    const s = { pxPerMm: 4, speedMmPerS: 25 as const, gainMmPerMv: 10 as const }
    const cellOf = (lead: string, startS = 0, role = 'lead') =>
      paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10, startS }).cells.find((c) => c.lead === lead && c.role === role)!

    it("a drag across a 3x4 cell's second column maps to 2.5 s + offset, ordered whichever way it went", () => {
      const avl = cellOf('aVL')
      expect([avl.col, avl.t0S, avl.t1S]).toEqual([1, 2.5, 5])
      const x0 = avl.xMm * s.pxPerMm
      // 10 mm in = 0.4 s, 30 mm in = 1.2 s
      const right = timeSegment(x0 + 40, x0 + 120, avl, s)
      expect(right.startS).toBeCloseTo(2.9, 9)
      expect(right.endS).toBeCloseTo(3.7, 9)
      const left = timeSegment(x0 + 120, x0 + 40, avl, s)
      expect(left).toEqual(right)
    })

    it("adds the paper's startS paging and clamps to the cell's time window", () => {
      const avl = cellOf('aVL', 20)
      const x0 = avl.xMm * s.pxPerMm
      expect(cellTimeAt(x0 + 40, avl, s)).toBeCloseTo(22.9, 9)
      // dragged out of the cell on both sides: the segment is the whole column
      expect(timeSegment(x0 - 50, x0 + avl.widthMm * s.pxPerMm + 50, avl, s)).toEqual({ startS: 22.5, endS: 25 })
      // the rhythm strip spans the whole paper
      const rhythm = cellOf('II', 20, 'rhythm')
      expect(cellTimeAt(rhythm.xMm * s.pxPerMm + 250 * s.pxPerMm, rhythm, s)).toBeCloseTo(30, 9)
    })

    it('measureDrag carries the segment for a time drag in a cell only', () => {
      const v1 = cellOf('V1')
      const x0 = v1.xMm * s.pxPerMm
      const m = measureDrag('time', { x: x0 + 100, y: 50 }, { x: x0 + 20, y: 50 }, s, v1.lead, v1)
      expect(m).toEqual({ kind: 'time', ms: 800, bpm: 75, lead: 'V1', startS: expect.closeTo(5.2, 9), endS: expect.closeTo(6, 9) })
      expect(measureDrag('time', { x: 0, y: 0 }, { x: 80, y: 0 }, s)).toEqual({ kind: 'time', ms: 800, bpm: 75 })
      expect(measureDrag('amplitude', { x: x0, y: 0 }, { x: x0, y: 40 }, s, v1.lead, v1)).toEqual({ kind: 'amplitude', mv: 1, lead: 'V1' })
    })
  })
})
