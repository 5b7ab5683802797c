/**
 * Records -> model input windows (via the shared preprocessing, exactly as in training) and batched runs over
 * the windows of many records, split back per record.
 */
import type { preprocess, PreprocessResult } from '@shared/dsp'
import type { EcgRecord } from '@shared/ecg'
import type { ModelManifest } from '@shared/manifest'
import type { Engine } from './engine'
import type { LoadedModel } from './loaded-model'

export type Preprocess = typeof preprocess

export interface PreparedRecord extends PreprocessResult {
  windowSamples: number
}

export class ModelInputError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'ModelInputError'
  }
}

export function prepareRecord(record: EcgRecord, m: ModelManifest, preprocess: Preprocess): PreparedRecord {
  const spec = m.input.preprocessing
  // the model's lead order is the standard order (manifest leadOrder); the preprocessing emits that order
  const p = preprocess(record.signals, record.leads, record.samplingRateHz, spec, { source: record.name })
  const W = spec.windowSamples
  if (p.windows.length !== p.nWindows * 12 * W) throw new ModelInputError(`${record.name}: preprocessing produced ${p.windows.length} values for (${p.nWindows}, 12, ${W})`)
  return { ...p, windowSamples: W }
}

/**
 * Run a model on all windows of all records in batches of at most `maxBatch` windows.
 * records[i].windows (n_i, 12, W) -> per record { output: (n_i, ...) } for each requested output.
 */
export async function runWindows(
  engine: Engine,
  model: LoadedModel,
  records: readonly { windows: Float32Array; nWindows: number }[],
  outputs: ReadonlyArray<'logits' | 'features' | 'embedding'>,
  maxBatch = 64,
): Promise<Array<Record<string, Float32Array>>> {
  const m = model.manifest
  const W = m.input.preprocessing.windowSamples
  const per = 12 * W
  const names = outputs.map((o) => m.outputs[o].name)
  const result = records.map(() => ({}) as Record<string, Float32Array>)
  const sizes: Record<string, number> = {}
  // flat list of (record, window) pairs, cut into batches
  const pairs: Array<[number, number]> = []
  records.forEach((r, i) => {
    for (let w = 0; w < r.nWindows; w++) pairs.push([i, w])
  })
  const collected = records.map(() => ({}) as Record<string, Float32Array[]>)
  for (let start = 0; start < pairs.length; start += maxBatch) {
    const batch = pairs.slice(start, start + maxBatch)
    const input = new Float32Array(batch.length * per) // (B, 12, W)
    batch.forEach(([i, w], b) => input.set(records[i]!.windows.subarray(w * per, (w + 1) * per), b * per))
    const out = await engine.run(model.key, m.input.name, input, [batch.length, 12, W], names)
    outputs.forEach((o, k) => {
      const t = out[names[k]!]!
      const each = t.data.length / batch.length
      sizes[o] = each
      batch.forEach(([i], b) => {
        ;(collected[i]![o] ??= []).push(t.data.slice(b * each, (b + 1) * each))
      })
    })
  }
  collected.forEach((c, i) => {
    for (const o of outputs) {
      const parts = c[o] ?? []
      const joined = new Float32Array(parts.length * (sizes[o] ?? 0))
      parts.forEach((p, w) => joined.set(p, w * p.length))
      result[i]![o] = joined
    }
  })
  return result
}
