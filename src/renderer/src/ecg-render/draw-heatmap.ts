/**
 * Heatmap layer: the Grad-CAM band behind each cell's trace (each cell shows the CAM of its own time window)
 * and, when given, a per-lead attribution bar at the cell's left edge. Layer opacity is applied by the
 * component (CSS), so changing it never redraws anything.
 */
import type { LeadName } from '@shared/leads'
import type { Ctx2D } from './ctx'
import { clearLayer } from './ctx'
import { camColour, camRunsForCell } from './heatmap'
import type { PaperLayout } from './layout'
import { mmToPx, secondsToPx, type Scale } from './scale'

export interface HeatmapInput {
  /** (camLen,) CAM in [0, 1] spanning record time [0, camDurationS) */
  cam: Float32Array
  camDurationS: number
  /** Per-lead attribution in [0, 1]; leads not in the map get no bar and full band strength. */
  highlight?: ReadonlyMap<LeadName, number>
}

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0)

/** Band strength for a lead: weakly attributed leads keep a faint band so the time pattern stays readable. */
export const bandAlphaScale = (h: number | undefined): number => (h === undefined ? 1 : 0.25 + 0.75 * clamp01(h))

export function drawHeatmap(ctx: Ctx2D, layout: PaperLayout, s: Scale, input: HeatmapInput | null): number {
  const w = Math.round(mmToPx(layout.widthMm, s.pxPerMm))
  const h = Math.round(mmToPx(layout.heightMm, s.pxPerMm))
  clearLayer(ctx, w, h)
  if (!input) return 0
  let rects = 0
  for (const cell of layout.cells) {
    const x0 = Math.round(mmToPx(cell.xMm, s.pxPerMm))
    const y0 = mmToPx(cell.yMm, s.pxPerMm)
    const cellH = mmToPx(cell.heightMm, s.pxPerMm)
    const widthPx = secondsToPx(cell.t1S - cell.t0S, s)
    const lead = input.highlight?.get(cell.lead)
    const alpha = bandAlphaScale(lead)
    for (const run of camRunsForCell(input.cam, input.camDurationS, cell.t0S, cell.t1S, widthPx)) {
      if (run.v <= 0) continue
      ctx.fillStyle = camColour(run.v, alpha)
      ctx.fillRect(x0 + run.x0Px, y0, run.x1Px - run.x0Px, cellH)
      rects++
    }
    if (lead !== undefined && clamp01(lead) > 0) {
      // attribution bar: 1.5 mm wide, grows up from the cell bottom with the lead's share
      const barH = cellH * clamp01(lead)
      ctx.fillStyle = `rgba(200,0,40,${(0.35 + 0.6 * clamp01(lead)).toFixed(3)})`
      ctx.fillRect(x0, y0 + cellH - barH, mmToPx(1.5, s.pxPerMm), barH)
      rects++
    }
  }
  return rects
}
