/**
 * Fine-tuning worker thread: runs the head training loop (pure, synchronous) off the main thread so IPC and the
 * UI stay responsive; cancellation arrives through shared memory because a busy loop cannot read messages.
 * Built as its own entry by electron-vite (out/main/finetune-worker.js); run from source under tsx otherwise.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { TrainJob, TrainWorkerMessage } from './protocol'
import { trainHead } from './train'

const job = workerData as TrainJob
const flag = new Int32Array(job.cancel)
const post = (m: TrainWorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer)

try {
  const result = trainHead(
    job.kind,
    job.initial,
    job.train,
    job.val,
    job.options,
    {
      onEpoch: (report) => {
        if (report.epoch % job.reportEvery === 0) post({ type: 'epoch', report })
      },
      shouldStop: () => Atomics.load(flag, 0) === 1,
    },
    job.frozen,
  )
  post({ type: 'done', result })
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err))
  post({ type: 'error', name: e.name, message: e.message })
}
