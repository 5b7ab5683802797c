import { z } from 'zod'
import { STANDARD_LEADS } from './leads'

/**
 * Machine-readable model manifest, written beside every model by the Python pipeline
 * (models/<id>/<version>/manifest.json) or by local fine-tuning, and checked on load by the model registry.
 */
export const zPreprocessSpec = z.object({
  version: z.literal(1),
  targetRateHz: z.number().positive(),
  windowSamples: z.number().int().positive(),
  bandpass: z.object({ lowHz: z.number().nonnegative(), highHz: z.number().positive(), order: z.number().int().positive() }).nullable(),
  notch: z.object({ freqHz: z.union([z.literal(50), z.literal(60)]), q: z.number().positive() }).nullable(),
  standardise: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('per-lead-zscore'), eps: z.number().positive() }),
    z.object({ kind: z.literal('none') }),
  ]),
  windowing: z.object({ policy: z.literal('windows'), maxWindows: z.number().int().positive() }),
})

const zTensorSpec = z.object({ name: z.string(), shape: z.array(z.union([z.number().int(), z.string()])) })

export const zManifest = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]+$/), // e.g. 'triage-tier3', 'triage-tier4', 'aha-codes'
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/),
  parentVersion: z.string().nullable(),
  createdAt: z.string(),
  role: z.enum(['tier', 'codes']),
  task: z.enum(['single-label', 'multi-label']),
  labelScheme: z.enum(['tier3', 'tier4', 'aha']),
  labelMappingVersion: z.string(),
  /** Output order of the logits. key: tier key ('normal', 'urgent', ...) or AHA code ('50'). */
  classes: z.array(z.object({ key: z.string(), name: z.string() })).min(2),
  architecture: z.object({ name: z.string(), kernelSize: z.number().int(), params: z.number().int() }).passthrough(),
  input: z.object({
    name: z.string(),
    shape: z.tuple([z.string(), z.literal(12), z.number().int()]), // ['batch', 12, windowSamples]
    leadOrder: z.array(z.enum(STANDARD_LEADS)).length(12),
    units: z.literal('mV'),
    preprocessing: zPreprocessSpec,
  }),
  outputs: z.object({
    logits: zTensorSpec, // (batch, C)
    features: zTensorSpec, // (batch, 512, T') last residual stage, for Grad-CAM
    embedding: zTensorSpec, // (batch, 512) pooled, for head fine-tuning
  }),
  head: z.object({ weightInitializer: z.string(), biasInitializer: z.string(), inFeatures: z.number().int() }),
  /**
   * Default operating points. Tier models: per non-normal tier key, a threshold on the cumulative probability
   * P(tier >= key); the most severe key whose cumulative probability reaches its threshold wins, else 'normal'.
   * Code models: per code, a threshold on its sigmoid probability.
   */
  thresholds: z.record(z.string(), z.number().min(0).max(1)),
  /** Optional temperature for calibrated probabilities (logits / T); 1 when absent. */
  temperature: z.number().positive().optional(),
  training: z.object({
    datasets: z.array(z.string()),
    records: z.object({ train: z.array(z.string()), validation: z.array(z.string()), test: z.array(z.string()) }),
    notes: z.string(),
  }).passthrough(),
  metrics: z.record(z.string(), z.unknown()),
  intendedUse: z.string(),
  file: z.string(), // ONNX file name beside the manifest
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})

export type ModelManifest = z.infer<typeof zManifest>
