/**
 * The onnxruntime layer: open models (with provider fallback), run batches, close. `session.run` in
 * onnxruntime-node executes synchronously on the calling JS thread, so in the app this class lives inside the
 * inference worker (./worker.ts); tests and benchmarks may also use it directly.
 */
import * as ort from 'onnxruntime-node'
import { defaultProviders, openWithFallback, type ProviderAttempt } from './providers'

export interface TensorOut {
  data: Float32Array
  dims: number[]
}

export interface SessionInfo {
  inputNames: string[]
  outputNames: string[]
  /** Dimensions per input name: numbers when fixed, strings for symbolic axes. */
  inputShapes: Record<string, Array<number | string>>
  provider: string
  failedProviders: ProviderAttempt[]
}

/** The operations the analysis pipeline needs from a runtime: implemented by OrtEngine and the worker client. */
export interface Engine {
  open(key: string, modelPath: string): Promise<SessionInfo>
  /** input (dims product) float32 -> requested outputs. */
  run(key: string, inputName: string, input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, TensorOut>>
  close(key: string): Promise<void>
}

export interface OrtEngineOptions {
  /** Providers to try in order (default: by platform, see ./providers). Tests inject failing ones. */
  providers?: readonly string[]
  /** Intra-op threads for each session (default: ORT's choice, one per core). */
  threads?: number
}

export class OrtEngine implements Engine {
  private readonly sessions = new Map<string, { session: ort.InferenceSession; info: SessionInfo }>()
  private readonly providers: readonly string[]

  constructor(private readonly options: OrtEngineOptions = {}) {
    this.providers = options.providers ?? defaultProviders()
  }

  async open(key: string, modelPath: string): Promise<SessionInfo> {
    await this.close(key)
    const opened = await openWithFallback(this.providers, (provider) =>
      ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(this.options.threads ? { intraOpNumThreads: this.options.threads, interOpNumThreads: 1 } : {}),
      }),
    )
    const s = opened.session
    const inputShapes: Record<string, Array<number | string>> = {}
    for (const m of s.inputMetadata) if (m.isTensor) inputShapes[m.name] = [...m.shape]
    const info: SessionInfo = { inputNames: [...s.inputNames], outputNames: [...s.outputNames], inputShapes, provider: opened.provider, failedProviders: opened.failed }
    this.sessions.set(key, { session: s, info })
    return info
  }

  info(key: string): SessionInfo | undefined {
    return this.sessions.get(key)?.info
  }

  async run(key: string, inputName: string, input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, TensorOut>> {
    const entry = this.sessions.get(key)
    if (!entry) throw new Error(`model '${key}' is not open`)
    const feeds = { [inputName]: new ort.Tensor('float32', input, dims) }
    const result = await entry.session.run(feeds, [...outputs])
    const out: Record<string, TensorOut> = {}
    for (const name of outputs) {
      const t = result[name]
      if (!t) throw new Error(`model '${key}' produced no output '${name}'`)
      out[name] = { data: t.data as Float32Array, dims: t.dims.map(Number) }
    }
    return out
  }

  async close(key: string): Promise<void> {
    const entry = this.sessions.get(key)
    if (!entry) return
    this.sessions.delete(key)
    await entry.session.release()
  }

  async dispose(): Promise<void> {
    for (const key of [...this.sessions.keys()]) await this.close(key)
  }
}
