import { describe, expect, it } from 'vitest'
import { amplitudeMeasure, caliperLabel, measureDrag, timeMeasure } from '../../../src/renderer/src/ecg-render/caliper'

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
})
