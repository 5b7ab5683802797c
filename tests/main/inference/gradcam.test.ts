/**
 * Grad-CAM from exported features + head weights (src/main/inference/cam.ts) against PyTorch autograd Grad-CAM
 * of the same network (the training pipeline's ResNet1D-SE, exported by its own export code) on real PTB-XL
 * records preprocessed by the app's pipeline.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { preprocess } from '@shared/dsp'
import { zManifest, type ModelManifest } from '@shared/manifest'
import { classActivation, normaliseUnit, reluInPlace, resampleLinear } from '../../../src/main/inference/cam'
import { OrtEngine } from '../../../src/main/inference/engine'
import { explainRecord } from '../../../src/main/inference/explain'
import { loadModel, type LoadedModel } from '../../../src/main/inference/loaded-model'
import { loadPtbxl } from './real-data'
import { makeTestModels } from './test-model'

// the spec the pipeline writes by default (training/ecgtriage/preprocess.py default_spec); checked against the manifest below
const SPEC = { version: 1, targetRateHz: 100, windowSamples: 1000, bandpass: { lowHz: 0.5, highHz: 40, order: 2 }, notch: null, standardise: { kind: 'per-lead-zscore', eps: 1e-6 }, windowing: { policy: 'windows', maxWindows: 6 } } as const
const IDS = [1, 17, 103] // normal, AF/flutter, sinus tachycardia
const CLASSES = [0, 1, 2]

describe('Grad-CAM equals PyTorch autograd Grad-CAM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-gradcam-'))
  const engine = new OrtEngine({ providers: ['cpu'] })
  let model: LoadedModel
  let manifest: ModelManifest
  let windows: Float32Array
  let torch: { cams: Record<string, number[][]>; logits: number[][] }
  let records: Awaited<ReturnType<typeof loadPtbxl>>

  beforeAll(async () => {
    records = await loadPtbxl(IDS)
    const W = SPEC.windowSamples
    windows = new Float32Array(IDS.length * 12 * W)
    records.forEach((r, i) => windows.set(preprocess(r.signals, r.leads, r.samplingRateHz, SPEC).windows, i * 12 * W))
    writeFileSync(join(dir, 'input.f32'), windows)
    const [folder] = makeTestModels([{ root: dir, scheme: 'tier3', version: '1.0.0', gradcam: { input: join(dir, 'input.f32'), windows: IDS.length, classes: CLASSES, out: join(dir, 'cam.json') } }])
    manifest = zManifest.parse(JSON.parse(readFileSync(join(folder!, 'manifest.json'), 'utf8')))
    torch = JSON.parse(readFileSync(join(dir, 'cam.json'), 'utf8'))
    model = await loadModel({ id: manifest.id, version: manifest.version, modelPath: join(folder!, 'model.onnx'), manifest })
    await engine.open(model.key, model.modelPath)
  }, 120_000)
  afterAll(async () => {
    await engine.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('the model was exported with the spec the windows were made with', () => {
    expect(manifest.input.preprocessing).toEqual(SPEC)
  })

  it('onnxruntime logits match PyTorch', async () => {
    const out = await engine.run(model.key, 'ecg', windows, [IDS.length, 12, SPEC.windowSamples], ['logits'])
    torch.logits.flat().forEach((v, i) => expect(out.logits!.data[i]).toBeCloseTo(v, 3))
  })

  it('per window and class, CAM from features and head weights = autograd Grad-CAM (normalised)', async () => {
    const out = await engine.run(model.key, 'ecg', windows, [IDS.length, 12, SPEC.windowSamples], ['features'])
    const [B, K, T] = out.features!.dims as [number, number, number]
    expect([B, K]).toEqual([IDS.length, 512])
    let compared = 0
    for (const c of CLASSES) {
      for (let b = 0; b < B; b++) {
        const f = out.features!.data.subarray(b * K * T, (b + 1) * K * T)
        const ours = normaliseUnit(resampleLinear(reluInPlace(classActivation(f, K, T, model.head.weight, c)), SPEC.windowSamples))
        const ref = torch.cams[String(c)]![b]!
        if (Math.max(...ref) === 0) continue // class with no positive evidence in this window: both all-zero
        let maxDiff = 0
        for (let t = 0; t < ref.length; t++) maxDiff = Math.max(maxDiff, Math.abs(ours[t]! - ref[t]!))
        expect(maxDiff, `class ${c} window ${b}`).toBeLessThan(2e-3)
        compared++
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6)
  })

  it('explainRecord maps the CAM onto the 500-Hz record axis and attributes leads', async () => {
    const r = records[0]!
    const ex = await explainRecord(engine, preprocess, r, model, { role: 'tier', classIndex: 1 })
    expect(ex.cam.length).toBe(r.length)
    expect(ex.samplingRateHz).toBe(500)
    expect(Math.max(...ex.cam)).toBeCloseTo(1, 6)
    expect(Math.min(...ex.cam)).toBeGreaterThanOrEqual(0)
    // the record map is the window map (1000 samples at 100 Hz) resampled to 5000 samples at 500 Hz
    const ref = resampleLinear(Float32Array.from(torch.cams['1']![0]!), r.length)
    let maxDiff = 0
    for (let t = 0; t < r.length; t++) maxDiff = Math.max(maxDiff, Math.abs(ex.cam[t]! - ref[t]!))
    expect(maxDiff).toBeLessThan(2e-3)
    expect(ex.leadAttribution).toHaveLength(12)
    expect(ex.leadAttribution.every((v) => v >= 0)).toBe(true)
    expect(Math.max(...ex.leadAttribution)).toBeGreaterThan(0)
  })

  it('refuses a class outside the model', async () => {
    await expect(explainRecord(engine, preprocess, records[0]!, model, { role: 'tier', classIndex: 3 })).rejects.toThrow(/outside/)
  })
})
