/**
 * Grad-CAM of the SHIPPED models against the PyTorch autograd fixtures written by the training pipeline
 * (training/ecgtriage/export_fixtures.py -> tests/fixtures/{gradcam,parity}/<model id>.json): same input window,
 * the app's CAM from the exported features and head weights must equal autograd Grad-CAM, raw (T') up to the
 * factor 1/T' and upsampled + normalised (W).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { zManifest } from '@shared/manifest'
import { classActivation, normaliseUnit, reluInPlace, resampleLinear } from '../../../src/main/inference/cam'
import { OrtEngine } from '../../../src/main/inference/engine'
import { readHead } from '../../../src/main/inference/loaded-model'
import { REPO_ROOT } from './real-data'

interface CamFixture {
  modelId: string
  version: string
  onnxSha256: string
  records: Array<{ recordId: string; classes: Array<{ classIndex: number; key: string; raw: number[]; normalised: number[] }> }>
}
interface ParityFixture {
  window: number
  records: Array<{ recordId: string; input: number[] }>
}

const dir = join(REPO_ROOT, 'tests', 'fixtures', 'gradcam')
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []

describe('shipped models: Grad-CAM equals the PyTorch autograd fixtures', () => {
  const engine = new OrtEngine({ providers: ['cpu'] })
  afterAll(() => engine.dispose())

  it('fixtures exist (cd training && /usr/bin/python3 -m ecgtriage.export_fixtures)', () => {
    expect(files.length, `no Grad-CAM fixtures in ${dir}`).toBeGreaterThan(0)
  })

  for (const file of files) {
    it(`${file}`, async () => {
      const cams = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CamFixture
      const parity = JSON.parse(readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'parity', file), 'utf8')) as ParityFixture
      const folder = join(REPO_ROOT, 'models', cams.modelId, cams.version)
      const m = zManifest.parse(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')))
      expect(cams.onnxSha256, 'fixture made from another model file: regenerate it').toBe(m.sha256)
      const modelPath = join(folder, m.file)
      const head = await readHead(modelPath, m)
      await engine.open(file, modelPath)
      const W = parity.window
      let compared = 0
      for (const rec of cams.records) {
        const input = Float32Array.from(parity.records.find((r) => r.recordId === rec.recordId)!.input)
        const out = await engine.run(file, m.input.name, input, [1, 12, W], [m.outputs.features.name])
        const f = out[m.outputs.features.name]!
        const [, K, T] = f.dims as [number, number, number]
        for (const c of rec.classes) {
          const cam = reluInPlace(classActivation(f.data, K, T, head.weight, c.classIndex))
          const scale = Math.max(...c.raw.map(Math.abs), 1e-6)
          // autograd Grad-CAM = CAM / T' (GAP -> Linear): compare on the raw maps
          cam.forEach((v, t) => expect(Math.abs(v / T - c.raw[t]!) / scale, `${rec.recordId} class ${c.key} raw t=${t}`).toBeLessThan(2e-3))
          const norm = normaliseUnit(resampleLinear(cam, W))
          let maxDiff = 0
          norm.forEach((v, t) => (maxDiff = Math.max(maxDiff, Math.abs(v - c.normalised[t]!))))
          expect(maxDiff, `${rec.recordId} class ${c.key}`).toBeLessThan(2e-3)
          compared++
        }
      }
      expect(compared).toBeGreaterThan(0)
      await engine.close(file)
    })
  }
})
