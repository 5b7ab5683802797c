/**
 * ECG paper grid: 1 mm minor and 5 mm major lines, as pixel positions.
 * Positions are snapped to pixel centres (k + 0.5) so 1-px lines are crisp rather than smeared over two pixels.
 */

export interface GridLines {
  /** x of vertical lines, px, ascending */
  minorX: number[]
  majorX: number[]
  /** y of horizontal lines, px, ascending */
  minorY: number[]
  majorY: number[]
}

const snap = (px: number): number => Math.floor(px) + 0.5

/** Lines every mm over a paper of widthMm x heightMm (whole mm); every 5th is major. */
export function gridLines(widthMm: number, heightMm: number, pxPerMm: number): GridLines {
  const out: GridLines = { minorX: [], majorX: [], minorY: [], majorY: [] }
  for (let mm = 0; mm <= widthMm; mm++) (mm % 5 === 0 ? out.majorX : out.minorX).push(snap(mm * pxPerMm))
  for (let mm = 0; mm <= heightMm; mm++) (mm % 5 === 0 ? out.majorY : out.minorY).push(snap(mm * pxPerMm))
  return out
}

/** Below this many px per mm the minor lines merge into a flat tint, so they are left out. */
export const MIN_PX_PER_MM_FOR_MINOR = 2
