import { z } from 'zod'

/**
 * Zod schemas for the three label files in resources/labels and the cross-file checks zod cannot express
 * (unique codes, tier keys per scheme, 4-tier -> 3-tier consistency, bridges pointing at catalogued codes).
 * The same checks run in training/ecgtriage/labels.py so both languages reject the same broken file.
 */
export const TIER3_KEYS = ['normal', 'non-urgent', 'urgent'] as const
export const TIER4_KEYS = ['normal', 'minor', 'major', 'critical'] as const
export type Tier3Key = (typeof TIER3_KEYS)[number]
export type Tier4Key = (typeof TIER4_KEYS)[number]
export type Scheme = 'tier3' | 'tier4'
export type TierKey<S extends Scheme = Scheme> = S extends 'tier3' ? Tier3Key : Tier4Key

const zCode = z.string().regex(/^\d+$/, 'an AHA code is digits only')
const zVersion = z.string().regex(/^\d+\.\d+\.\d+$/)

const zTier3 = z.object({ key: z.enum(TIER3_KEYS), name: z.string().min(1), thesisLabel: z.string(), rank: z.number().int().min(0), action: z.string().min(1) })
const zTier4 = zTier3.extend({ key: z.enum(TIER4_KEYS), tier3: z.enum(TIER3_KEYS) })

export const CATEGORIES = [
  'overall', 'sinus', 'supraventricular', 'supraventricular-tachyarrhythmia', 'ventricular', 'ventricular-tachyarrhythmia',
  'av-conduction', 'intraventricular-conduction', 'axis-voltage', 'hypertrophy', 'st-t-u', 'infarction', 'pacemaker',
  'secondary', 'modifier', 'convenience',
] as const

const zCodeEntry = z.object({
  code: zCode,
  name: z.string().min(1),
  category: z.enum(CATEGORIES),
  tier3: z.enum(TIER3_KEYS),
  tier4: z.enum(TIER4_KEYS),
  source: z.enum(['thesis-table-2', 'decision']),
  rationale: z.string().min(10),
  /** The literal reading of the flattened Table 2, where our 4-tier decision differs from it. */
  tier4Alternative: z.enum(TIER4_KEYS).optional(),
  seenVia: z.array(z.string()).optional(),
})

export const zCatalog = z.object({
  version: zVersion,
  description: z.string(),
  tierRule: z.string(),
  tiers: z.object({ tier3: z.array(zTier3).length(3), tier4: z.array(zTier4).length(4) }),
  codes: z.array(zCodeEntry).length(44),
  modifiers: z.array(z.object({ code: zCode, name: z.string().min(1), seenInMappings: z.boolean(), nameUncertain: z.boolean().optional() })),
  extraCodes: z.array(zCodeEntry),
})

const zBridgeEntry = z.object({
  aha: z.array(zCode),
  source: z.string().min(1),
  note: z.string().optional(),
  /** Required when aha is empty: why there is no AHA equivalent. */
  reason: z.string().optional(),
  /** With an empty aha: the source means one of these codes without saying which (e.g. MI, site unknown). */
  oneOf: z.array(zCode).min(2).optional(),
})

export const zScpBridge = z.object({
  version: zVersion,
  source: z.string(),
  oneOf: z.string(),
  likelihoodPolicy: z.object({ text: z.string(), defaultMinLikelihood: z.number().min(0) }),
  sinusRhythmAlone: z.object({ statement: z.string(), aha: z.array(zCode).min(1), text: z.string() }),
  statements: z.record(z.string(), zBridgeEntry.extend({ kind: z.string(), description: z.string() })),
  heartAxis: z.object({
    text: z.string(),
    values: z.record(z.string(), zBridgeEntry.extend({ readmeAha: z.array(zCode).optional() })),
  }),
})

export const zSnomedBridge = z.object({
  version: zVersion,
  source: z.string(),
  oneOf: z.string(),
  sinusRhythmAlone: z.object({ snomed: z.string(), aha: z.array(zCode).min(1), text: z.string() }),
  codes: z.record(z.string().regex(/^\d+$/), zBridgeEntry.extend({ abbreviation: z.string(), name: z.string(), modifiers: z.array(zCode) })),
})

export type Catalog = z.infer<typeof zCatalog>
export type CodeEntry = z.infer<typeof zCodeEntry>
export type ScpBridge = z.infer<typeof zScpBridge>
export type SnomedBridge = z.infer<typeof zSnomedBridge>

/** Cross-file rules. Returns problems as 'place: problem' lines; empty when the files are consistent. */
export function crossCheck(cat: Catalog, scp: ScpBridge, snomed: SnomedBridge): string[] {
  const problems: string[] = []
  for (const [scheme, keys] of [['tier3', TIER3_KEYS], ['tier4', TIER4_KEYS]] as const) {
    const tiers = cat.tiers[scheme]
    const got = tiers.map((t) => t.key).join(',')
    if (got !== keys.join(',')) problems.push(`catalog.tiers.${scheme}: keys must be ${keys.join(',')} in rank order, got ${got}`)
    tiers.forEach((t, i) => { if (t.rank !== i) problems.push(`catalog.tiers.${scheme}.${t.key}: rank ${t.rank}, expected ${i}`) })
  }
  const collapse = new Map(cat.tiers.tier4.map((t) => [t.key, t.tier3]))
  const seen = new Set<string>()
  for (const [list, entries] of [['codes', cat.codes], ['extraCodes', cat.extraCodes]] as const) {
    for (const e of entries) {
      if (seen.has(e.code)) problems.push(`catalog.${list}: code ${e.code} is listed twice`)
      seen.add(e.code)
      if (collapse.get(e.tier4) !== e.tier3) problems.push(`catalog.${list}.${e.code}: tier4 '${e.tier4}' collapses to '${collapse.get(e.tier4)}', but tier3 is '${e.tier3}'`)
    }
  }
  const modifiers = new Set(cat.modifiers.map((m) => m.code))
  type Entry = { aha: string[]; reason?: string | undefined; modifiers?: string[]; oneOf?: string[] | undefined }
  const checkBridge = (place: string, e: Entry): void => {
    for (const c of [...e.aha, ...(e.oneOf ?? [])]) if (!seen.has(c)) problems.push(`${place}: AHA code ${c} is not in catalog.json`)
    if (e.oneOf && e.aha.length > 0) problems.push(`${place}: oneOf is only for entries without an AHA code`)
    for (const m of e.modifiers ?? []) if (!modifiers.has(m)) problems.push(`${place}: modifier ${m} is not in catalog.json`)
    if (e.aha.length === 0 && !e.reason) problems.push(`${place}: no AHA code and no reason`)
  }
  for (const [k, e] of Object.entries(scp.statements)) checkBridge(`scp_to_aha.json statements.${k}`, e)
  for (const [k, e] of Object.entries(scp.heartAxis.values)) checkBridge(`scp_to_aha.json heartAxis.${k}`, e)
  for (const [k, e] of Object.entries(snomed.codes)) checkBridge(`snomed_to_aha.json codes.${k}`, e)
  for (const [file, v] of [['scp_to_aha.json', scp.version], ['snomed_to_aha.json', snomed.version]]) {
    if (v !== cat.version) problems.push(`${file}: version ${v} differs from catalog.json ${cat.version}`)
  }
  return problems
}
