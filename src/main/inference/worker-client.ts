/**
 * Main-thread handle on the inference worker. Requests are queued by the worker's event loop one at a time;
 * the promise of each resolves with its reply. Also an Engine, so the registry can probe models through it.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ExplainTarget, Explanation } from '@shared/contract/analysis'
import type { EcgRecord } from '@shared/ecg'
import type { AnalyzerModels } from './analyzer'
import type { Engine, SessionInfo, TensorOut } from './engine'
import type { ExplainOptions } from './explain'
import type { LoadedModel } from './loaded-model'
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerResults } from './protocol'

export class WorkerError extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

/**
 * Where the worker script is: beside this file when running from source (tsx, vitest), or the separate
 * 'inference-worker' entry beside the bundled main (electron-vite build, out/main/).
 */
export function workerLocation(): { url: URL; fromSource: boolean } {
  const here = import.meta.url
  if (/\.ts$/.test(fileURLToPath(here))) return { url: new URL('./worker.ts', here), fromSource: true }
  return { url: new URL('./inference-worker.js', here), fromSource: false }
}

/**
 * From source, the worker is TypeScript: a small CommonJS bootstrap registers tsx's ESM hooks inside the worker
 * (Node 20 does not apply `--import` hooks from a Worker's execArgv to its main module) with the repository's
 * tsconfig (for the @shared alias), then imports the worker module.
 */
function sourceBootstrap(workerUrl: URL): string {
  const req = createRequire(import.meta.url)
  // the ESM build of tsx's API (require.resolve would pick the CommonJS one)
  const api = pathToFileURL(join(dirname(req.resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href
  const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url))
  return `import(${JSON.stringify(api)})
  .then((m) => { m.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(workerUrl.href)}) })
  .catch((e) => setImmediate(() => { throw e }))`
}

export class InferenceWorker implements Engine {
  private worker: Worker
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  /** Set when the thread died; the next request starts a fresh one (its sessions reopen on demand). */
  private crashed = false
  private stopped: Error | null = null
  /** Thread restarts after crashes, for diagnostics. */
  restarts = 0

  constructor(private readonly init: WorkerInit = {}) {
    this.worker = this.spawn()
  }

  private spawn(): Worker {
    const { url, fromSource } = workerLocation()
    if (!existsSync(fileURLToPath(url))) throw new Error(`inference worker script not found at ${fileURLToPath(url)} (build with electron-vite, or run from source)`)
    const w = fromSource ? new Worker(sourceBootstrap(url), { eval: true, workerData: this.init, execArgv: [] }) : new Worker(url, { workerData: this.init })
    w.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id)
      if (!p) return
      this.pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(new WorkerError(reply.error.name, reply.error.message))
    })
    const fail = (err: Error): void => {
      if (w !== this.worker) return
      this.crashed = true
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    w.on('error', (err) => fail(new WorkerError('WorkerCrashed', `inference worker failed: ${err.message}`)))
    w.on('exit', (code) => fail(new WorkerError('WorkerExited', `inference worker exited (code ${code})`)))
    return w
  }

  private call<K extends WorkerRequest['op']>(req: Extract<WorkerRequest, { op: K }>, transfer: ArrayBuffer[] = []): Promise<WorkerResults[K]> {
    if (this.stopped) return Promise.reject(this.stopped)
    if (this.crashed) {
      // the requests in flight failed with the crash; later ones get a new thread
      this.crashed = false
      this.restarts++
      this.worker = this.spawn()
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, req }, transfer)
    })
  }

  open(key: string, modelPath: string): Promise<SessionInfo> {
    return this.call({ op: 'open', key, path: modelPath })
  }

  async close(key: string): Promise<void> {
    await this.call({ op: 'close', key })
  }

  run(key: string, inputName: string, input: Float32Array, dims: readonly number[], outputs: readonly string[]): Promise<Record<string, TensorOut>> {
    return this.call({ op: 'run', key, inputName, input, dims: [...dims], outputs: [...outputs] })
  }

  analyze(records: EcgRecord[], models: AnalyzerModels): Promise<WorkerResults['analyze']> {
    return this.call({ op: 'analyze', records, models })
  }

  explain(record: EcgRecord, model: LoadedModel, target: ExplainTarget, options?: ExplainOptions): Promise<Explanation> {
    return this.call({ op: 'explain', record, model, target, ...(options ? { options } : {}) })
  }

  /**
   * Stop the thread. Requests in flight are awaited first (up to `graceMs`): terminating a thread while
   * onnxruntime runs a session in it aborts the whole process (a native exception escapes), so it is only
   * ever terminated idle, or after the grace period as a last resort.
   */
  async terminate(graceMs = 30_000): Promise<void> {
    this.stopped ??= new WorkerError('WorkerExited', 'inference worker was stopped')
    const inFlight = [...this.pending.values()]
    if (inFlight.length > 0) {
      const settled = Promise.allSettled(inFlight.map((p) => new Promise((res) => {
        const { resolve, reject } = p
        p.resolve = (v) => { resolve(v); res(null) }
        p.reject = (e) => { reject(e); res(null) }
      })))
      await Promise.race([settled, new Promise((res) => setTimeout(res, graceMs).unref())])
    }
    await this.worker.terminate()
  }

  /** Test hook: end an idle thread as a crash would (native fault, out of memory). */
  async simulateCrash(): Promise<void> {
    await this.worker.terminate()
  }
}
