import { z } from 'zod'
import { channel } from './define'

/**
 * The clinician loop: labelled local cases, evaluation (ROC/PR/confusion), versioned operating points with a
 * safety floor, local head fine-tuning with versioned models, annotation dataset export/import.
 * Every state change names its actor and returns an audit record the renderer appends to its audit log
 * (main keeps its own append-only, hash-chained copy too).
 */

export const zRole = z.enum(['gp', 'cardiologist', 'annotator'])
export const zActor = z.object({ user: z.string().trim().min(1).max(200), role: zRole })

/** A clinician's (or source file's) label for one record. Tier keys per scheme; codes are AHA codes. */
export const zLabelItem = z.object({
  recordId: z.string().min(1).max(200),
  tier3: z.string().min(1).optional(),
  tier4: z.string().min(1).optional(),
  codes: z.array(z.string().min(1)).max(100).optional(),
  source: z.enum(['over-read', 'annotation', 'source-label', 'imported']),
})
export const zStoredLabel = zLabelItem.extend({
  /** Frozen at first sight from a hash of the record id: test cases are never trained on. */
  split: z.enum(['train', 'test']),
  updatedAt: z.string(),
})

export const zBinaryMetrics = z.object({
  threshold: z.number(),
  tp: z.number(),
  fp: z.number(),
  tn: z.number(),
  fn: z.number(),
  sensitivity: z.number(),
  specificity: z.number(),
  ppv: z.number(),
  npv: z.number(),
  f1: z.number(),
  alertVolume: z.number(),
})

/** One binary target: tier models 'P(tier >= key)' per non-normal tier; code models one per code. */
export const zEvalTarget = z.object({
  key: z.string(),
  name: z.string(),
  positives: z.number().int(),
  negatives: z.number().int(),
  auc: z.number().nullable(),
  averagePrecision: z.number().nullable(),
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()), thresholds: z.array(z.number()) }),
  pr: z.object({ precision: z.array(z.number()), recall: z.array(z.number()), thresholds: z.array(z.number()) }),
  atThreshold: zBinaryMetrics,
})

export const zEvaluation = z.object({
  modelId: z.string(),
  modelVersion: z.string(),
  role: z.enum(['tier', 'codes']),
  classKeys: z.array(z.string()),
  thresholds: z.record(z.string(), z.number()),
  recordIds: z.array(z.string()),
  /** (N, C) calibrated probabilities, so the renderer can move a slider without a round trip. */
  probabilities: z.array(z.array(z.number())),
  /** tier models: (N) true class index; code models: (N, C) 0/1. */
  truth: z.union([z.array(z.number().int()), z.array(z.array(z.number().int()))]),
  targets: z.array(zEvalTarget),
  /** Tier models: rows true, columns decided by the thresholds. Code models: null. */
  confusion: z.array(z.array(z.number())).nullable(),
  summary: z.object({ accuracy: z.number().nullable(), macroF1: z.number(), weightedF1: z.number(), macroAuc: z.number().nullable(), microAuc: z.number().nullable() }),
  skipped: z.array(z.object({ recordId: z.string(), message: z.string() })),
})

export const zFloor = z.object({ minSensitivity: z.number().min(0).max(1), updatedAt: z.string(), updatedBy: z.string() })

export const zFloorCheck = z.object({
  /** Whether the floor applies (tier models). */
  applies: z.boolean(),
  key: z.string().nullable(),
  floor: z.number(),
  sensitivity: z.number().nullable(),
  positives: z.number().int(),
  ok: z.boolean(),
  message: z.string(),
})

export const zAuditRecord = z.object({
  id: z.string(),
  at: z.string(),
  user: z.string(),
  role: zRole,
  action: z.enum(['thresholds.apply', 'thresholds.floor', 'finetune.create', 'finetune.activate', 'finetune.rollback', 'annotations.export', 'annotations.import', 'labels.put']),
  subject: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  evidence: z.record(z.string(), z.unknown()),
  override: z.object({ reason: z.string() }).optional(),
  prevHash: z.string(),
  hash: z.string(),
})

export const zThresholdVersion = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  modelId: z.string(),
  modelVersion: z.string(),
  createdAt: z.string(),
  user: z.string(),
  role: zRole,
  values: z.record(z.string(), z.number().min(0).max(1)),
  /** The metrics shown when the change was made (local test set). */
  evidence: z.record(z.string(), z.unknown()),
  parent: z.number().int().nullable(),
  override: z.object({ reason: z.string() }).optional(),
})

const zThresholdValues = z.record(z.string(), z.number().min(0).max(1))
const zOverride = z.object({ reason: z.string().trim().min(10, 'an override needs a reason of at least 10 characters') })

export const zSegment = z.object({
  start_s: z.number().nonnegative(),
  end_s: z.number().positive(),
  /** Lead names, or ['all']. */
  leads: z.array(z.string()).min(1),
  code: z.string().optional(),
  tier: z.string().optional(),
  note: z.string().max(2000).default(''),
  ai_wrong: z.boolean().default(false),
})

export const zAnnotatedCase = z.object({
  recordId: z.string().regex(/^[0-9a-f]{64}$/),
  label: zLabelItem.omit({ recordId: true, source: true }).default({}),
  segments: z.array(zSegment).max(1000).default([]),
  aiResult: z.object({ tier: z.string().optional(), codes: z.array(z.string()).optional(), modelVersion: z.string().optional() }).optional(),
})

export const zModelVersionInfo = z.object({
  id: z.string(),
  version: z.string(),
  parentVersion: z.string().nullable(),
  shipped: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
  metrics: z.record(z.string(), z.unknown()),
})

export const zFinetuneStatus = z.object({
  jobId: z.string(),
  modelId: z.string(),
  state: z.enum(['embedding', 'training', 'writing', 'done', 'failed', 'cancelled']),
  epoch: z.number().int(),
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  message: z.string().optional(),
  candidate: z.object({ version: z.string(), audit: zAuditRecord }).optional(),
})

export const zFinetuneOptions = z.object({
  lambda: z.number().nonnegative().max(1e6).optional(),
  learningRate: z.number().positive().max(1).optional(),
  maxEpochs: z.number().int().positive().max(100_000).optional(),
  patience: z.number().int().positive().max(10_000).optional(),
  temperatureScaling: z.boolean().optional(),
  valFraction: z.number().min(0).max(0.5).optional(),
  seed: z.number().int().optional(),
})

export const clinicianChannels = {
  /** Upsert labels; `changed` counts new or different ones (re-sending the same labels changes and audits nothing). */
  'clinician:labels:put': channel(z.object({ items: z.array(zLabelItem).min(1).max(20_000), actor: zActor }), z.object({ stored: z.number().int(), changed: z.number().int(), train: z.number().int(), test: z.number().int(), audit: zAuditRecord.nullable() })),
  'clinician:labels:list': channel(z.object({}), z.object({ items: z.array(zStoredLabel) })),
  /** Evaluate a model on labelled cases: the stored split ('test' by default) or explicit items. */
  'clinician:evaluate': channel(
    z.object({
      modelId: z.string(),
      version: z.string().optional(),
      split: z.enum(['test', 'train', 'all']).default('test'),
      items: z.array(zLabelItem).max(20_000).optional(),
      thresholds: zThresholdValues.optional(),
    }),
    zEvaluation,
  ),
  'thresholds:get': channel(
    z.object({ modelId: z.string() }),
    z.object({ modelId: z.string(), modelVersion: z.string(), defaults: zThresholdValues, active: zThresholdVersion.nullable(), effective: zThresholdValues, floor: zFloor }),
  ),
  'thresholds:propose': channel(z.object({ modelId: z.string(), values: zThresholdValues }), z.object({ check: zFloorCheck, evaluation: zEvaluation })),
  'thresholds:apply': channel(
    z.object({ modelId: z.string(), values: zThresholdValues, actor: zActor, override: zOverride.optional() }),
    z.object({ version: zThresholdVersion, check: zFloorCheck, audit: zAuditRecord }),
  ),
  'thresholds:history': channel(z.object({ modelId: z.string() }), z.object({ versions: z.array(zThresholdVersion) })),
  'thresholds:setFloor': channel(z.object({ minSensitivity: z.number().min(0).max(1), actor: zActor, reason: z.string().trim().min(10) }), z.object({ floor: zFloor, audit: zAuditRecord })),
  'finetune:start': channel(z.object({ jobId: z.string().min(1).max(200), modelId: z.string(), actor: zActor, options: zFinetuneOptions.default({}) }), zFinetuneStatus),
  'finetune:cancel': channel(z.object({ jobId: z.string() }), z.object({ cancelled: z.boolean() })),
  'finetune:status': channel(z.object({ jobId: z.string() }), zFinetuneStatus),
  'finetune:versions': channel(z.object({ modelId: z.string() }), z.object({ versions: z.array(zModelVersionInfo) })),
  /** Current vs candidate on the frozen local test set, with the floor check for activation. */
  'finetune:compare': channel(z.object({ modelId: z.string(), version: z.string() }), z.object({ current: zEvaluation, candidate: zEvaluation, check: zFloorCheck })),
  'finetune:activate': channel(z.object({ modelId: z.string(), version: z.string(), actor: zActor }), z.object({ active: z.string(), check: zFloorCheck, audit: zAuditRecord })),
  'finetune:rollback': channel(z.object({ modelId: z.string(), actor: zActor }), z.object({ active: z.string(), audit: zAuditRecord })),
  'annotations:export': channel(
    z.object({ cases: z.array(zAnnotatedCase).min(1).max(10_000), actor: zActor, format: z.enum(['json', 'hl7-aecg']).default('json') }),
    z.object({ path: z.string(), records: z.number().int(), files: z.number().int(), audit: zAuditRecord }),
  ),
  'annotations:import': channel(z.object({ path: z.string().min(1), actor: zActor }), z.object({ cases: z.array(zAnnotatedCase), labelsStored: z.number().int(), audit: zAuditRecord })),
}

export type Role = z.infer<typeof zRole>
export type Actor = z.infer<typeof zActor>
export type LabelItem = z.infer<typeof zLabelItem>
export type StoredLabel = z.infer<typeof zStoredLabel>
export type Evaluation = z.infer<typeof zEvaluation>
export type EvalTarget = z.infer<typeof zEvalTarget>
export type Floor = z.infer<typeof zFloor>
export type FloorCheck = z.infer<typeof zFloorCheck>
export type AuditRecord = z.infer<typeof zAuditRecord>
export type ThresholdVersion = z.infer<typeof zThresholdVersion>
export type Segment = z.infer<typeof zSegment>
export type AnnotatedCase = z.infer<typeof zAnnotatedCase>
export type FinetuneStatus = z.infer<typeof zFinetuneStatus>
export type FinetuneOptions = z.infer<typeof zFinetuneOptions>
export type ModelVersionInfo = z.infer<typeof zModelVersionInfo>
