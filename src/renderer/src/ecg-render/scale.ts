/**
 * Unit conversions between paper (mm), signal (mV, s, samples) and canvas pixels.
 * `pxPerMm` is always in canvas backing-store (device) pixels, so lines land on real pixels; the CSS size of
 * a canvas is its backing size divided by devicePixelRatio.
 */

/** CSS pixels per mm under the web's 96 dpi reference: 96 / 25.4. */
export const CSS_PX_PER_MM = 96 / 25.4

/** Default device pixels per mm: the 96-dpi assumption times devicePixelRatio (1 when unknown or bad). */
export function defaultPxPerMm(devicePixelRatio: number | undefined): number {
  const dpr = devicePixelRatio !== undefined && Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1
  return CSS_PX_PER_MM * dpr
}

export interface Scale {
  /** device px per mm of paper */
  pxPerMm: number
  speedMmPerS: number
  gainMmPerMv: number
}

export const mmToPx = (mm: number, pxPerMm: number): number => mm * pxPerMm
export const pxToMm = (px: number, pxPerMm: number): number => px / pxPerMm

/** Vertical px for an amplitude: mV * (mm/mV) * (px/mm). Positive mV is up, so callers subtract from the baseline. */
export const mvToPx = (mv: number, s: Scale): number => mv * s.gainMmPerMv * s.pxPerMm
export const pxToMv = (px: number, s: Scale): number => px / (s.gainMmPerMv * s.pxPerMm)

/** Horizontal px for a duration: s * (mm/s) * (px/mm). */
export const secondsToPx = (sec: number, s: Scale): number => sec * s.speedMmPerS * s.pxPerMm
export const pxToSeconds = (px: number, s: Scale): number => px / (s.speedMmPerS * s.pxPerMm)

/** x offset (px) of sample `i` from the start of the record at `fs` Hz. */
export const sampleToPx = (i: number, fs: number, s: Scale): number => secondsToPx(i / fs, s)

/** Size in px of the standard 1 mV x 200 ms calibration pulse at this gain and speed. */
export function calibrationPulsePx(s: Scale): { widthPx: number; heightPx: number } {
  return { widthPx: secondsToPx(0.2, s), heightPx: mvToPx(1, s) }
}

/**
 * The calibration pulse as a polyline starting at (x0, baseline): 2 mm flat, up 1 mV, 200 ms across, down, 2 mm flat.
 * Returns (6, 2) points [x, y] in px.
 */
export function calibrationPulsePoints(x0Px: number, baselinePx: number, s: Scale): Array<[number, number]> {
  const { widthPx, heightPx } = calibrationPulsePx(s)
  const pad = 2 * s.pxPerMm
  const top = baselinePx - heightPx
  return [
    [x0Px, baselinePx],
    [x0Px + pad, baselinePx],
    [x0Px + pad, top],
    [x0Px + pad + widthPx, top],
    [x0Px + pad + widthPx, baselinePx],
    [x0Px + 2 * pad + widthPx, baselinePx],
  ]
}
