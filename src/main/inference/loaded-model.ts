/**
 * A verified registry entry made ready to run: its engine key, manifest, head weights (for Grad-CAM) and the
 * operating points in force. Plain data, so it crosses into the inference worker by structured clone.
 */
import { readFile } from 'node:fs/promises'
import type { ModelManifest } from '@shared/manifest'
import { readInitializers } from '../models/onnx-graph'

export interface LoadedModel {
  /** Engine session key: '<id>@<version>'. */
  key: string
  manifest: ModelManifest
  modelPath: string
  /** Head weight (C, K) row-major and bias (C). */
  head: { weight: Float32Array; bias: Float32Array; classes: number; inFeatures: number }
  thresholds: Record<string, number>
  /** 'manifest' for the model's defaults, else the operating-point version applied by a clinician. */
  thresholdsVersion: string
}

/** Operating points chosen locally (clinician loop); undefined means the manifest defaults apply. */
export type ThresholdSource = (modelId: string, modelVersion: string) => { version: string; values: Record<string, number> } | undefined

export class HeadWeightsError extends Error {
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`)
    this.name = 'HeadWeightsError'
  }
}

/**
 * Read the head from the ONNX file. PyTorch exports nn.Linear either as Gemm with the weight as stored (C, K)
 * or, after constant folding, as MatMul with its transpose (K, C); both are accepted and returned as (C, K).
 */
export async function readHead(modelPath: string, m: ModelManifest): Promise<LoadedModel['head']> {
  const bytes = new Uint8Array(await readFile(modelPath))
  const inits = readInitializers(bytes, [m.head.weightInitializer, m.head.biasInitializer])
  const w = inits.get(m.head.weightInitializer)
  const b = inits.get(m.head.biasInitializer)
  if (!w?.data || !b?.data) throw new HeadWeightsError(modelPath, `head initializers ${m.head.weightInitializer}/${m.head.biasInitializer} are missing or not float32`)
  const C = m.classes.length
  const K = m.head.inFeatures
  if (b.data.length !== C) throw new HeadWeightsError(modelPath, `head bias has ${b.data.length} values for ${C} classes`)
  const [d0, d1] = w.dims
  if (w.dims.length === 2 && d0 === C && d1 === K) return { weight: w.data, bias: b.data, classes: C, inFeatures: K }
  if (w.dims.length === 2 && d0 === K && d1 === C) {
    const t = new Float32Array(C * K) // (K, C) -> (C, K)
    for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) t[c * K + k] = w.data[k * C + c]!
    return { weight: t, bias: b.data, classes: C, inFeatures: K }
  }
  throw new HeadWeightsError(modelPath, `head weight has shape (${w.dims.join(', ')}), expected (${C}, ${K})`)
}

export async function loadModel(entry: { id: string; version: string; modelPath: string; manifest: ModelManifest }, thresholds?: ThresholdSource): Promise<LoadedModel> {
  const m = entry.manifest
  const local = thresholds?.(entry.id, entry.version)
  return {
    key: `${entry.id}@${entry.version}`,
    manifest: m,
    modelPath: entry.modelPath,
    head: await readHead(entry.modelPath, m),
    thresholds: { ...m.thresholds, ...(local?.values ?? {}) },
    thresholdsVersion: local ? local.version : 'manifest',
  }
}
