/**
 * ONNX parity: the shipped models (models/<id>/1.0.0) run in onnxruntime-node must reproduce the PyTorch
 * outputs saved by training/ecgtriage/export_fixtures.py on real PTB-XL records, and the Grad-CAM the app
 * computes from the exported features and the head initializers named in the manifest must equal the PyTorch
 * autograd Grad-CAM (GAP -> Linear: d logit_c / d A_k(t) = W_ck / T', so Grad-CAM = relu(sum_k W_ck A_k) / T').
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { zManifest, type ModelManifest } from '@shared/manifest'
import { readFloatInitializer } from '../../../src/main/finetune/onnx-rewrite'
import { checkClasses, readManifest, verifyModelFile } from '../../../src/main/models/verify'

const repoRoot = resolve(__dirname, '../../..')
const IDS = ['triage-tier3', 'triage-tier4', 'aha-codes'] as const
const REGEN = 'run `cd training && /usr/bin/python3 -m ecgtriage.export_fixtures` after retraining'

interface ParityRecord {
  recordId: string
  input: number[]
  logits: number[]
  embedding: number[]
  featureShape: [number, number]
  featureSlice: number[]
  featureChannelSums: number[]
}
interface ParityFixture { modelId: string; onnxSha256: string; window: number; classes: string[]; featureSliceChannels: number; records: ParityRecord[] }
interface CamFixture {
  onnxSha256: string
  records: { recordId: string; classes: { classIndex: number; key: string; raw: number[]; normalised: number[] }[] }[]
}

function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${REGEN}`)
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

/** max |a - b| relative to max(1, max |b|): logits of a few units and features near 0 share one tolerance. */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let scale = 1
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!))
  let err = 0
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!))
  return err / scale
}

/** max |a - b| / max |b|: a CAM's scale is arbitrary, so its error is judged against its own peak. */
function errToPeak(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let peak = 0
  let err = 0
  for (let i = 0; i < b.length; i++) peak = Math.max(peak, Math.abs(b[i]!))
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!))
  return peak > 0 ? err / peak : err
}

/** Half-pixel linear upsampling, as PyTorch F.interpolate(mode='linear', align_corners=False). (T) -> (N) */
function upsample(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n)
  const scale = x.length / n
  for (let i = 0; i < n; i++) {
    const pos = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), x.length - 1)
    const i0 = Math.floor(pos)
    const i1 = Math.min(i0 + 1, x.length - 1)
    out[i] = x[i0]! * (1 - (pos - i0)) + x[i1]! * (pos - i0)
  }
  return out
}

describe.each(IDS)('%s: ONNX (onnxruntime-node) vs PyTorch', (id) => {
  const dir = join(repoRoot, 'models', id, '1.0.0')
  const load = (): { m: ModelManifest; bytes: Uint8Array; fx: ParityFixture; cam: CamFixture } => {
    const m = zManifest.parse(readJson(join(dir, 'manifest.json')))
    const bytes = new Uint8Array(readFileSync(join(dir, m.file)))
    const sha = createHash('sha256').update(bytes).digest('hex')
    expect(sha, `${dir}/${m.file} does not match its manifest`).toBe(m.sha256)
    const fx = readJson<ParityFixture>(join(repoRoot, 'tests/fixtures/parity', `${id}.json`))
    const cam = readJson<CamFixture>(join(repoRoot, 'tests/fixtures/gradcam', `${id}.json`))
    expect(fx.onnxSha256, `parity fixture is stale: ${REGEN}`).toBe(m.sha256)
    expect(cam.onnxSha256, `gradcam fixture is stale: ${REGEN}`).toBe(m.sha256)
    return { m, bytes, fx, cam }
  }

  it('the model registry accepts the shipped directory (schema, SHA-256, graph vs manifest, catalog classes)', async () => {
    const m = await readManifest(dir)
    checkClasses(m, dir)
    const v = await verifyModelFile(dir, m)
    expect(v.graph.initializerNames.has(m.head.weightInitializer)).toBe(true)
    expect(m.metrics.embeddingStats).toBeDefined()
  })

  it('manifest, logits, features and embedding agree to 1e-4 (batch of all fixture records at once)', async () => {
    const { m, bytes, fx } = load()
    expect(bytes.byteLength).toBeLessThan(20 * 1024 * 1024)
    const W = m.input.shape[2]
    expect(fx.window).toBe(W)
    expect(fx.classes).toEqual(m.classes.map((c) => c.key))
    const B = fx.records.length
    expect(B).toBeGreaterThanOrEqual(2)
    const input = new Float32Array(B * 12 * W)
    fx.records.forEach((r, b) => input.set(r.input, b * 12 * W))
    const session = await ort.InferenceSession.create(bytes)
    const out = await session.run({ [m.input.name]: new ort.Tensor('float32', input, [B, 12, W]) })
    const logits = out[m.outputs.logits.name]!
    const features = out[m.outputs.features.name]!
    const embedding = out[m.outputs.embedding.name]!
    const C = m.classes.length
    const [K, T] = fx.records[0]!.featureShape
    expect(logits.dims).toEqual([B, C])
    expect(features.dims).toEqual([B, K, T])
    expect(m.outputs.features.shape).toEqual(['batch', K, T])
    expect(embedding.dims).toEqual([B, K])
    const L = logits.data as Float32Array
    const F = features.data as Float32Array
    const E = embedding.data as Float32Array
    fx.records.forEach((r, b) => {
      expect(maxRelErr(L.subarray(b * C, (b + 1) * C), r.logits), `${r.recordId} logits`).toBeLessThan(1e-4)
      expect(maxRelErr(E.subarray(b * K, (b + 1) * K), r.embedding), `${r.recordId} embedding`).toBeLessThan(1e-4)
      const fb = F.subarray(b * K * T, (b + 1) * K * T)
      expect(maxRelErr(fb.subarray(0, fx.featureSliceChannels * T), r.featureSlice), `${r.recordId} features`).toBeLessThan(1e-4)
      const sums = Array.from({ length: K }, (_, k) => fb.subarray(k * T, (k + 1) * T).reduce((a, v) => a + v, 0))
      expect(maxRelErr(sums, r.featureChannelSums), `${r.recordId} feature sums`).toBeLessThan(1e-4)
    })
    // the two records must not collapse onto one output (a constant model would pass the checks above)
    expect(maxRelErr(L.subarray(0, C), fx.records[1]!.logits)).toBeGreaterThan(1e-3)
  })

  it('CAM from exported features + manifest head initializers equals the PyTorch autograd Grad-CAM', async () => {
    const { m, bytes, fx, cam } = load()
    const W = m.input.shape[2]
    const head = readFloatInitializer(bytes, m.head.weightInitializer)
    const [K, T] = fx.records[0]!.featureShape
    expect(head.dims).toEqual([m.classes.length, m.head.inFeatures])
    expect(m.head.inFeatures).toBe(K)
    const session = await ort.InferenceSession.create(bytes)
    let checked = 0
    for (const r of fx.records) {
      const out = await session.run({ [m.input.name]: new ort.Tensor('float32', Float32Array.from(r.input), [1, 12, W]) })
      const A = out[m.outputs.features.name]!.data as Float32Array
      const entry = cam.records.find((c) => c.recordId === r.recordId)
      expect(entry, `no Grad-CAM fixture for ${r.recordId}`).toBeDefined()
      for (const c of entry!.classes) {
        const raw = new Float64Array(T)
        for (let k = 0; k < K; k++) {
          const w = head.data[c.classIndex * K + k]!
          for (let t = 0; t < T; t++) raw[t]! += (w * A[k * T + t]!) / T
        }
        for (let t = 0; t < T; t++) raw[t] = Math.max(0, raw[t]!)
        expect(errToPeak(raw, c.raw), `${r.recordId} class ${c.key} raw CAM`).toBeLessThan(1e-4)
        const up = upsample(raw, W)
        const max = up.reduce((a, v) => Math.max(a, v), 0)
        const norm = max > 0 ? up.map((v) => v / max) : up
        expect(errToPeak(norm, c.normalised), `${r.recordId} class ${c.key} normalised CAM`).toBeLessThan(1e-3)
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4)
  })
})
