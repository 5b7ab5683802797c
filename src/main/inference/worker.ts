/**
 * Inference worker thread: owns the onnxruntime sessions and runs preprocessing, both model stages, the quality
 * gate and Grad-CAM off the main thread, so the UI and IPC stay responsive during a batch. Built as its own
 * entry by electron-vite (out/main/inference-worker.js) and run from source under tsx in tests and the CLI.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { describeSpec, preprocess } from '@shared/dsp'
import { Analyzer } from './analyzer'
import { OrtEngine } from './engine'
import { explainRecord } from './explain'
import { FeatureCache } from './feature-cache'
import type { LoadedModel } from './loaded-model'
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol'

const init = (workerData ?? {}) as WorkerInit
const engine = new OrtEngine({ ...(init.providers ? { providers: init.providers } : {}), ...(init.threads ? { threads: init.threads } : {}) })
const featureCache = new FeatureCache()
const analyzer = new Analyzer(engine, { preprocess, describeSpec, featureCache })
/** model key -> path it was opened from (a new version under the same key reopens) */
const opened = new Map<string, string>()
/** model id -> the session key analysis uses for it */
const analysisSessions = new Map<string, string>()

async function ensureOpen(m: LoadedModel): Promise<string> {
  if (opened.get(m.key) !== m.modelPath) {
    // one session per model id for analysis: a newly activated version replaces the previous one's session
    // (only sessions opened here: keys opened through 'open' belong to their caller)
    const previous = analysisSessions.get(m.manifest.id)
    if (previous && previous !== m.key) {
      await engine.close(previous)
      opened.delete(previous)
    }
    await engine.open(m.key, m.modelPath)
    opened.set(m.key, m.modelPath)
    analysisSessions.set(m.manifest.id, m.key)
  }
  return engine.info(m.key)!.provider
}

async function handle(req: WorkerRequest): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  switch (req.op) {
    case 'open': {
      const info = await engine.open(req.key, req.path)
      opened.set(req.key, req.path)
      return { value: info, transfer: [] }
    }
    case 'close':
      await engine.close(req.key)
      opened.delete(req.key)
      return { value: null, transfer: [] }
    case 'run': {
      const out = await engine.run(req.key, req.inputName, req.input, req.dims, req.outputs)
      return { value: out, transfer: Object.values(out).map((t) => t.data.buffer as ArrayBuffer) }
    }
    case 'analyze': {
      const provider = await ensureOpen(req.models.tier)
      await ensureOpen(req.models.codes)
      const outcomes = await analyzer.analyze(req.records, req.models, provider)
      return { value: { outcomes, provider }, transfer: [] }
    }
    case 'explain': {
      await ensureOpen(req.model)
      const ex = await explainRecord(engine, preprocess, req.record, req.model, req.target, req.options, featureCache)
      return { value: ex, transfer: [ex.cam.buffer as ArrayBuffer] }
    }
  }
}

parentPort?.on('message', (msg: { id: number; req: WorkerRequest }) => {
  handle(msg.req).then(
    ({ value, transfer }) => parentPort!.postMessage({ id: msg.id, ok: true, value } satisfies WorkerReply, transfer),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err))
      parentPort!.postMessage({ id: msg.id, ok: false, error: { name: e.name, message: e.message } } satisfies WorkerReply)
    },
  )
})
