import { z } from 'zod'
import { channel } from './define'
import { zAnalysisResult, zExplainTarget, zExplanation } from './analysis'

export const zModelInfo = z.object({
  id: z.string(),
  version: z.string(),
  role: z.enum(['tier', 'codes']),
  labelScheme: z.string(),
  active: z.boolean(),
  status: z.enum(['ok', 'refused']),
  message: z.string().optional(),
  shipped: z.boolean(),
  parentVersion: z.string().nullable(),
})

export const inferenceChannels = {
  'app:info': channel(
    z.object({}),
    z.object({
      appVersion: z.string(),
      executionProvider: z.string(),
      labelMappingVersion: z.string(),
      electron: z.boolean(),
    }),
  ),
  /** Analyse records in the background; progress arrives as 'inference:progress' events; cancellable by jobId. */
  'inference:analyze': channel(
    z.object({ jobId: z.string().min(1), recordIds: z.array(z.string()).min(1).max(10_000) }),
    z.object({
      results: z.array(
        z.discriminatedUnion('ok', [
          z.object({ ok: z.literal(true), recordId: z.string(), result: zAnalysisResult }),
          z.object({ ok: z.literal(false), recordId: z.string(), message: z.string() }),
        ]),
      ),
      cancelled: z.boolean(),
    }),
  ),
  'inference:cancel': channel(z.object({ jobId: z.string() }), z.object({ cancelled: z.boolean() })),
  'inference:explain': channel(z.object({ recordId: z.string(), target: zExplainTarget }), zExplanation),
  'models:list': channel(z.object({}), z.object({ models: z.array(zModelInfo) })),
  'models:activate': channel(
    z.object({ id: z.string(), version: z.string() }),
    z.object({ models: z.array(zModelInfo) }),
  ),
}

/** Events pushed from main to the renderer. */
export const eventSchemas = {
  'inference:progress': z.object({ jobId: z.string(), done: z.number().int(), total: z.number().int(), recordId: z.string().optional() }),
  'finetune:progress': z.object({ jobId: z.string(), epoch: z.number().int(), loss: z.number(), valMetric: z.number().optional(), done: z.boolean() }),
}
export type EventName = keyof typeof eventSchemas
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>
