/**
 * Grad-CAM band: maps a CAM over the record's time axis onto the pixel columns of one paper cell, so each
 * cell's band shows exactly the time window its trace shows.
 */

export interface CamRun {
  /** px from the cell's left edge, [x0Px, x1Px) */
  x0Px: number
  x1Px: number
  /** CAM value in [0, 1] */
  v: number
}

/** Quantisation of CAM values: adjacent columns whose values round to the same step merge into one rect. */
const STEPS = 64

/**
 * CAM (camLen,) spanning record time [0, camDurationS) -> runs over the cell's columns.
 * The cell shows [t0S, t1S) over widthPx columns; column c covers [t0 + c*dt, t0 + (c+1)*dt) with
 * dt = (t1 - t0) / widthPx and takes the max of the CAM bins it overlaps (a narrow peak survives when there are
 * more bins than pixels). Columns past the CAM's end get no run. Values are clamped to [0, 1]; NaN counts as 0.
 */
export function camRunsForCell(
  cam: Float32Array, camDurationS: number, t0S: number, t1S: number, widthPx: number,
): CamRun[] {
  const runs: CamRun[] = []
  const columns = Math.floor(widthPx)
  if (cam.length === 0 || !(camDurationS > 0) || columns < 1 || !(t1S > t0S)) return runs
  const binS = camDurationS / cam.length
  const dt = (t1S - t0S) / columns
  for (let c = 0; c < columns; c++) {
    const ta = t0S + c * dt
    const tb = ta + dt
    if (ta >= camDurationS) break
    const i0 = Math.max(0, Math.floor(ta / binS))
    const i1 = Math.min(cam.length, Math.max(i0 + 1, Math.ceil(tb / binS)))
    let v = 0
    for (let i = i0; i < i1; i++) {
      const x = cam[i]!
      if (x > v) v = x // NaN never wins
    }
    v = Math.round(Math.min(1, v) * STEPS) / STEPS
    const last = runs[runs.length - 1]
    if (last && last.v === v && last.x1Px === c) last.x1Px = c + 1
    else runs.push({ x0Px: c, x1Px: c + 1, v })
  }
  return runs
}

/** Colour ramp for the band: yellow (low) to red (high), alpha growing with the value so cold regions stay clear. */
export function camColour(v: number, alphaScale = 1): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0))
  const r = 255
  const g = Math.round(220 * (1 - t))
  const b = 0
  const a = Math.round(t * 0.75 * Math.min(1, Math.max(0, alphaScale)) * 1000) / 1000
  return `rgba(${r},${g},${b},${a})`
}
