import { describe, expect, it } from 'vitest'
import {
  calibrationPulsePoints, calibrationPulsePx, CSS_PX_PER_MM, defaultPxPerMm, mvToPx, pxToMv, pxToSeconds, sampleToPx, secondsToPx,
} from '../../../src/renderer/src/ecg-render/scale'

describe('scale', () => {
  it('a 1 mV x 200 ms calibration pulse is 10 mm tall and 5 mm wide at 10 mm/mV, 25 mm/s', () => {
    for (const pxPerMm of [CSS_PX_PER_MM, 4, 7.559]) {
      const s = { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 }
      const { widthPx, heightPx } = calibrationPulsePx(s)
      expect(heightPx).toBeCloseTo(10 * pxPerMm, 9)
      expect(widthPx).toBeCloseTo(5 * pxPerMm, 9)
      // the drawn polyline: up by exactly the pulse height, across by exactly the pulse width
      const pts = calibrationPulsePoints(10, 100, s)
      expect(pts[1]![1] - pts[2]![1]).toBeCloseTo(10 * pxPerMm, 9)
      expect(pts[3]![0] - pts[2]![0]).toBeCloseTo(5 * pxPerMm, 9)
      expect(pts[0]).toEqual([10, 100])
      expect(pts[5]![1]).toBe(100)
    }
  })

  it('gain: 1 mV is 5 / 10 / 20 mm; pxToMv inverts mvToPx', () => {
    const pxPerMm = 4
    expect(mvToPx(1, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 5 })).toBe(20)
    expect(mvToPx(1, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 })).toBe(40)
    expect(mvToPx(-0.5, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 20 })).toBe(-40)
    expect(pxToMv(80, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 20 })).toBe(1)
    expect(pxToMv(80, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 5 })).toBe(4)
    expect(calibrationPulsePx({ pxPerMm, speedMmPerS: 25, gainMmPerMv: 20 }).heightPx).toBe(80)
  })

  it('speed: 1 s is 12.5 / 25 / 50 mm; samples map through the sampling rate', () => {
    const pxPerMm = 4
    expect(secondsToPx(1, { pxPerMm, speedMmPerS: 12.5, gainMmPerMv: 10 })).toBe(50)
    expect(secondsToPx(1, { pxPerMm, speedMmPerS: 50, gainMmPerMv: 10 })).toBe(200)
    expect(calibrationPulsePx({ pxPerMm, speedMmPerS: 12.5, gainMmPerMv: 10 }).widthPx).toBeCloseTo(10, 9) // 2.5 mm
    expect(calibrationPulsePx({ pxPerMm, speedMmPerS: 50, gainMmPerMv: 10 }).widthPx).toBeCloseTo(40, 9) // 10 mm
    // sample 500 at 500 Hz is 1 s; at 100 Hz sample 100 is 1 s
    expect(sampleToPx(500, 500, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 })).toBe(100)
    expect(sampleToPx(100, 100, { pxPerMm, speedMmPerS: 25, gainMmPerMv: 10 })).toBe(100)
    expect(pxToSeconds(200, { pxPerMm, speedMmPerS: 50, gainMmPerMv: 10 })).toBe(1)
  })

  it('default px per mm follows devicePixelRatio at 96 dpi and ignores a bad ratio', () => {
    expect(defaultPxPerMm(1)).toBeCloseTo(3.7795, 4)
    expect(defaultPxPerMm(2)).toBeCloseTo(7.559, 3)
    expect(defaultPxPerMm(undefined)).toBeCloseTo(3.7795, 4)
    expect(defaultPxPerMm(0)).toBeCloseTo(3.7795, 4)
    expect(defaultPxPerMm(Number.NaN)).toBeCloseTo(3.7795, 4)
  })
})
