/** Test helpers: a valid manifest, a one-model registry port, and an outputs port backed by a logits table. */
import { zManifest, type ModelManifest } from '@shared/manifest'
import type { ModelPort, ModelRef, OutputsPort, OutputsResult } from '../../../src/main/thresholds/ports'

export function tierManifest(over: Partial<ModelManifest> = {}): ModelManifest {
  return zManifest.parse({
    schemaVersion: 1,
    id: 'triage-tier3',
    version: '1.0.0',
    parentVersion: null,
    createdAt: '2026-01-01T00:00:00Z',
    role: 'tier',
    task: 'single-label',
    labelScheme: 'tier3',
    labelMappingVersion: '1.0.0',
    classes: [
      { key: 'normal', name: 'Normal' },
      { key: 'non-urgent', name: 'Non-urgent' },
      { key: 'urgent', name: 'Urgent' },
    ],
    architecture: { name: 'tiny', kernelSize: 7, params: 100 },
    input: {
      name: 'ecg',
      shape: ['batch', 12, 500],
      leadOrder: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
      units: 'mV',
      preprocessing: { version: 1, targetRateHz: 50, windowSamples: 500, bandpass: null, notch: null, standardise: { kind: 'none' }, windowing: { policy: 'windows', maxWindows: 1 } },
    },
    outputs: { logits: { name: 'logits', shape: ['batch', 3] }, features: { name: 'features', shape: ['batch', 16, 125] }, embedding: { name: 'embedding', shape: ['batch', 16] } },
    head: { weightInitializer: 'head.weight', biasInitializer: 'head.bias', inFeatures: 16 },
    thresholds: { 'non-urgent': 0.5, urgent: 0.5 },
    training: { datasets: ['test'], records: { train: [], validation: [], test: [] }, notes: '' },
    metrics: {},
    intendedUse: 'tests',
    file: 'model.onnx',
    sha256: 'a'.repeat(64),
    ...over,
  })
}

export class OneModelPort implements ModelPort {
  readonly userModelsDir = '/nonexistent'
  constructor(readonly ref: ModelRef) {}
  async active(id: string): Promise<ModelRef> {
    if (id !== this.ref.id) throw new Error(`unknown model '${id}'`)
    return this.ref
  }
  async get(id: string, version: string): Promise<ModelRef> {
    if (version !== this.ref.version) throw new Error(`unknown version ${id}@${version}`)
    return this.active(id)
  }
  async versions(): Promise<ModelRef[]> {
    return [this.ref]
  }
  async activate(): Promise<void> {}
  async refresh(): Promise<void> {}
}

export function refOf(manifest: ModelManifest): ModelRef {
  return { id: manifest.id, version: manifest.version, manifest, onnxPath: '/nonexistent/model.onnx', dir: '/nonexistent', shipped: true, active: true }
}

/** Per-record class probabilities (one window) given as log-probabilities, so softmax returns them exactly. */
export class TableOutputs implements OutputsPort {
  calls = 0
  constructor(private readonly probs: Map<string, number[]>) {}
  async outputs(_model: ModelRef, ids: readonly string[]): Promise<OutputsResult[]> {
    this.calls++
    return ids.map((id) => {
      const p = this.probs.get(id)
      if (!p) return { ok: false as const, recordId: id, message: 'record not in the signal store' }
      return { ok: true as const, recordId: id, windows: 1, logits: Float32Array.from(p, Math.log), embedding: new Float32Array(16) }
    })
  }
}

/** Tier-3 probabilities with P(urgent) = pu and the rest split between the other two tiers. */
export const withUrgent = (pu: number): number[] => [(1 - pu) / 2, (1 - pu) / 2, pu]
