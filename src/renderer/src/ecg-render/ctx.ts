/**
 * The slice of CanvasRenderingContext2D the drawing code uses. Drawing functions take this, not a canvas, so
 * they run (and are tested) against a recording fake where there is no real canvas (happy-dom, Node).
 * A real CanvasRenderingContext2D satisfies it.
 */
export interface Ctx2D {
  // `object` stands for CanvasGradient | CanvasPattern so this file needs no DOM lib (the bench runs under Node)
  fillStyle: string | object
  strokeStyle: string | object
  lineWidth: number
  lineJoin: string
  font: string
  textBaseline: string
  textAlign: string
  save(): void
  restore(): void
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void
  clearRect(x: number, y: number, w: number, h: number): void
  fillRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  stroke(): void
  fillText(text: string, x: number, y: number): void
  setLineDash(segments: number[]): void
}

/** Clear a whole layer in device px, whatever transform a previous draw left. */
export function clearLayer(ctx: Ctx2D, widthPx: number, heightPx: number): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.clearRect(0, 0, widthPx, heightPx)
}

/** Text height in px for `sizeMm` at this scale (never below 8 px, to stay legible on coarse scales). */
export const fontSizePx = (sizeMm: number, pxPerMm: number): number => Math.max(8, Math.round(sizeMm * pxPerMm))

/** A font `sizeMm` tall at this scale. */
export const fontPx = (sizeMm: number, pxPerMm: number, weight = ''): string =>
  `${weight ? weight + ' ' : ''}${fontSizePx(sizeMm, pxPerMm)}px system-ui, sans-serif`
