import { LabelError } from './errors'
import type { ScpBridge, SnomedBridge } from './schema'
import { scpBridge, snomedBridge } from './files'

/**
 * Bridges from external label systems to AHA codes: PTB-XL SCP statements (+ heart_axis column) and
 * SNOMED CT (PhysioNet/CinC). Source codes with no AHA equivalent come back in `unmapped`, never dropped.
 */
export interface BridgeResult {
  /** AHA primary codes, unique, numerically sorted. */
  codes: string[]
  /** AHA modifiers implied by the source codes (e.g. ventricular bigeminy -> 341). */
  modifiers: string[]
  /** Source codes with no AHA equivalent or unknown to the bridge (flag for review). */
  unmapped: string[]
  /** Unmapped source codes that mean one of several AHA codes (also listed in `unmapped`); see tierOfBridged. */
  oneOf: { source: string; aha: string[] }[]
}

export interface ScpOptions {
  /** Drop statements whose quantified likelihood (> 0) is below this; 0 ('not quantified') always counts. */
  minLikelihood?: number
  /** 'pathological' (default): only ALAD/ARAD are axis deviation; 'readme': also LAD/RAD, as the shared README says. */
  axisPolicy?: 'pathological' | 'readme'
}

const byNumber = (a: string, b: string): number => Number(a) - Number(b)

function result(codes: Set<string>, modifiers: Set<string>, unmapped: string[], oneOf: BridgeResult['oneOf'] = []): BridgeResult {
  return { codes: [...codes].sort(byNumber), modifiers: [...modifiers].sort(byNumber), unmapped, oneOf }
}

/**
 * PTB-XL: scp_codes (statement -> likelihood, or a list of statements) and the optional heart_axis value.
 * A record whose only statement is SR (and no axis deviation) reads as AHA 1 (normal ECG).
 */
export function ahaFromScp(
  scpCodes: Readonly<Record<string, number>> | readonly string[],
  heartAxis?: string | null,
  options: ScpOptions = {},
  bridge: ScpBridge = scpBridge,
): BridgeResult {
  const min = options.minLikelihood ?? bridge.likelihoodPolicy.defaultMinLikelihood
  const entries: [string, number][] = Array.isArray(scpCodes)
    ? (scpCodes as readonly string[]).map((s) => [s.trim(), 0])
    : Object.entries(scpCodes).map(([s, l]) => [s.trim(), l])
  const counted = entries.filter(([, l]) => l === 0 || l >= min).map(([s]) => s)
  const codes = new Set<string>()
  const unmapped: string[] = []
  const oneOf: BridgeResult['oneOf'] = []
  for (const s of new Set(counted)) {
    const e = bridge.statements[s]
    if (e && e.aha.length > 0) { e.aha.forEach((c) => codes.add(c)); continue }
    unmapped.push(s)
    if (e?.oneOf) oneOf.push({ source: s, aha: [...e.oneOf] })
  }
  const axis = heartAxis?.trim()
  if (axis) {
    const e = bridge.heartAxis.values[axis]
    if (!e) unmapped.push(`heart_axis:${axis}`)
    else (options.axisPolicy === 'readme' && e.readmeAha ? e.readmeAha : e.aha).forEach((c) => codes.add(c))
  }
  // The record's only statement (before likelihood filtering) is SR and the axis adds nothing: a normal ECG.
  const alone = bridge.sinusRhythmAlone
  if (entries.length === 1 && entries[0]?.[0] === alone.statement && unmapped.length === 0 && codes.size === 1) {
    codes.clear()
    alone.aha.forEach((c) => codes.add(c))
  }
  return result(codes, new Set(), unmapped, oneOf)
}

/** CinC / SNOMED CT labels. A record whose only label is sinus rhythm reads as AHA 1 (normal ECG). */
export function ahaFromSnomed(snomedCodes: readonly string[], bridge: SnomedBridge = snomedBridge): BridgeResult {
  const distinct = [...new Set(snomedCodes.map((c) => c.trim()).filter((c) => c.length > 0))]
  const codes = new Set<string>()
  const modifiers = new Set<string>()
  const unmapped: string[] = []
  const oneOf: BridgeResult['oneOf'] = []
  if (distinct.length === 1 && distinct[0] === bridge.sinusRhythmAlone.snomed) {
    bridge.sinusRhythmAlone.aha.forEach((c) => codes.add(c))
    return result(codes, modifiers, unmapped)
  }
  for (const s of distinct) {
    const e = bridge.codes[s]
    if (!e || e.aha.length === 0) {
      unmapped.push(s)
      if (e?.oneOf) oneOf.push({ source: s, aha: [...e.oneOf] })
      continue
    }
    e.aha.forEach((c) => codes.add(c))
    e.modifiers.forEach((m) => modifiers.add(m))
  }
  return result(codes, modifiers, unmapped, oneOf)
}

/**
 * Parses PTB-XL's scp_codes cell, a Python dict literal such as "{'NORM': 100.0, 'SR': 0.0}".
 * `place` names the file/row for the error message.
 */
export function parseScpCodes(text: string, place = 'scp_codes'): Record<string, number> {
  const body = text.trim()
  if (!body.startsWith('{') || !body.endsWith('}')) throw new LabelError(place, `expected a {'CODE': likelihood} dict, got ${JSON.stringify(text.slice(0, 60))}`)
  const out: Record<string, number> = {}
  const inner = body.slice(1, -1).trim()
  if (inner === '') return out
  for (const part of inner.split(',')) {
    const m = /^\s*'([^']+)'\s*:\s*(-?\d+(?:\.\d*)?)\s*$/.exec(part)
    if (!m) throw new LabelError(place, `cannot read entry ${JSON.stringify(part.trim())} in ${JSON.stringify(text.slice(0, 60))}`)
    const likelihood = Number(m[2])
    if (likelihood < 0 || likelihood > 100) throw new LabelError(place, `likelihood ${likelihood} of ${m[1]} is outside 0..100`)
    out[m[1]!] = likelihood
  }
  return out
}
