/** Grid layer: paper colour, then minor (1 mm) and major (5 mm) lines. Drawn only when the geometry changes. */
import type { Ctx2D } from './ctx'
import { clearLayer } from './ctx'
import { gridLines, MIN_PX_PER_MM_FOR_MINOR } from './grid'
import type { PaperLayout } from './layout'
import { mmToPx } from './scale'

export const PAPER_COLOURS = { paper: '#fffafa', minor: '#f3c4bf', major: '#e0877f' } as const

function strokeLines(ctx: Ctx2D, xs: number[], ys: number[], w: number, h: number): void {
  ctx.beginPath()
  for (const x of xs) {
    ctx.moveTo(x, 0)
    ctx.lineTo(x, h)
  }
  for (const y of ys) {
    ctx.moveTo(0, y)
    ctx.lineTo(w, y)
  }
  ctx.stroke()
}

export function drawGrid(ctx: Ctx2D, layout: PaperLayout, pxPerMm: number): void {
  const w = Math.round(mmToPx(layout.widthMm, pxPerMm))
  const h = Math.round(mmToPx(layout.heightMm, pxPerMm))
  clearLayer(ctx, w, h)
  ctx.fillStyle = PAPER_COLOURS.paper
  ctx.fillRect(0, 0, w, h)
  const lines = gridLines(layout.widthMm, layout.heightMm, pxPerMm)
  ctx.lineWidth = 1
  ctx.setLineDash([])
  if (pxPerMm >= MIN_PX_PER_MM_FOR_MINOR) {
    ctx.strokeStyle = PAPER_COLOURS.minor
    strokeLines(ctx, lines.minorX, lines.minorY, w, h)
  }
  // major lines stay 1 px (crisp on the snapped centres) and read as major by their darker colour
  ctx.strokeStyle = PAPER_COLOURS.major
  strokeLines(ctx, lines.majorX, lines.majorY, w, h)
}
