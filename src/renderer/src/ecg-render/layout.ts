/**
 * Paper layout: which lead goes in which cell of the ECG paper and which time window each cell shows.
 * Everything here is in millimetres of paper and seconds of record; scale.ts turns mm into pixels.
 * The paper always shows `paperDurationS` (10 s, the standard resting ECG) so the 3x4 columns are the
 * familiar 2.5 s windows whatever the record length; data past the record's end is simply not drawn.
 */
import { STANDARD_LEADS, type LeadName } from '@shared/leads'

export type PaperLayoutKind = '3x4+II' | '6x2' | '12x1'
export const PAPER_LAYOUTS: readonly PaperLayoutKind[] = ['3x4+II', '6x2', '12x1']
export type SpeedMmPerS = 12.5 | 25 | 50
export type GainMmPerMv = 5 | 10 | 20

/** Columns of leads, top to bottom, for each layout (standard arrangement). */
const COLUMNS: Record<PaperLayoutKind, readonly (readonly LeadName[])[]> = {
  '3x4+II': [
    ['I', 'II', 'III'],
    ['aVR', 'aVL', 'aVF'],
    ['V1', 'V2', 'V3'],
    ['V4', 'V5', 'V6'],
  ],
  '6x2': [
    ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'],
    ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
  ],
  '12x1': [STANDARD_LEADS],
}

export interface PaperSpec {
  layout: PaperLayoutKind
  speedMmPerS: SpeedMmPerS
  gainMmPerMv: GainMmPerMv
  /** Seconds of record the paper spans (default 10). */
  paperDurationS?: number
  /** Record time at the paper's left edge (default 0): pages through records longer than the paper. */
  startS?: number
}

export interface PaperCell {
  lead: LeadName
  /** 'rhythm' for the full-length lead II strip under the 3x4 grid. */
  role: 'lead' | 'rhythm'
  row: number
  col: number
  /** Rectangle on the paper, mm from the paper's top-left corner. */
  xMm: number
  yMm: number
  widthMm: number
  heightMm: number
  /** Isoelectric line (0 mV), mm from the top. */
  baselineMm: number
  /** Record time window the cell shows, seconds; the cell's left edge is t0S. */
  t0S: number
  t1S: number
}

export interface PaperRow {
  yMm: number
  heightMm: number
  baselineMm: number
}

export interface PaperLayout {
  spec: Required<PaperSpec>
  widthMm: number
  heightMm: number
  /** Left margin holding the calibration pulse of each row. */
  calMarginMm: number
  /** x of the start of the trace area (= calMarginMm). */
  traceXMm: number
  rows: PaperRow[]
  cells: PaperCell[]
  /** Strip at the bottom for speed / gain / filter text. */
  footer: { yMm: number; heightMm: number }
}

const MAJOR_MM = 5
/** mV of signal each row is tall; 3 mV keeps a normal QRS inside its row at every gain. */
const ROW_SPAN_MV = 3
const FOOTER_MM = 10
const TOP_PAD_MM = 5

const ceilToMajor = (mm: number): number => Math.ceil(mm / MAJOR_MM - 1e-9) * MAJOR_MM

/** Width of the calibration margin: a 200 ms pulse plus 2 mm either side, rounded up to a major square. */
export function calibrationMarginMm(speedMmPerS: number): number {
  return ceilToMajor(0.2 * speedMmPerS + 4)
}

/** Row height in mm at a gain, a whole number of 5 mm squares. */
export function rowHeightMm(gainMmPerMv: number): number {
  return ceilToMajor(ROW_SPAN_MV * gainMmPerMv)
}

/** Lay out the paper for a spec. Pure; the same spec always gives the same layout. */
export function paperLayout(specIn: PaperSpec): PaperLayout {
  const spec: Required<PaperSpec> = { paperDurationS: 10, startS: 0, ...specIn }
  const columns = COLUMNS[spec.layout]
  const nCols = columns.length
  const nRows = Math.max(...columns.map((c) => c.length))
  const colDurS = spec.paperDurationS / nCols
  const calMarginMm = calibrationMarginMm(spec.speedMmPerS)
  const rowH = rowHeightMm(spec.gainMmPerMv)
  const traceWidthMm = spec.paperDurationS * spec.speedMmPerS
  const hasRhythm = spec.layout === '3x4+II'
  const totalRows = nRows + (hasRhythm ? 1 : 0)

  const rows: PaperRow[] = []
  for (let r = 0; r < totalRows; r++) {
    const yMm = TOP_PAD_MM + r * rowH
    // baseline a little below the middle: QRS complexes are mostly upright
    rows.push({ yMm, heightMm: rowH, baselineMm: yMm + rowH * 0.55 })
  }

  const cells: PaperCell[] = []
  columns.forEach((leads, col) => {
    leads.forEach((lead, row) => {
      const r = rows[row]!
      const t0S = spec.startS + col * colDurS
      cells.push({
        lead, role: 'lead', row, col,
        xMm: calMarginMm + col * colDurS * spec.speedMmPerS, yMm: r.yMm,
        widthMm: colDurS * spec.speedMmPerS, heightMm: r.heightMm, baselineMm: r.baselineMm,
        t0S, t1S: t0S + colDurS,
      })
    })
  })
  if (hasRhythm) {
    const r = rows[nRows]!
    cells.push({
      lead: 'II', role: 'rhythm', row: nRows, col: 0,
      xMm: calMarginMm, yMm: r.yMm, widthMm: traceWidthMm, heightMm: r.heightMm, baselineMm: r.baselineMm,
      t0S: spec.startS, t1S: spec.startS + spec.paperDurationS,
    })
  }

  const gridBottom = TOP_PAD_MM + totalRows * rowH
  return {
    spec,
    widthMm: ceilToMajor(calMarginMm + traceWidthMm + 2),
    heightMm: gridBottom + FOOTER_MM,
    calMarginMm,
    traceXMm: calMarginMm,
    rows,
    cells,
    footer: { yMm: gridBottom, heightMm: FOOTER_MM },
  }
}

/** The cell under a point on the paper (mm), or undefined in the margins. */
export function cellAt(layout: PaperLayout, xMm: number, yMm: number): PaperCell | undefined {
  return layout.cells.find(
    (c) => xMm >= c.xMm && xMm < c.xMm + c.widthMm && yMm >= c.yMm && yMm < c.yMm + c.heightMm,
  )
}
