/**
 * Fine-tuning test fixture: a tiny torch-exported model installed as a shipped model, synthetic 12-lead records
 * whose tier shows in their amplitude, a directory-scanning model port, an onnxruntime engine.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { zManifest, type ModelManifest } from '@shared/manifest'
import type { EcgRecord } from '@shared/ecg'
import { STANDARD_LEADS } from '@shared/leads'
import type { EngineLike, PreprocessFn, RecordSourceLike } from '../../../src/main/finetune/adapters'
import type { ModelPort, ModelRef } from '../../../src/main/thresholds/ports'
import { prng } from '../../../src/main/finetune/dataset'
import { tierManifest } from '../thresholds/helpers'
import { makeTinyModel } from './tiny-model'

export const SAMPLES = 500

const exported = new Map<number, string>()
/** One torch export per class count per test file (starting torch takes seconds). */
function tinyModel(classes: number): string {
  let path = exported.get(classes)
  if (!path) {
    path = makeTinyModel(mkdtempSync(join(tmpdir(), 'ecg-tiny-')), classes, SAMPLES)
    exported.set(classes, path)
  }
  return path
}

export function installShipped(shippedDir: string, over: Partial<ModelManifest> = {}): string {
  const dir = join(shippedDir, 'triage-tier3', '1.0.0')
  mkdirSync(dir, { recursive: true })
  copyFileSync(tinyModel(over.classes?.length ?? 3), join(dir, 'model.onnx'))
  const bytes = readFileSync(join(dir, 'model.onnx'))
  const m = tierManifest({ sha256: createHash('sha256').update(bytes).digest('hex'), ...over })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2))
  return dir
}

/** Scans <root>/<id>/<version>/manifest.json in the shipped and user dirs; active versions kept in memory. */
export class DirModelPort implements ModelPort {
  readonly activeVersions = new Map<string, string>()
  private refs: ModelRef[] = []
  constructor(
    private readonly shippedDir: string,
    readonly userModelsDir: string,
  ) {}
  async refresh(): Promise<void> {
    const refs: ModelRef[] = []
    for (const [root, shipped] of [[this.shippedDir, true], [this.userModelsDir, false]] as const) {
      if (!existsSync(root)) continue
      for (const id of readdirSync(root)) {
        for (const version of readdirSync(join(root, id))) {
          const dir = join(root, id, version)
          const manifest = zManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))
          const sha = createHash('sha256').update(readFileSync(join(dir, manifest.file))).digest('hex')
          if (sha !== manifest.sha256) throw new Error(`${dir}: sha256 mismatch`)
          refs.push({ id, version, manifest, onnxPath: join(dir, manifest.file), dir, shipped, active: false })
        }
      }
    }
    this.refs = refs
  }
  private mark(r: ModelRef): ModelRef {
    const v = this.activeVersions.get(r.id) ?? this.refs.find((x) => x.id === r.id && x.shipped)?.version
    return { ...r, active: v === r.version }
  }
  async active(id: string): Promise<ModelRef> {
    const v = this.activeVersions.get(id) ?? this.refs.find((x) => x.id === id && x.shipped)?.version
    return this.get(id, v ?? '')
  }
  async get(id: string, version: string): Promise<ModelRef> {
    const r = this.refs.find((x) => x.id === id && x.version === version)
    if (!r) throw new Error(`no model ${id}@${version}`)
    return this.mark(r)
  }
  async versions(id: string): Promise<ModelRef[]> {
    return this.refs.filter((r) => r.id === id).map((r) => this.mark(r))
  }
  async activate(id: string, version: string): Promise<void> {
    await this.get(id, version)
    this.activeVersions.set(id, version)
  }
}

export class OrtTestEngine implements EngineLike {
  private readonly sessions = new Map<string, ort.InferenceSession>()
  async open(key: string, path: string): Promise<void> {
    this.sessions.set(key, await ort.InferenceSession.create(path, { intraOpNumThreads: 1 }))
  }
  async run(key: string, inputName: string, input: Float32Array, dims: readonly number[], outputs: readonly string[]) {
    const s = this.sessions.get(key)
    if (!s) throw new Error(`not open: ${key}`)
    const r = await s.run({ [inputName]: new ort.Tensor('float32', input, dims) }, [...outputs])
    return Object.fromEntries(outputs.map((o) => [o, { data: r[o]!.data as Float32Array, dims: r[o]!.dims.map(Number) }]))
  }
  async close(key: string): Promise<void> {
    await this.sessions.get(key)?.release()
    this.sessions.delete(key)
  }
}

/** Test preprocessing: 500 Hz -> 50 Hz by taking every 10th sample, one window of SAMPLES. */
export const decimate10: PreprocessFn = (signals) => {
  const out = new Float32Array(12 * SAMPLES)
  signals.forEach((s, l) => {
    for (let t = 0; t < SAMPLES; t++) out[l * SAMPLES + t] = s[t * 10] ?? 0
  })
  return { windows: out, nWindows: 1 }
}

/** Records whose tier index sets the amplitude (0.2, 1, 3 mV) of a noisy sinusoid on every lead. */
export function syntheticRecords(n: number, seed: number): { records: Map<string, EcgRecord>; tiers: Map<string, number> } {
  const rnd = prng(seed)
  const records = new Map<string, EcgRecord>()
  const tiers = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const tier = i % 3
    const amp = [0.2, 1, 3][tier]! * (0.8 + 0.4 * rnd())
    const signals = STANDARD_LEADS.map((_, l) => Float32Array.from({ length: 5000 }, (_, t) => amp * Math.sin((2 * Math.PI * (1 + l / 6) * t) / 500 + rnd() * 0.1) + 0.05 * (rnd() - 0.5)))
    const id = createHash('sha256').update(`synthetic-${seed}-${i}`).digest('hex')
    records.set(id, { id, name: `syn${i}`, format: 'wfdb', sourceFiles: [], samplingRateHz: 500, length: 5000, durationS: 10, leads: [...STANDARD_LEADS], signals, missingLeads: [], patient: {}, labels: [], meta: {} })
    tiers.set(id, tier)
  }
  return { records, tiers }
}

export class MapRecords implements RecordSourceLike {
  constructor(private readonly records: Map<string, EcgRecord>) {}
  async get(id: string): Promise<EcgRecord> {
    const r = this.records.get(id)
    if (!r) throw new Error(`record ${id.slice(0, 12)} is not in the signal store`)
    return r
  }
}
