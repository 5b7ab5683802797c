import { z } from 'zod'

/**
 * The result of analysing one record: a traceable clinical suggestion. Produced by main
 * (src/main/inference), stored by the renderer (Dexie), shown in the worklist and case view.
 */
export const zTierScheme = z.enum(['tier3', 'tier4'])

export const zFlag = z.object({
  kind: z.enum([
    'quality', // signal-quality problem (flat/missing lead, clipping, noise, baseline wander, amplitude)
    'uncertain', // low top probability / high entropy
    'out-of-distribution', // input unlike the training data
    'disagreement', // codes imply a more severe tier than the triage model
    'missing-leads',
    'unmapped-code', // a positive code with no tier mapping: review, never silently normal
    'padded', // record shorter than the model window
  ]),
  /** 'block' means "needs a human read": no confident answer is shown. */
  severity: z.enum(['info', 'warn', 'block']),
  message: z.string(),
  leads: z.array(z.string()).optional(),
})

export const zTierResult = z.object({
  scheme: zTierScheme,
  /** Final tier key after the consistency rule (e.g. 'urgent'). */
  key: z.string(),
  index: z.number().int(),
  /** What the triage model alone said. */
  modelKey: z.string(),
  probabilities: z.array(z.number()),
  classKeys: z.array(z.string()),
  confidence: z.number(),
  escalated: z.boolean(),
  escalationReason: z.string().optional(),
})

export const zCodeResult = z.object({
  code: z.string(),
  name: z.string(),
  probability: z.number(),
  threshold: z.number(),
  positive: z.boolean(),
  /** Tier key of this code in the result's scheme, or 'unmapped'. */
  tier: z.string(),
  /** Index of the code in the code model's output (codes are listed by probability): the inference:explain target. */
  classIndex: z.number().int().min(0).optional(),
})

export const zProvenance = z.object({
  models: z.array(z.object({ id: z.string(), version: z.string(), sha256: z.string(), role: z.enum(['tier', 'codes']) })),
  labelMappingVersion: z.string(),
  thresholdsVersion: z.string(),
  thresholds: z.record(z.string(), z.number()),
  executionProvider: z.string(),
  windows: z.number().int(),
  aggregation: z.string(),
  preprocessing: z.string(),
})

export const zAnalysisResult = z.object({
  recordId: z.string(),
  createdAt: z.string(),
  tier: zTierResult,
  codes: z.array(zCodeResult),
  flags: z.array(zFlag),
  needsHumanRead: z.boolean(),
  heartRate: z.object({ bpm: z.number().nullable(), rrIrregularity: z.number().nullable(), beats: z.number().int() }),
  provenance: zProvenance,
  timingMs: z.number(),
})

export const zExplainTarget = z.object({ role: z.enum(['tier', 'codes']), classIndex: z.number().int().min(0) })

export const zExplanation = z.object({
  recordId: z.string(),
  target: zExplainTarget,
  label: z.string(),
  /** Grad-CAM over the record's time axis at the record's sampling rate, normalised to [0, 1]. */
  cam: z.instanceof(Float32Array),
  samplingRateHz: z.number(),
  /** Per-lead attribution in standard lead order (drop in class probability when the lead is occluded), >= 0. */
  leadAttribution: z.array(z.number()),
})

export type Flag = z.infer<typeof zFlag>
export type TierResult = z.infer<typeof zTierResult>
export type CodeResult = z.infer<typeof zCodeResult>
export type Provenance = z.infer<typeof zProvenance>
export type AnalysisResult = z.infer<typeof zAnalysisResult>
export type ExplainTarget = z.infer<typeof zExplainTarget>
export type Explanation = z.infer<typeof zExplanation>
