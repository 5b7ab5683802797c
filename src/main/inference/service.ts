/**
 * Inference service (main thread): batches records to the inference worker, reports progress on the event bus,
 * honours cancellation between batches, and builds the models in force (active registry versions with the
 * operating points from the clinician loop). All heavy work happens in the worker.
 */
import type { ExplainTarget, Explanation } from '@shared/contract/analysis'
import type { EcgRecord } from '@shared/ecg'
import type { EventBus } from '../app/events'
import type { ModelEntry, ModelRegistry, ModelRole } from '../models/registry'
import type { AnalyzerModels, AnalyzeOutcome } from './analyzer'
import { loadModel, type LoadedModel, type ThresholdSource } from './loaded-model'
import type { InferenceWorker } from './worker-client'

export interface RecordSource {
  get(id: string): Promise<EcgRecord>
}

export interface InferenceServiceOptions {
  registry: ModelRegistry
  worker: Pick<InferenceWorker, 'analyze' | 'explain' | 'open' | 'close'>
  events?: EventBus
  records?: RecordSource
  thresholds?: ThresholdSource
  /** Records per worker call: larger batches run faster, smaller ones report progress and cancel sooner. */
  batchSize?: number
}

export class NoActiveModelError extends Error {
  constructor(role: ModelRole, id: string, registry: ModelRegistry) {
    const known = registry.all().filter((e) => e.id === id)
    const why = known.length === 0 ? 'no version is installed' : known.map((e) => `${e.version}: ${e.message ?? e.status}`).join('; ')
    super(`no usable ${role} model '${id}' (${why})`)
    this.name = 'NoActiveModelError'
  }
}

export type RecordOutcome = { ok: true; recordId: string; result: NonNullable<Extract<AnalyzeOutcome, { ok: true }>['result']> } | { ok: false; recordId: string; message: string }

export class InferenceService {
  private readonly cancelled = new Set<string>()
  private readonly running = new Set<string>()
  private readonly cache = new Map<string, Promise<LoadedModel>>()
  private provider = 'not yet loaded'

  constructor(private readonly o: InferenceServiceOptions) {}

  get executionProvider(): string {
    return this.provider
  }

  /** The provider the worker opened a model with (known after the registry's probe, before any analysis). */
  noteProvider(provider: string): void {
    this.provider = provider
  }

  /** The model used for a role (tierId picks triage-tier3 / triage-tier4 explicitly). */
  async model(role: ModelRole, id?: string): Promise<LoadedModel> {
    const entry = this.o.registry.active(role, id)
    if (!entry?.manifest || !entry.modelPath) throw new NoActiveModelError(role, id ?? this.o.registry.activeId(role), this.o.registry)
    const local = this.o.thresholds?.(entry.id, entry.version)
    const cacheKey = `${entry.id}@${entry.version}#${local?.version ?? 'manifest'}`
    let p = this.cache.get(cacheKey)
    if (!p) {
      p = loadModel(entry as ModelEntry & { modelPath: string; manifest: NonNullable<ModelEntry['manifest']> }, this.o.thresholds)
      this.cache.set(cacheKey, p)
      p.catch(() => this.cache.delete(cacheKey))
    }
    return p
  }

  async models(tierId?: string): Promise<AnalyzerModels> {
    return { tier: await this.model('tier', tierId), codes: await this.model('codes') }
  }

  /** Analyse records already in memory (CLI, evaluation, tests). */
  async analyzeRecords(jobId: string, records: readonly EcgRecord[], opts: { tierId?: string } = {}): Promise<{ results: RecordOutcome[]; cancelled: boolean }> {
    return this.run(jobId, records.map((r) => r.id), async (i) => records[i]!, opts)
  }

  /** Analyse stored records by id ('inference:analyze'). */
  async analyze(jobId: string, recordIds: readonly string[], opts: { tierId?: string } = {}): Promise<{ results: RecordOutcome[]; cancelled: boolean }> {
    const source = this.o.records
    if (!source) throw new Error('inference service has no record source')
    return this.run(jobId, recordIds, (i) => source.get(recordIds[i]!), opts)
  }

  private async run(jobId: string, ids: readonly string[], load: (i: number) => Promise<EcgRecord>, opts: { tierId?: string }): Promise<{ results: RecordOutcome[]; cancelled: boolean }> {
    if (this.running.has(jobId)) throw new Error(`job ${jobId} is already running`)
    this.running.add(jobId)
    this.cancelled.delete(jobId)
    const results: RecordOutcome[] = []
    const total = ids.length
    const batch = Math.max(1, this.o.batchSize ?? 8)
    try {
      const models = await this.models(opts.tierId)
      this.o.events?.emit('inference:progress', { jobId, done: 0, total })
      for (let start = 0; start < total; start += batch) {
        if (this.cancelled.has(jobId)) return { results, cancelled: true }
        const idx = Array.from({ length: Math.min(batch, total - start) }, (_, k) => start + k)
        const records: EcgRecord[] = []
        const slots: Array<RecordOutcome | number> = []
        for (const i of idx) {
          try {
            records.push(await load(i))
            slots.push(records.length - 1)
          } catch (err) {
            slots.push({ ok: false, recordId: ids[i]!, message: err instanceof Error ? err.message : String(err) })
          }
        }
        let outcomes: AnalyzeOutcome[] = []
        if (records.length > 0) {
          try {
            const r = await this.o.worker.analyze(records, models)
            outcomes = r.outcomes
            this.provider = r.provider
          } catch (err) {
            // the worker failed on this batch (it restarts on the next call): these records fail, the job goes on
            const message = `analysis failed: ${err instanceof Error ? err.message : String(err)}`
            outcomes = records.map(() => ({ ok: false, message }))
          }
        }
        slots.forEach((s, k) => {
          if (typeof s !== 'number') return void results.push(s)
          const o = outcomes[s]!
          results.push(o.ok ? { ok: true, recordId: records[s]!.id, result: o.result } : { ok: false, recordId: ids[idx[k]!]!, message: o.message })
        })
        this.o.events?.emit('inference:progress', { jobId, done: Math.min(total, start + idx.length), total, recordId: ids[idx[idx.length - 1]!]! })
      }
      return { results, cancelled: false }
    } finally {
      this.running.delete(jobId)
      this.cancelled.delete(jobId)
    }
  }

  /** Ask a running job to stop after its current batch; false when no such job runs. */
  cancel(jobId: string): boolean {
    if (!this.running.has(jobId)) return false
    this.cancelled.add(jobId)
    return true
  }

  async explainRecord(record: EcgRecord, target: ExplainTarget, opts: { tierId?: string; leadAttribution?: boolean } = {}): Promise<Explanation> {
    const model = target.role === 'tier' ? await this.model('tier', opts.tierId) : await this.model('codes')
    return this.o.worker.explain(record, model, target, opts.leadAttribution === false ? { leadAttribution: false } : undefined)
  }

  async explain(recordId: string, target: ExplainTarget): Promise<Explanation> {
    if (!this.o.records) throw new Error('inference service has no record source')
    return this.explainRecord(await this.o.records.get(recordId), target)
  }

  /** Forget loaded models (after activation or a threshold change the next call reloads). */
  invalidate(): void {
    this.cache.clear()
  }
}
