/**
 * Caliper math: pixel distances on the paper -> ms, bpm and mV at the current speed and gain.
 * Points are in canvas device px (the same px as Scale.pxPerMm).
 */
import type { LeadName } from '@shared/leads'
import { pxToMv, pxToSeconds, type Scale } from './scale'

export type CaliperKind = 'time' | 'amplitude'

export interface MeasureEvent {
  kind: CaliperKind
  ms?: number
  bpm?: number
  mv?: number
  lead?: LeadName
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

/** The measurement a drag from `a` to `b` makes in `kind` mode; only the axis of the kind counts. */
export function measureDrag(kind: CaliperKind, a: Point, b: Point, s: Scale, lead?: LeadName): MeasureEvent {
  const base: MeasureEvent = kind === 'time' ? { kind, ...timeMeasure(b.x - a.x, s) } : { kind, ...amplitudeMeasure(b.y - a.y, s) }
  return lead === undefined ? base : { ...base, lead }
}

/** Text shown on the caliper, e.g. "800 ms · 75 bpm" or "1.25 mV". */
export function caliperLabel(m: MeasureEvent): string {
  if (m.kind === 'time') {
    const bpm = m.bpm !== undefined && Number.isFinite(m.bpm) ? ` · ${Math.round(m.bpm)} bpm` : ''
    return `${Math.round(m.ms ?? 0)} ms${bpm}`
  }
  return `${(m.mv ?? 0).toFixed(2)} mV`
}
