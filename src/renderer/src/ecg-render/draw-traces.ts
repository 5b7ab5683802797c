/**
 * Trace layer: calibration pulses, lead labels, column ticks, the traces themselves and the footer text.
 * Redrawn only when the record, the layout, speed, gain or scale change, never for heatmap or caliper changes.
 */
import type { LeadName } from '@shared/leads'
import type { Ctx2D } from './ctx'
import { clearLayer, fontPx } from './ctx'
import { decimateMinMax, sampleRange } from './decimate'
import type { PaperCell, PaperLayout } from './layout'
import { calibrationPulsePoints, mmToPx, mvToPx, secondsToPx, type Scale } from './scale'

export const TRACE_COLOURS = { trace: '#111111', label: '#1a1a1a', missing: '#8a8a8a', calibration: '#111111' } as const

export interface TraceInput {
  /** Signal per lead, millivolts; a lead absent from the map is drawn as a labelled empty slot. */
  byLead: ReadonlyMap<LeadName, Float32Array>
  samplingRateHz: number
  filterLabel: string
}

/** Draw one cell's trace. Returns the number of path vertices, for benches and tests. */
export function drawCellTrace(ctx: Ctx2D, cell: PaperCell, signal: Float32Array, fs: number, s: Scale): number {
  const { start, end } = sampleRange(cell.t0S, cell.t1S, fs, signal.length)
  const n = end - start
  if (n < 2) return 0
  const x0 = mmToPx(cell.xMm, s.pxPerMm)
  const base = mmToPx(cell.baselineMm, s.pxPerMm)
  const spanPx = secondsToPx(n / fs, s)
  let vertices = 0
  let penDown = false
  const point = (x: number, mv: number): void => {
    if (!Number.isFinite(mv)) {
      penDown = false // a gap (NaN) in the signal breaks the line instead of drawing to zero
      return
    }
    const y = base - mvToPx(mv, s)
    if (penDown) ctx.lineTo(x, y)
    else ctx.moveTo(x, y)
    penDown = true
    vertices++
  }
  ctx.beginPath()
  const columns = Math.floor(spanPx)
  if (columns >= 1 && n > columns) {
    // more samples than pixels: one min->max stroke per pixel column
    const xStart = x0 + secondsToPx(start / fs - cell.t0S, s)
    const { min, max } = decimateMinMax(signal, start, end, columns)
    for (let c = 0; c < columns; c++) {
      point(xStart + c + 0.5, min[c]!)
      point(xStart + c + 0.5, max[c]!)
    }
  } else {
    for (let i = start; i < end; i++) point(x0 + secondsToPx(i / fs - cell.t0S, s), signal[i]!)
  }
  ctx.stroke()
  return vertices
}

function drawLabel(ctx: Ctx2D, cell: PaperCell, s: Scale, present: boolean): void {
  const x = mmToPx(cell.xMm + 1.5, s.pxPerMm)
  const y = mmToPx(cell.yMm + 1, s.pxPerMm)
  ctx.font = fontPx(3.5, s.pxPerMm, '600')
  ctx.textBaseline = 'top'
  ctx.textAlign = 'left'
  ctx.fillStyle = present ? TRACE_COLOURS.label : TRACE_COLOURS.missing
  const name = cell.role === 'rhythm' ? `${cell.lead} (rhythm)` : cell.lead
  ctx.fillText(present ? name : `${name} — not recorded`, x, y)
}

function drawColumnTick(ctx: Ctx2D, cell: PaperCell, s: Scale): void {
  const x = Math.floor(mmToPx(cell.xMm, s.pxPerMm)) + 0.5
  const base = mmToPx(cell.baselineMm, s.pxPerMm)
  ctx.beginPath()
  ctx.moveTo(x, base - mmToPx(2.5, s.pxPerMm))
  ctx.lineTo(x, base + mmToPx(2.5, s.pxPerMm))
  ctx.stroke()
}

export function drawTraces(ctx: Ctx2D, layout: PaperLayout, s: Scale, input: TraceInput): void {
  const w = Math.round(mmToPx(layout.widthMm, s.pxPerMm))
  const h = Math.round(mmToPx(layout.heightMm, s.pxPerMm))
  clearLayer(ctx, w, h)
  ctx.setLineDash([])
  ctx.lineJoin = 'round'
  ctx.lineWidth = Math.max(1, s.pxPerMm * 0.25)
  ctx.strokeStyle = TRACE_COLOURS.calibration

  // calibration pulse centred in the left margin of every row
  const pulseMm = 0.2 * s.speedMmPerS + 4
  const calX = mmToPx((layout.calMarginMm - pulseMm) / 2, s.pxPerMm)
  for (const row of layout.rows) {
    const pts = calibrationPulsePoints(calX, mmToPx(row.baselineMm, s.pxPerMm), s)
    ctx.beginPath()
    pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)))
    ctx.stroke()
  }

  for (const cell of layout.cells) {
    const signal = input.byLead.get(cell.lead)
    ctx.strokeStyle = TRACE_COLOURS.trace
    if (cell.col > 0) drawColumnTick(ctx, cell, s)
    if (signal) drawCellTrace(ctx, cell, signal, input.samplingRateHz, s)
    drawLabel(ctx, cell, s, signal !== undefined)
  }

  ctx.font = fontPx(3, s.pxPerMm)
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'left'
  ctx.fillStyle = TRACE_COLOURS.label
  const footerY = mmToPx(layout.footer.yMm + layout.footer.heightMm / 2, s.pxPerMm)
  ctx.fillText(footerText(s, input), mmToPx(layout.traceXMm, s.pxPerMm), footerY)
}

export function footerText(s: Scale, input: Pick<TraceInput, 'samplingRateHz' | 'filterLabel'>): string {
  const filter = input.filterLabel.trim() === '' ? 'no filter' : input.filterLabel.trim()
  return `${s.speedMmPerS} mm/s   ${s.gainMmPerMv} mm/mV   ${filter}   ${input.samplingRateHz} Hz`
}
