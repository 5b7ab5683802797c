import { describe, expect, it } from 'vitest'
import { STANDARD_LEADS } from '@shared/leads'
import { cellAt, PAPER_LAYOUTS, paperLayout, type PaperCell } from '../../../src/renderer/src/ecg-render/layout'

const overlaps = (a: PaperCell, b: PaperCell): boolean =>
  a.xMm < b.xMm + b.widthMm - 1e-9 && b.xMm < a.xMm + a.widthMm - 1e-9 && a.yMm < b.yMm + b.heightMm - 1e-9 && b.yMm < a.yMm + a.heightMm - 1e-9

describe('paperLayout', () => {
  for (const layout of PAPER_LAYOUTS) {
    for (const speed of [12.5, 25, 50] as const) {
      for (const gain of [5, 10, 20] as const) {
        it(`${layout} at ${speed} mm/s ${gain} mm/mV: every lead once, no overlaps, all inside the paper`, () => {
          const p = paperLayout({ layout, speedMmPerS: speed, gainMmPerMv: gain })
          const leadCells = p.cells.filter((c) => c.role === 'lead')
          expect(leadCells.map((c) => c.lead).sort()).toEqual([...STANDARD_LEADS].sort())
          const rhythm = p.cells.filter((c) => c.role === 'rhythm')
          expect(rhythm.map((c) => c.lead)).toEqual(layout === '3x4+II' ? ['II'] : [])
          for (let i = 0; i < p.cells.length; i++) {
            for (let j = i + 1; j < p.cells.length; j++) expect(overlaps(p.cells[i]!, p.cells[j]!), `${p.cells[i]!.lead}/${p.cells[j]!.lead}`).toBe(false)
          }
          for (const c of p.cells) {
            expect(c.xMm).toBeGreaterThanOrEqual(p.calMarginMm)
            expect(c.xMm + c.widthMm).toBeLessThanOrEqual(p.widthMm)
            expect(c.yMm + c.heightMm).toBeLessThanOrEqual(p.footer.yMm)
            expect(c.baselineMm).toBeGreaterThan(c.yMm)
            expect(c.baselineMm).toBeLessThan(c.yMm + c.heightMm)
            // the cell's width is exactly its time window at the paper speed
            expect(c.widthMm).toBeCloseTo((c.t1S - c.t0S) * speed, 9)
            expect(c.xMm).toBeCloseTo(p.calMarginMm + c.t0S * speed, 9)
          }
          // the calibration pulse (200 ms + 2 mm either side) fits in the left margin
          expect(p.calMarginMm).toBeGreaterThanOrEqual(0.2 * speed + 4)
          // rows hold +/-1.5 mV at this gain
          for (const r of p.rows) expect(r.heightMm).toBeGreaterThanOrEqual(3 * gain)
        })
      }
    }
  }

  it('3x4+II: columns are I/II/III | aVR/aVL/aVF | V1-V3 | V4-V6 over 0-2.5, 2.5-5, 5-7.5, 7.5-10 s, plus a 0-10 s II strip', () => {
    const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
    const cols = [0, 1, 2, 3].map((col) => p.cells.filter((c) => c.role === 'lead' && c.col === col).sort((a, b) => a.row - b.row))
    expect(cols.map((c) => c.map((x) => x.lead))).toEqual([
      ['I', 'II', 'III'], ['aVR', 'aVL', 'aVF'], ['V1', 'V2', 'V3'], ['V4', 'V5', 'V6'],
    ])
    expect(cols.map((c) => [c[0]!.t0S, c[0]!.t1S])).toEqual([[0, 2.5], [2.5, 5], [5, 7.5], [7.5, 10]])
    for (const c of cols) expect(new Set(c.map((x) => `${x.t0S}-${x.t1S}`)).size).toBe(1)
    const strip = p.cells.find((c) => c.role === 'rhythm')!
    expect([strip.t0S, strip.t1S, strip.widthMm]).toEqual([0, 10, 250])
    expect(strip.row).toBe(3)
    // 2.5 s at 25 mm/s is 62.5 mm per column
    expect(cols[1]![0]!.xMm - cols[0]![0]!.xMm).toBe(62.5)
  })

  it('6x2: limb leads 0-5 s on the left, chest leads 5-10 s on the right; 12x1: every lead 0-10 s', () => {
    const six = paperLayout({ layout: '6x2', speedMmPerS: 25, gainMmPerMv: 10 })
    expect(six.cells.filter((c) => c.col === 0).map((c) => [c.lead, c.t0S, c.t1S])).toEqual(
      ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'].map((l) => [l, 0, 5]),
    )
    expect(six.cells.filter((c) => c.col === 1).map((c) => [c.lead, c.t0S, c.t1S])).toEqual(
      ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'].map((l) => [l, 5, 10]),
    )
    const twelve = paperLayout({ layout: '12x1', speedMmPerS: 50, gainMmPerMv: 5 })
    expect(twelve.cells.map((c) => [c.lead, c.row, c.t0S, c.t1S, c.widthMm])).toEqual(STANDARD_LEADS.map((l, i) => [l, i, 0, 10, 500]))
  })

  it('startS pages the windows through a long record without moving the cells', () => {
    const first = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
    const second = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10, startS: 10 })
    expect(second.cells.map((c) => [c.xMm, c.yMm, c.widthMm])).toEqual(first.cells.map((c) => [c.xMm, c.yMm, c.widthMm]))
    expect(second.cells.map((c) => [c.t0S, c.t1S])).toEqual(first.cells.map((c) => [c.t0S + 10, c.t1S + 10]))
  })

  it('cellAt finds the cell under a point and nothing in the calibration margin', () => {
    const p = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 })
    const v5 = p.cells.find((c) => c.lead === 'V5')!
    expect(cellAt(p, v5.xMm + 1, v5.yMm + 1)?.lead).toBe('V5')
    expect(cellAt(p, v5.xMm + v5.widthMm - 0.01, v5.yMm + v5.heightMm - 0.01)?.lead).toBe('V5')
    expect(cellAt(p, 1, v5.yMm + 1)).toBeUndefined()
    const strip = p.cells.find((c) => c.role === 'rhythm')!
    expect(cellAt(p, strip.xMm + 200, strip.baselineMm)?.role).toBe('rhythm')
  })
})
