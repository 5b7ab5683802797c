/**
 * Factory for the inference domain, called by the composition root (src/main/app/compose.ts) and the CLI:
 * the worker, the model registry (probing models through the worker), the service and the IPC handlers.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EventBus } from '../app/events'
import { ModelRegistry } from '../models/registry'
import { createInferenceHandlers, type InferenceHandlers } from './handlers'
import type { ThresholdSource } from './loaded-model'
import type { WorkerInit } from './protocol'
import { InferenceService, type RecordSource } from './service'
import { InferenceWorker } from './worker-client'

export interface InferenceOptions {
  /** Shipped models (read only): <appRoot>/models. */
  shippedDir: string
  /** Local fine-tuned versions: <userData>/models. */
  userDir: string
  /** Active-version settings file. */
  stateFile: string
  events?: EventBus
  records?: RecordSource
  thresholds?: ThresholdSource
  electron?: boolean
  appVersion?: string
  worker?: WorkerInit
  batchSize?: number
}

export interface Inference {
  registry: ModelRegistry
  service: InferenceService
  worker: InferenceWorker
  handlers: InferenceHandlers
  dispose(): Promise<void>
}

export function appVersionFrom(appRoot: string): string {
  try {
    return (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

export async function createInference(o: InferenceOptions): Promise<Inference> {
  const worker = new InferenceWorker(o.worker ?? {})
  let probes = 0
  let provider: string | undefined
  const registry = new ModelRegistry({
    shippedDir: o.shippedDir,
    userDir: o.userDir,
    stateFile: o.stateFile,
    // open each model in the worker that will run it, then close it again: a model that loads is usable
    probe: async (modelPath) => {
      const key = `probe-${probes++}`
      const info = await worker.open(key, modelPath)
      provider = info.provider
      await worker.close(key)
      return info
    },
  })
  await registry.scan()
  const service = new InferenceService({
    registry,
    worker,
    ...(o.events ? { events: o.events } : {}),
    ...(o.records ? { records: o.records } : {}),
    ...(o.thresholds ? { thresholds: o.thresholds } : {}),
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
  })
  if (provider) service.noteProvider(provider)
  const handlers = createInferenceHandlers({ registry, service, appVersion: o.appVersion ?? '0.0.0', electron: o.electron ?? false })
  return { registry, service, worker, handlers, dispose: () => worker.terminate() }
}
