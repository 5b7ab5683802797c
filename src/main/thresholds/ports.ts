/**
 * What the clinician loop needs from the rest of main, as interfaces: compose.ts adapts the model registry and
 * the inference engine to these, and tests supply small real implementations.
 */
import type { ModelManifest } from '@shared/manifest'

export interface ModelRef {
  id: string
  version: string
  manifest: ModelManifest
  /** Absolute path of the ONNX file. */
  onnxPath: string
  /** Directory holding model.onnx + manifest.json. */
  dir: string
  shipped: boolean
  active: boolean
}

export interface ModelPort {
  /** The active version of a model id; throws a clear error for an unknown id. */
  active(id: string): Promise<ModelRef>
  get(id: string, version: string): Promise<ModelRef>
  versions(id: string): Promise<ModelRef[]>
  /** Make `version` the active one (persisted by the registry). */
  activate(id: string, version: string): Promise<void>
  /** Re-scan the user models dir after a new version was written there. */
  refresh(): Promise<void>
  /** Where new (fine-tuned) versions are written: <userModelsDir>/<id>/<version>/. */
  readonly userModelsDir: string
}

/** Per-window outputs of one record through one model version. */
export interface WindowOutputs {
  recordId: string
  windows: number
  /** (W, C) raw logits per window */
  logits: Float32Array
  /** (W, D) pooled embedding per window */
  embedding: Float32Array
}

export type OutputsResult = ({ ok: true } & WindowOutputs) | { ok: false; recordId: string; message: string }

export interface OutputsOptions {
  signal?: AbortSignal
  onProgress?(done: number, total: number): void
}

/** Runs a model version (preprocessing + windowing exactly as the inference engine does) and returns raw outputs. */
export interface OutputsPort {
  outputs(model: ModelRef, recordIds: readonly string[], options?: OutputsOptions): Promise<OutputsResult[]>
}

/**
 * How per-window probabilities become one record's probabilities; must match the inference engine.
 * 'engine' is src/main/inference/aggregate.ts: tier models mean over windows, code models max over windows.
 */
export type Aggregation = 'engine' | 'mean-probability' | 'max-probability' | 'mean-logit'
