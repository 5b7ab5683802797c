/**
 * Canvas plumbing for the viewer: sizing a layer's backing store (device px) and its CSS box, and getting a
 * 2D context safely. Environments without a canvas implementation (happy-dom, some test hosts) return null
 * from getContext; the viewer then stays `data-ready="false"` instead of throwing.
 */
import type { Ctx2D } from '../../ecg-render/ctx'

export function sizeLayer(canvas: HTMLCanvasElement, widthPx: number, heightPx: number, dpr: number): void {
  // setting width/height clears the canvas even when unchanged, so only touch them on a real change
  if (canvas.width !== widthPx) canvas.width = widthPx
  if (canvas.height !== heightPx) canvas.height = heightPx
  canvas.style.width = `${widthPx / dpr}px`
  canvas.style.height = `${heightPx / dpr}px`
}

export function context2d(canvas: HTMLCanvasElement | null | undefined): Ctx2D | null {
  if (!canvas) return null
  try {
    return canvas.getContext('2d')
  } catch {
    return null
  }
}

/** Pointer position in the canvas's device px (the drawing code's px), from a pointer event. */
export function pointerToDevicePx(canvas: HTMLCanvasElement, e: { clientX: number; clientY: number }, dpr: number): { x: number; y: number } {
  const rect = canvas.getBoundingClientRect()
  // without layout (happy-dom) the rect is empty: fall back to the CSS scale we set, 1 CSS px = dpr device px
  const fx = rect.width > 0 ? canvas.width / rect.width : dpr
  const fy = rect.height > 0 ? canvas.height / rect.height : dpr
  return { x: (e.clientX - rect.left) * fx, y: (e.clientY - rect.top) * fy }
}
