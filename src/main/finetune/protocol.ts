/** Messages between the fine-tuning client (./trainer.ts) and the training worker (./worker.ts). */
import type { Head, HeadData, HeadKind } from './head'
import type { EpochReport, TrainOptions, TrainResult } from './train'

export interface TrainJob {
  kind: HeadKind
  initial: Head
  train: HeadData
  val: HeadData | null
  options: TrainOptions
  frozen?: Uint8Array
  /** Int32Array(1) over a SharedArrayBuffer: set to 1 to cancel at the next epoch. */
  cancel: SharedArrayBuffer
  /** Report every n-th epoch (and the last). */
  reportEvery: number
}

export type TrainWorkerMessage = { type: 'epoch'; report: EpochReport } | { type: 'done'; result: TrainResult } | { type: 'error'; name: string; message: string }
