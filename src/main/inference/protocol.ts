/** Messages between the main thread (./worker-client.ts) and the inference worker (./worker.ts). */
import type { ExplainTarget, Explanation } from '@shared/contract/analysis'
import type { EcgRecord } from '@shared/ecg'
import type { AnalyzerModels, AnalyzeOutcome } from './analyzer'
import type { SessionInfo, TensorOut } from './engine'
import type { ExplainOptions } from './explain'
import type { LoadedModel } from './loaded-model'

export interface WorkerInit {
  /** Execution providers to try in order; default by platform. */
  providers?: string[]
  threads?: number
}

export type WorkerRequest =
  | { op: 'open'; key: string; path: string }
  | { op: 'close'; key: string }
  | { op: 'run'; key: string; inputName: string; input: Float32Array; dims: number[]; outputs: string[] }
  | { op: 'analyze'; records: EcgRecord[]; models: AnalyzerModels }
  | { op: 'explain'; record: EcgRecord; model: LoadedModel; target: ExplainTarget; options?: ExplainOptions }

export interface WorkerResults {
  open: SessionInfo
  close: null
  run: Record<string, TensorOut>
  analyze: { outcomes: AnalyzeOutcome[]; provider: string }
  explain: Explanation
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } }
