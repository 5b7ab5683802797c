/** Overlay layer: the caliper being dragged or last measured, as two labelled lines. */
import type { Ctx2D } from './ctx'
import { clearLayer, fontPx, fontSizePx } from './ctx'
import { caliperLabel, measureDrag, type CaliperKind, type MeasureEvent, type Point } from './caliper'
import type { PaperCell, PaperLayout } from './layout'
import { mmToPx, type Scale } from './scale'

export interface CaliperState {
  kind: CaliperKind
  /** device px */
  a: Point
  b: Point
  cell?: PaperCell
}

export const CALIPER_COLOUR = '#0050c8'

export function drawOverlay(ctx: Ctx2D, layout: PaperLayout, s: Scale, caliper: CaliperState | null): MeasureEvent | null {
  const w = Math.round(mmToPx(layout.widthMm, s.pxPerMm))
  const h = Math.round(mmToPx(layout.heightMm, s.pxPerMm))
  clearLayer(ctx, w, h)
  if (!caliper) return null
  const m = measureDrag(caliper.kind, caliper.a, caliper.b, s, caliper.cell?.lead)
  // lines span the cell the drag started in, or 15 mm around the points outside any cell
  const top = caliper.cell ? mmToPx(caliper.cell.yMm, s.pxPerMm) : Math.min(caliper.a.y, caliper.b.y) - mmToPx(7.5, s.pxPerMm)
  const bottom = caliper.cell ? top + mmToPx(caliper.cell.heightMm, s.pxPerMm) : Math.max(caliper.a.y, caliper.b.y) + mmToPx(7.5, s.pxPerMm)
  const half = mmToPx(5, s.pxPerMm)
  ctx.strokeStyle = CALIPER_COLOUR
  ctx.lineWidth = Math.max(1, Math.round(s.pxPerMm * 0.3))
  ctx.setLineDash([])
  ctx.beginPath()
  let labelX: number
  let labelY: number
  if (caliper.kind === 'time') {
    const y = caliper.a.y
    for (const x of [caliper.a.x, caliper.b.x]) {
      ctx.moveTo(x, top)
      ctx.lineTo(x, bottom)
    }
    ctx.moveTo(caliper.a.x, y)
    ctx.lineTo(caliper.b.x, y)
    labelX = Math.min(caliper.a.x, caliper.b.x)
    labelY = Math.max(top, y - mmToPx(5, s.pxPerMm))
  } else {
    const x = caliper.a.x
    for (const y of [caliper.a.y, caliper.b.y]) {
      ctx.moveTo(x - half, y)
      ctx.lineTo(x + half, y)
    }
    ctx.moveTo(x, caliper.a.y)
    ctx.lineTo(x, caliper.b.y)
    labelX = x + half + mmToPx(1, s.pxPerMm)
    labelY = (caliper.a.y + caliper.b.y) / 2
  }
  ctx.stroke()
  const text = caliperLabel(m)
  const textH = fontSizePx(3.2, s.pxPerMm)
  // a pale backing so the reading stays legible over the trace; width estimated (Ctx2D has no measureText)
  ctx.fillStyle = 'rgba(255,255,255,0.85)'
  ctx.fillRect(labelX - 2, labelY - textH * 0.65, text.length * textH * 0.62 + 4, textH * 1.3)
  ctx.fillStyle = CALIPER_COLOUR
  ctx.font = fontPx(3.2, s.pxPerMm, '600')
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'left'
  ctx.fillText(text, labelX, labelY)
  return m
}
