import type { BridgeResult } from './bridges'
import { catalog } from './files'
import type { Catalog, CodeEntry, Scheme, TierKey } from './schema'

/**
 * The label catalog API: AHA codes -> severity tiers (resources/labels/catalog.json, mirrored in
 * training/ecgtriage/labels.py). Pure functions; the files are validated when ./files loads.
 */
export { catalog, scpBridge, snomedBridge, validateLabelFiles } from './files'
export { LabelError } from './errors'
export { crossCheck } from './schema'

/** Version of the label mapping; stamped into model manifests (labelMappingVersion). */
export const LABEL_MAPPING_VERSION: string = catalog.version

export type { Scheme, TierKey, Tier3Key, Tier4Key } from './schema'
export type TierOrUnmapped<S extends Scheme = Scheme> = TierKey<S> | 'unmapped'
export interface CodeInfo extends CodeEntry {
  /** True for the 44 SPH primary codes the models are trained on; false for bridge-only ("unseen") codes. */
  inTrainingSet: boolean
}

const byCode = new Map<string, CodeInfo>([
  ...catalog.codes.map((e): [string, CodeInfo] => [e.code, { ...e, inTrainingSet: true }]),
  ...catalog.extraCodes.map((e): [string, CodeInfo] => [e.code, { ...e, inTrainingSet: false }]),
])

/** The 44 training codes in catalog order (the AHA model's class order unless a manifest says otherwise). */
export const TRAINING_CODES: readonly string[] = catalog.codes.map((e) => e.code)

/** Tier definitions of a scheme, ordered by rank (normal first). */
export function tiersOf<S extends Scheme>(scheme: S): Catalog['tiers'][S] {
  return catalog.tiers[scheme]
}

/** '50+346' -> { code: '50', modifiers: ['346'] } (SPH attaches modifiers with '+'). */
export function parseAhaLabel(label: string): { code: string; modifiers: string[] } {
  const [code = '', ...modifiers] = label.trim().split('+').map((p) => p.trim())
  return { code, modifiers }
}

export function codeInfo(code: string): CodeInfo | undefined {
  return byCode.get(parseAhaLabel(code).code)
}

export function tierOfCode<S extends Scheme>(code: string, scheme: S): TierOrUnmapped<S> {
  const info = codeInfo(code)
  return info ? (info[scheme] as TierKey<S>) : 'unmapped'
}

/**
 * Tier of a multi-label ECG: the most severe tier of its codes. Codes without a tier are returned in
 * `unmapped` (flag for review). The ECG is 'unmapped' when it has no codes, no mapped code, or only
 * normal-tier codes beside an unmapped one: an unknown finding must never read as normal.
 */
export function tierOfCodes<S extends Scheme>(codes: readonly string[], scheme: S): TierResult<S> {
  return combine(codes, [], scheme)
}

export interface TierResult<S extends Scheme = Scheme> {
  key: TierOrUnmapped<S>
  unmapped: string[]
}

/** mapped: AHA codes (those without a tier join `unmapped`); unmappedSources: source labels with no AHA code. */
function combine<S extends Scheme>(mapped: readonly string[], unmappedSources: readonly string[], scheme: S): TierResult<S> {
  const tiers = tiersOf(scheme)
  const unmapped: string[] = [...new Set(unmappedSources)]
  let worst = -1
  for (const code of mapped) {
    const key = tierOfCode(code, scheme)
    if (key === 'unmapped') {
      if (!unmapped.includes(code)) unmapped.push(code)
      continue
    }
    worst = Math.max(worst, tiers.findIndex((t) => t.key === key))
  }
  if (worst < 0 || (worst === 0 && unmapped.length > 0)) return { key: 'unmapped', unmapped }
  return { key: tiers[worst]!.key as TierKey<S>, unmapped }
}

/**
 * Tier of a bridged record (ahaFromScp / ahaFromSnomed result). Like tierOfCodes over its codes, with its
 * unmapped source codes kept unmapped, except a `oneOf` source whose candidates all share one tier (e.g. MI
 * with unknown site -> urgent): that tier is used and the source leaves `unmapped`.
 */
export function tierOfBridged<S extends Scheme>(bridged: BridgeResult, scheme: S): TierResult<S> {
  const resolved = new Map<string, string>()
  for (const o of bridged.oneOf) {
    const keys = new Set(o.aha.map((c) => tierOfCode(c, scheme)))
    if (keys.size === 1 && !keys.has('unmapped') && o.aha[0] !== undefined) resolved.set(o.source, o.aha[0])
  }
  const stillUnmapped = bridged.unmapped.filter((s) => !resolved.has(s))
  return combine([...bridged.codes, ...resolved.values()], stillUnmapped, scheme)
}

export { ahaFromScp, ahaFromSnomed, parseScpCodes, type BridgeResult, type ScpOptions } from './bridges'
