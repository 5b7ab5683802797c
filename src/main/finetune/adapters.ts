/**
 * Adapters from the rest of main to the clinician loop's ports, typed structurally (the model registry, the
 * inference engine / worker and the signal store satisfy these shapes) so this folder stays decoupled.
 */
import type { EcgRecord } from '@shared/ecg'
import type { LeadName } from '@shared/leads'
import type { ModelManifest } from '@shared/manifest'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { ClinicianError } from '../thresholds/errors'
import type { ModelPort, ModelRef, OutputsOptions, OutputsPort, OutputsResult } from '../thresholds/ports'

/** src/main/models/registry.ts ModelRegistry, as far as we use it. */
export interface RegistryLike {
  all(): ReadonlyArray<{ id: string; version: string; dir: string; shipped: boolean; status: 'ok' | 'refused'; manifest?: ModelManifest; modelPath?: string; message?: string }>
  activeVersion(id: string): { version: string } | undefined
  activate(id: string, version: string): Promise<void>
  scan(): Promise<unknown>
}

export class RegistryModelPort implements ModelPort {
  constructor(
    private readonly registry: RegistryLike,
    readonly userModelsDir: string,
    /** Called after an activation so cached sessions/thresholds reload (inference service invalidate). */
    private readonly onActivated: () => void = () => {},
  ) {}

  private toRef(e: ReturnType<RegistryLike['all']>[number]): ModelRef {
    if (e.status !== 'ok' || !e.manifest || !e.modelPath) throw new ClinicianError('not-found', `${e.id}@${e.version} is not usable: ${e.message ?? e.status}`)
    return { id: e.id, version: e.version, manifest: e.manifest, onnxPath: e.modelPath, dir: e.dir, shipped: e.shipped, active: this.registry.activeVersion(e.id)?.version === e.version }
  }

  async active(id: string): Promise<ModelRef> {
    const v = this.registry.activeVersion(id)
    if (!v) throw new ClinicianError('not-found', `no usable version of model '${id}' is installed`)
    return this.get(id, v.version)
  }

  async get(id: string, version: string): Promise<ModelRef> {
    const e = this.registry.all().find((x) => x.id === id && x.version === version)
    if (!e) throw new ClinicianError('not-found', `no model ${id}@${version}`)
    return this.toRef(e)
  }

  async versions(id: string): Promise<ModelRef[]> {
    return this.registry.all().filter((e) => e.id === id && e.status === 'ok').map((e) => this.toRef(e))
  }

  async activate(id: string, version: string): Promise<void> {
    await this.registry.activate(id, version)
    this.onActivated()
  }

  async refresh(): Promise<void> {
    await this.registry.scan()
  }
}

/** src/main/inference/engine.ts Engine (OrtEngine in-thread, InferenceWorker off-thread). */
export interface EngineLike {
  open(key: string, modelPath: string): Promise<unknown>
  run(key: string, inputName: string, input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, { data: Float32Array; dims: number[] }>>
  close(key: string): Promise<void>
}

/** src/shared/dsp preprocess: record -> (nWindows, 12, W) windows, exactly as in training. */
export type PreprocessFn = (signals: readonly Float32Array[], leads: readonly LeadName[], rateHz: number, spec: PreprocessSpec) => { windows: Float32Array; nWindows: number }

export interface RecordSourceLike {
  get(id: string): Promise<EcgRecord>
}

/**
 * Runs any model version (shipped, active or candidate) on stored records: preprocessing per its manifest,
 * all windows batched, logits and embedding returned per record. A record that cannot be loaded or
 * preprocessed is reported, the others still run.
 */
export class EngineOutputs implements OutputsPort {
  private readonly open = new Map<string, string>()

  constructor(
    private readonly engine: EngineLike,
    private readonly records: RecordSourceLike,
    private readonly preprocess: PreprocessFn,
    private readonly batchWindows = 32,
    private readonly maxOpen = 3,
  ) {}

  private async session(model: ModelRef): Promise<string> {
    const key = `clinician:${model.id}@${model.version}:${model.manifest.sha256.slice(0, 12)}`
    if (this.open.get(key) === model.onnxPath) {
      this.open.delete(key)
      this.open.set(key, model.onnxPath) // most recently used last
      return key
    }
    while (this.open.size >= this.maxOpen) {
      const oldest = this.open.keys().next().value as string
      this.open.delete(oldest)
      await this.engine.close(oldest)
    }
    await this.engine.open(key, model.onnxPath)
    this.open.set(key, model.onnxPath)
    return key
  }

  async outputs(model: ModelRef, recordIds: readonly string[], options: OutputsOptions = {}): Promise<OutputsResult[]> {
    const m = model.manifest
    const key = await this.session(model)
    const W = m.input.preprocessing.windowSamples
    const per = 12 * W
    const C = m.classes.length
    const D = m.head.inFeatures
    const results: OutputsResult[] = []
    let done = 0
    // one record at a time keeps memory flat; its windows run in batches
    for (const id of recordIds) {
      if (options.signal?.aborted) throw new ClinicianError('busy', 'cancelled')
      try {
        const r = await this.records.get(id)
        const p = this.preprocess(r.signals, r.leads, r.samplingRateHz, m.input.preprocessing)
        if (p.windows.length !== p.nWindows * per) throw new Error(`preprocessing produced ${p.windows.length} values for (${p.nWindows}, 12, ${W})`)
        const logits = new Float32Array(p.nWindows * C)
        const embedding = new Float32Array(p.nWindows * D)
        for (let s = 0; s < p.nWindows; s += this.batchWindows) {
          const b = Math.min(this.batchWindows, p.nWindows - s)
          const out = await this.engine.run(key, m.input.name, p.windows.slice(s * per, (s + b) * per), [b, 12, W], [m.outputs.logits.name, m.outputs.embedding.name])
          const lo = out[m.outputs.logits.name]
          const em = out[m.outputs.embedding.name]
          if (!lo || !em || lo.data.length !== b * C || em.data.length !== b * D) throw new Error(`model outputs have unexpected sizes (logits ${lo?.data.length}, embedding ${em?.data.length} for ${b} windows)`)
          logits.set(lo.data, s * C)
          embedding.set(em.data, s * D)
        }
        results.push({ ok: true, recordId: id, windows: p.nWindows, logits, embedding })
      } catch (err) {
        results.push({ ok: false, recordId: id, message: err instanceof Error ? err.message : String(err) })
      }
      options.onProgress?.(++done, recordIds.length)
    }
    return results
  }
}
