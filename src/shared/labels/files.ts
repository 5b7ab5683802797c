import catalogJson from '../../../resources/labels/catalog.json' with { type: 'json' }
import scpJson from '../../../resources/labels/scp_to_aha.json' with { type: 'json' }
import snomedJson from '../../../resources/labels/snomed_to_aha.json' with { type: 'json' }
import type { z } from 'zod'
import { LabelError } from './errors'
import { crossCheck, zCatalog, zScpBridge, zSnomedBridge, type Catalog, type ScpBridge, type SnomedBridge } from './schema'

/**
 * Loads resources/labels/*.json (the single source of truth, also read by training/ecgtriage/labels.py) and
 * validates them when this module loads, so a broken file fails at start-up with the file and field named
 * instead of mis-triaging later.
 */
function parseFile<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data)
  if (!r.success) {
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new LabelError(`resources/labels/${file}`, `invalid label file: ${issues.join('; ')}`)
  }
  return r.data
}

/** Parses and cross-checks the three label documents; throws LabelError naming the file and field. */
export function validateLabelFiles(cat: unknown, scp: unknown, snomed: unknown): { catalog: Catalog; scp: ScpBridge; snomed: SnomedBridge } {
  const parsed = {
    catalog: parseFile('catalog.json', zCatalog, cat),
    scp: parseFile('scp_to_aha.json', zScpBridge, scp),
    snomed: parseFile('snomed_to_aha.json', zSnomedBridge, snomed),
  }
  const problems = crossCheck(parsed.catalog, parsed.scp, parsed.snomed)
  if (problems.length > 0) throw new LabelError('resources/labels', `inconsistent label files: ${problems.join('; ')}`)
  return parsed
}

const files = validateLabelFiles(catalogJson, scpJson, snomedJson)
export const catalog: Catalog = files.catalog
export const scpBridge: ScpBridge = files.scp
export const snomedBridge: SnomedBridge = files.snomed
