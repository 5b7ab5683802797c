/**
 * Runs one head training job in a worker thread: progress callbacks, cancel, and a clean error when the worker
 * dies. The worker script lies beside this file in source (tsx, vitest) or as 'finetune-worker.js' beside the
 * bundled main (electron-vite build).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { TrainJob, TrainWorkerMessage } from './protocol'
import type { EpochReport, TrainResult } from './train'

/** What a caller asks for: the worker job without its cancel buffer (the client owns it), reporting optional. */
export type TrainRequest = Omit<TrainJob, 'cancel' | 'reportEvery'> & { reportEvery?: number }

export interface TrainHandle {
  result: Promise<TrainResult>
  cancel(): void
}

/** How a job is run; the service depends on this so tests may run the loop in-thread. */
export type TrainingRunner = (req: TrainRequest, onEpoch: (r: EpochReport) => void) => TrainHandle

export function finetuneWorkerLocation(): { url: URL; fromSource: boolean } {
  const here = import.meta.url
  if (/\.ts$/.test(fileURLToPath(here))) return { url: new URL('./worker.ts', here), fromSource: true }
  return { url: new URL('./finetune-worker.js', here), fromSource: false }
}

/**
 * From source, the worker must load TypeScript. Node 20 does not apply `--import tsx` hooks to a worker's entry
 * module, so the worker starts as a tiny eval'd script that loads the entry through tsx's tsImport API.
 */
function sourceWorker(entry: URL, workerData: unknown): Worker {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`
  return new Worker(code, { eval: true, workerData })
}

export const workerTrainingRunner: TrainingRunner = (req, onEpoch) => {
  const { url, fromSource } = finetuneWorkerLocation()
  const cancel = new SharedArrayBuffer(4)
  const flag = new Int32Array(cancel)
  const job: TrainJob = {
    kind: req.kind,
    initial: req.initial,
    train: req.train,
    val: req.val,
    options: req.options,
    ...(req.frozen ? { frozen: req.frozen } : {}),
    cancel,
    reportEvery: req.reportEvery ?? 1,
  }
  const result = new Promise<TrainResult>((resolve, reject) => {
    if (!existsSync(fileURLToPath(url))) {
      reject(new Error(`fine-tuning worker script not found at ${fileURLToPath(url)} (build with electron-vite, or run from source)`))
      return
    }
    const worker = fromSource ? sourceWorker(url, job) : new Worker(url, { workerData: job })
    let settled = false
    worker.on('message', (m: TrainWorkerMessage) => {
      if (m.type === 'epoch') onEpoch(m.report)
      else if (m.type === 'done') {
        settled = true
        resolve(m.result)
        void worker.terminate()
      } else {
        settled = true
        const e = new Error(m.message)
        e.name = m.name
        reject(e)
        void worker.terminate()
      }
    })
    worker.on('error', (err) => {
      if (!settled) reject(new Error(`fine-tuning worker failed: ${err.message}`))
      settled = true
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`fine-tuning worker exited (code ${code}) before finishing`))
      settled = true
    })
  })
  return { result, cancel: () => Atomics.store(flag, 0, 1) }
}
