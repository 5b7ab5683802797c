/**
 * Caliper math: pixel distances on the paper -> ms, bpm and mV at the current speed and gain.
 * Points are in canvas device px (the same px as Scale.pxPerMm).
 */
import type { LeadName } from '@shared/leads'
import type { PaperCell } from './layout'
import { pxToMv, pxToSeconds, type Scale } from './scale'

export type CaliperKind = 'time' | 'amplitude'

export interface MeasureEvent {
  kind: CaliperKind
  ms?: number
  bpm?: number
  mv?: number
  lead?: LeadName
  /** Time caliper in a cell: the segment it spans, seconds from the record start (startS <= endS). */
  startS?: number
  endS?: number
}

/** The part of a cell the segmentation math needs: its left edge on the paper and its record time window. */
export type CellWindow = Pick<PaperCell, 'xMm' | 't0S' | 't1S'>

/** Record time (s) under device-px x in a cell, clamped to the cell's time window. */
export function cellTimeAt(xPx: number, cell: CellWindow, s: Scale): number {
  const t = cell.t0S + pxToSeconds(xPx - cell.xMm * s.pxPerMm, s)
  return Math.min(cell.t1S, Math.max(cell.t0S, t))
}

/** The record segment a horizontal drag from x `aPx` to `bPx` spans in a cell, ordered, seconds from the record start. */
export function timeSegment(aPx: number, bPx: number, cell: CellWindow, s: Scale): { startS: number; endS: number } {
  const ta = cellTimeAt(aPx, cell, s)
  const tb = cellTimeAt(bPx, cell, s)
  return { startS: Math.min(ta, tb), endS: Math.max(ta, tb) }
}

export interface Point {
  x: number
  y: number
}

/** Horizontal distance -> interval in ms and the rate (60000 / ms) it would mean as an RR interval. */
export function timeMeasure(dxPx: number, s: Scale): { ms: number; bpm: number } {
  const ms = pxToSeconds(Math.abs(dxPx), s) * 1000
  return { ms, bpm: ms > 0 ? 60000 / ms : Infinity }
}

/** Vertical distance -> amplitude in mV. */
export function amplitudeMeasure(dyPx: number, s: Scale): { mv: number } {
  return { mv: pxToMv(Math.abs(dyPx), s) }
}

/**
 * The measurement a drag from `a` to `b` makes in `kind` mode; only the axis of the kind counts. With the cell the
 * drag started in, a time drag also carries the record segment it spans (startS / endS).
 */
export function measureDrag(kind: CaliperKind, a: Point, b: Point, s: Scale, lead?: LeadName, cell?: CellWindow): MeasureEvent {
  const base: MeasureEvent = kind === 'time' ? { kind, ...timeMeasure(b.x - a.x, s) } : { kind, ...amplitudeMeasure(b.y - a.y, s) }
  const seg = kind === 'time' && cell ? timeSegment(a.x, b.x, cell, s) : {}
  return lead === undefined ? { ...base, ...seg } : { ...base, lead, ...seg }
}

/** Text shown on the caliper, e.g. "800 ms · 75 bpm" or "1.25 mV". */
export function caliperLabel(m: MeasureEvent): string {
  if (m.kind === 'time') {
    const bpm = m.bpm !== undefined && Number.isFinite(m.bpm) ? ` · ${Math.round(m.bpm)} bpm` : ''
    return `${Math.round(m.ms ?? 0)} ms${bpm}`
  }
  return `${(m.mv ?? 0).toFixed(2)} mV`
}
