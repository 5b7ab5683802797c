/**
 * Evaluates a model version on labelled local cases: runs the model (through OutputsPort, cached per model
 * file hash and record), turns labels into truth for the model's label scheme, and builds the Evaluation.
 */
import type { Evaluation, LabelItem } from '@shared/contract/clinician'
import { buildEvaluation } from './evaluation'
import { logitsFromEmbeddings, recordProbabilities } from './probabilities'
import type { Aggregation, ModelRef, OutputsOptions, OutputsPort, WindowOutputs } from './ports'

export interface Truth {
  recordIds: string[]
  /** tier: (N) class index; codes: (N, C) multi-hot */
  truth: Int32Array | Uint8Array
  skipped: Array<{ recordId: string; message: string }>
  /** Codes in the labels that the model does not predict (code models). */
  unknownCodes: string[]
}

/** Labels -> truth in the model's classes. Cases without a label for the model's scheme are skipped, with why. */
export function truthFor(model: ModelRef, items: readonly LabelItem[]): Truth {
  const m = model.manifest
  const keys = m.classes.map((c) => c.key)
  const recordIds: string[] = []
  const skipped: Truth['skipped'] = []
  const unknown = new Set<string>()
  if (m.role === 'tier') {
    const scheme = m.labelScheme === 'tier4' ? 'tier4' : 'tier3'
    const idx: number[] = []
    for (const it of items) {
      const key = it[scheme]
      const k = key === undefined ? -1 : keys.indexOf(key)
      if (key === undefined) skipped.push({ recordId: it.recordId, message: `no ${scheme} label` })
      else if (k < 0) skipped.push({ recordId: it.recordId, message: `${scheme} label '${key}' is not a class of ${m.id} (${keys.join(', ')})` })
      else {
        recordIds.push(it.recordId)
        idx.push(k)
      }
    }
    return { recordIds, truth: Int32Array.from(idx), skipped, unknownCodes: [] }
  }
  const rows: number[] = []
  for (const it of items) {
    if (!it.codes) {
      skipped.push({ recordId: it.recordId, message: 'no code labels' })
      continue
    }
    for (const c of it.codes) if (!keys.includes(c)) unknown.add(c)
    recordIds.push(it.recordId)
    for (const k of keys) rows.push(it.codes.includes(k) ? 1 : 0)
  }
  return { recordIds, truth: Uint8Array.from(rows), skipped, unknownCodes: [...unknown].sort() }
}

export interface HeadOverride {
  /** (C, D) */
  W: Float32Array
  /** (C) */
  b: Float32Array
  temperature: number
  /** Shown as the evaluation's model version (e.g. '1.0.0-ft.1 (candidate)'). */
  label: string
}

export class Evaluator {
  private readonly cache = new Map<string, WindowOutputs>()

  constructor(
    private readonly outputsPort: OutputsPort,
    private readonly aggregation: Aggregation,
  ) {}

  /** Raw outputs for records, cached by model file hash; failures are returned, never cached. */
  async outputs(model: ModelRef, recordIds: readonly string[], options?: OutputsOptions): Promise<{ ok: WindowOutputs[]; failed: Array<{ recordId: string; message: string }> }> {
    const key = (id: string) => `${model.manifest.sha256}:${id}`
    const missing = recordIds.filter((id) => !this.cache.has(key(id)))
    const failed: Array<{ recordId: string; message: string }> = []
    if (missing.length) {
      for (const r of await this.outputsPort.outputs(model, missing, options)) {
        if (r.ok) this.cache.set(key(r.recordId), r)
        else failed.push({ recordId: r.recordId, message: r.message })
      }
    }
    const ok = recordIds.map((id) => this.cache.get(key(id))).filter((o): o is WindowOutputs => o !== undefined)
    return { ok, failed }
  }

  /**
   * `head` scores a candidate head on this model's embeddings (same backbone), without writing or loading it:
   * used for a fine-tuning run's before/after metrics. The written ONNX is checked against it separately.
   */
  async evaluate(model: ModelRef, items: readonly LabelItem[], thresholds: Record<string, number>, options?: OutputsOptions, head?: HeadOverride): Promise<Evaluation> {
    const m = model.manifest
    const C = m.classes.length
    const D = m.head.inFeatures
    const logitsOf = (o: WindowOutputs): Float32Array => (head ? logitsFromEmbeddings(o.embedding, head.W, head.b, C, D) : o.logits)
    const temperature = head ? head.temperature : (m.temperature ?? 1)
    const t = truthFor(model, items)
    const { ok, failed } = await this.outputs(model, t.recordIds, options)
    const byId = new Map(ok.map((o) => [o.recordId, o]))
    const keep: number[] = []
    t.recordIds.forEach((id, i) => {
      if (byId.has(id)) keep.push(i)
    })
    const probs = new Float64Array(keep.length * C)
    keep.forEach((i, j) => probs.set(recordProbabilities(logitsOf(byId.get(t.recordIds[i]!)!), C, m.role, temperature, this.aggregation), j * C))
    const truth = m.role === 'tier' ? Int32Array.from(keep, (i) => t.truth[i]!) : Uint8Array.from(keep.flatMap((i) => Array.from(t.truth.subarray(i * C, (i + 1) * C))))
    return buildEvaluation({
      modelId: m.id,
      modelVersion: head ? head.label : m.version,
      role: m.role,
      classKeys: m.classes.map((c) => c.key),
      classNames: m.classes.map((c) => c.name),
      thresholds,
      recordIds: keep.map((i) => t.recordIds[i]!),
      probs,
      truth,
      skipped: [...t.skipped, ...failed.map((f) => ({ recordId: f.recordId, message: `could not run the model: ${f.message}` }))],
    })
  }
}
