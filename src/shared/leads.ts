/** Standard 12-lead order used everywhere in the app, the models and the training pipeline. */
export const STANDARD_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const
export type LeadName = (typeof STANDARD_LEADS)[number]

const CANONICAL: ReadonlyMap<string, LeadName> = new Map(
  STANDARD_LEADS.map((l) => [l.toUpperCase(), l] as const),
)

/**
 * Normalise a lead label as written by devices and file formats ("AVR", "avr", "aVR", "Lead II", "MLII"?)
 * to a standard name, or undefined when it is not one of the 12 standard leads.
 */
export function normaliseLeadName(raw: string): LeadName | undefined {
  const cleaned = raw.trim().replace(/^lead[\s_-]*/i, '').replace(/[\s_-]/g, '').toUpperCase()
  return CANONICAL.get(cleaned)
}
