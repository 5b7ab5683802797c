/**
 * The inference service end to end through the worker thread: two stages, the consistency rule, unmapped codes,
 * quality flags, windows of a long record, progress events, cancellation, per-record errors, explanations.
 * Models are exported by the training pipeline with head biases that force known answers (test-model.ts).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zAnalysisResult } from '@shared/contract/analysis'
import type { EcgRecord } from '@shared/ecg'
import { EventBus } from '../../../src/main/app/events'
import { createInference, type Inference } from '../../../src/main/inference/create'
import { InferenceService } from '../../../src/main/inference/service'
import { InferenceWorker } from '../../../src/main/inference/worker-client'
import { corrupt, DATA, loadPtbxl, loadRecords } from './real-data'
import { makeTestModels } from './test-model'

const OFF = -8
describe('inference service (worker thread, two stages)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-pipeline-'))
  const shipped = join(dir, 'models')
  const events = new EventBus()
  const progress: Array<{ jobId: string; done: number; total: number }> = []
  events.subscribe((e, p) => e === 'inference:progress' && progress.push(p as (typeof progress)[number]))
  let inf: Inference
  let recs: EcgRecord[]
  const store = new Map<string, EcgRecord>()

  beforeAll(async () => {
    makeTestModels([
      // the triage model is sure the ECG is normal ...
      { root: shipped, scheme: 'tier3', version: '1.0.0', small: true, headScale: 0.01, bias: { normal: 8 } },
      // ... the code model finds atrial fibrillation (urgent) and a code the catalog does not know
      { root: shipped, scheme: 'aha', version: '1.0.0', small: true, headScale: 0.01, bias: { '1': OFF, '22': OFF, '50': 8, '104': OFF, '999': 8 } },
      // ... or only 'normal ECG' plus the unknown code
      { root: shipped, scheme: 'aha', version: '1.1.0', small: true, headScale: 0.01, bias: { '1': 8, '22': OFF, '50': OFF, '104': OFF, '999': 8 } },
    ])
    // the same tier model with training-embedding statistics that no real ECG resembles (tiny variance)
    const ood = join(shipped, 'triage-tier3', '1.2.0')
    cpSync(join(shipped, 'triage-tier3', '1.0.0'), ood, { recursive: true })
    const m = JSON.parse(readFileSync(join(ood, 'manifest.json'), 'utf8'))
    m.version = '1.2.0'
    m.metrics.embeddingStats = { mean: new Array(m.head.inFeatures).fill(0), var: new Array(m.head.inFeatures).fill(1e-6), threshold: 3, n: 100 }
    writeFileSync(join(ood, 'manifest.json'), JSON.stringify(m))
    recs = await loadPtbxl([1, 2, 3, 4, 5, 6])
    for (const r of recs) store.set(r.id, r)
    inf = await createInference({ shippedDir: shipped, userDir: join(dir, 'user'), stateFile: join(dir, 'state.json'), events, batchSize: 2, records: { get: async (id) => store.get(id) ?? Promise.reject(new Error(`no record ${id}`)) } })
    await inf.registry.activate('aha-codes', '1.0.0')
    await inf.registry.activate('triage-tier3', '1.0.0')
  }, 120_000)
  afterAll(async () => {
    await inf?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reports the execution provider after probing the models', () => {
    expect(inf.service.executionProvider).toBe('cpu')
    expect(inf.registry.list().every((m) => m.status === 'ok')).toBe(true)
  })

  it('escalates to the code-implied tier and flags the disagreement', async () => {
    const { results } = await inf.service.analyzeRecords('job-escalate', [recs[0]!])
    const r = results[0]!
    if (!r.ok) throw new Error(r.message)
    const res = zAnalysisResult.parse(r.result)
    expect(res.tier).toMatchObject({ scheme: 'tier3', modelKey: 'normal', key: 'urgent', index: 2, escalated: true })
    expect(res.tier.escalationReason).toMatch(/code 50 \(Atrial fibrillation/)
    expect(res.flags.find((f) => f.kind === 'disagreement')).toMatchObject({ severity: 'warn' })
    expect(res.flags.find((f) => f.kind === 'unmapped-code')).toMatchObject({ severity: 'warn', message: expect.stringContaining('999') })
    expect(res.needsHumanRead).toBe(false)
    expect(res.codes.filter((c) => c.positive).map((c) => c.code).sort()).toEqual(['50', '999'])
    expect(res.codes.find((c) => c.code === '999')!.tier).toBe('unmapped')
    expect(res.codes.find((c) => c.code === '50')!.classIndex).toBe(2)
    expect(res.heartRate.bpm).toBeGreaterThan(55)
    expect(res.provenance).toMatchObject({ executionProvider: 'cpu', windows: 1, labelMappingVersion: '1.0.0', thresholdsVersion: 'triage-tier3:manifest; aha-codes:manifest' })
    expect(res.provenance.models.map((m) => `${m.role}:${m.id}@${m.version}`)).toEqual(['tier:triage-tier3@1.0.0', 'codes:aha-codes@1.0.0'])
  })

  it('an unmapped positive code beside a normal tier needs a human read, never a silent normal', async () => {
    await inf.registry.activate('aha-codes', '1.1.0')
    inf.service.invalidate()
    const { results } = await inf.service.analyzeRecords('job-unmapped', [recs[0]!])
    await inf.registry.activate('aha-codes', '1.0.0')
    inf.service.invalidate()
    const r = results[0]!
    if (!r.ok) throw new Error(r.message)
    expect(r.result.tier).toMatchObject({ key: 'normal', escalated: false })
    expect(r.result.flags.find((f) => f.kind === 'unmapped-code')?.severity).toBe('block')
    expect(r.result.needsHumanRead).toBe(true)
  })

  it('flags an embedding far from the training distribution (Mahalanobis, manifest statistics)', async () => {
    const plain = await inf.service.analyzeRecords('job-ood-0', [recs[0]!])
    expect(plain.results[0]!.ok && plain.results[0]!.result.flags.some((f) => f.kind === 'out-of-distribution')).toBe(false)
    expect(plain.results[0]!.ok && plain.results[0]!.result.provenance.aggregation).toMatch(/entropy and top probability only/)
    await inf.registry.activate('triage-tier3', '1.2.0')
    const { results } = await inf.service.analyzeRecords('job-ood', [recs[0]!])
    await inf.registry.activate('triage-tier3', '1.0.0')
    const r = results[0]!
    if (!r.ok) throw new Error(r.message)
    expect(r.result.flags.find((f) => f.kind === 'out-of-distribution')).toMatchObject({ severity: 'block', message: expect.stringMatching(/Mahalanobis \(diagonal\) [\d.]+ vs 3\.00/) })
    expect(r.result.needsHumanRead).toBe(true)
  })

  it('quality failures set needsHumanRead with the reason', async () => {
    const flat = corrupt(recs[1]!, (x, lead) => (lead === 'II' ? x.fill(0) : x))
    const { results } = await inf.service.analyzeRecords('job-quality', [flat])
    const r = results[0]!
    if (!r.ok) throw new Error(r.message)
    expect(r.result.needsHumanRead).toBe(true)
    expect(r.result.flags.find((f) => f.severity === 'block')).toMatchObject({ kind: 'quality', leads: ['II'] })
  })

  it('a long record is analysed in windows', async () => {
    const [long] = await loadRecords([resolve(DATA, 'cinc/CPSC_CPSC-Extra/A0005.hea')])
    expect(long!.durationS).toBe(25)
    const { results } = await inf.service.analyzeRecords('job-long', [long!])
    const r = results[0]!
    if (!r.ok) throw new Error(r.message)
    expect(r.result.provenance.windows).toBe(3)
    const ex = await inf.service.explainRecord(long!, { role: 'codes', classIndex: 2 })
    expect(ex.cam).toBeInstanceOf(Float32Array)
    expect(ex.cam.length).toBe(long!.length)
    expect(ex.label).toBe('Atrial fibrillation')
  })

  it('one bad record fails alone, with its name; the batch goes on', async () => {
    const bad: EcgRecord = { ...recs[2]!, id: 'bad', name: 'broken-record', signals: recs[2]!.signals.map((x, i) => (i === 0 ? Float32Array.from(x, (v, t) => (t === 10 ? NaN : v)) : x)) }
    const { results } = await inf.service.analyzeRecords('job-bad', [recs[3]!, bad, recs[4]!])
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    expect(results[1]).toMatchObject({ ok: false, recordId: 'bad', message: expect.stringMatching(/broken-record: .*non-finite/) })
  })

  it('analyses stored records by id with progress events, and an unknown id fails alone', async () => {
    progress.length = 0
    const ids = [...recs.slice(0, 3).map((r) => r.id), 'f'.repeat(64)]
    const res = await inf.handlers['inference:analyze']({ jobId: 'job-ids', recordIds: ids })
    expect(res.cancelled).toBe(false)
    expect(res.results.map((r) => r.ok)).toEqual([true, true, true, false])
    expect(progress.filter((p) => p.jobId === 'job-ids').map((p) => p.done)).toEqual([0, 2, 4])
  })

  it('cancels a running job between batches', async () => {
    progress.length = 0
    const job = inf.service.analyze('job-cancel', recs.map((r) => r.id))
    expect(inf.service.cancel('job-cancel')).toBe(true)
    const res = await job
    expect(res.cancelled).toBe(true)
    expect(res.results.length).toBeLessThan(recs.length)
    expect(inf.service.cancel('job-cancel')).toBe(false) // finished: nothing to cancel
  })

  it('a crashed worker thread is replaced on the next request', async () => {
    await inf.worker.simulateCrash()
    const { results } = await inf.service.analyzeRecords('job-after-crash', [recs[5]!])
    expect(results[0]!.ok).toBe(true)
    expect(inf.worker.restarts).toBe(1)
  })

  it('a batch the worker fails on fails alone; the job goes on', async () => {
    let calls = 0
    const flaky: ConstructorParameters<typeof InferenceService>[0]['worker'] = {
      analyze: (records, models) => (++calls === 1 ? Promise.reject(new Error('out of memory in the runtime')) : inf.worker.analyze(records, models)),
      explain: (r, m, t) => inf.worker.explain(r, m, t),
      open: (k, p) => inf.worker.open(k, p),
      close: (k) => inf.worker.close(k),
    }
    const service = new InferenceService({ registry: inf.registry, worker: flaky, batchSize: 2 })
    const res = await service.analyzeRecords('job-flaky', recs)
    expect(res.results.map((r) => r.ok)).toEqual([false, false, true, true, true, true])
    expect(res.results[0]).toMatchObject({ ok: false, recordId: recs[0]!.id, message: 'analysis failed: out of memory in the runtime' })
  })

  it('stopping a worker waits for the run in flight (terminating under onnxruntime would abort the process)', async () => {
    const w = new InferenceWorker()
    await w.open('m', join(shipped, 'triage-tier3', '1.0.0', 'model.onnx'))
    const run = w.run('m', 'ecg', new Float32Array(64 * 12 * 1000).fill(0.5), [64, 12, 1000], ['logits'])
    await w.terminate()
    expect((await run).logits!.dims).toEqual([64, 3])
    await expect(w.run('m', 'ecg', new Float32Array(12 * 1000), [1, 12, 1000], ['logits'])).rejects.toThrow(/stopped/)
  })

  it('Grad-CAM without lead occlusion (from the analysis feature cache) gives the same map and no attribution', async () => {
    const { results } = await inf.service.analyzeRecords('cam-cache', [recs[1]!]) // fills the worker's feature cache
    const analysed = results[0]!
    if (!analysed.ok) throw new Error(analysed.message)
    // a class with a non-trivial map (ReLU can zero a class's whole map), so the comparison below means something
    let target = { role: 'tier' as const, classIndex: 0 }
    let full = await inf.service.explainRecord(recs[1]!, target)
    for (let c = 1; c < analysed.result.tier.probabilities.length && Math.max(...full.cam) === 0; c++) {
      target = { role: 'tier' as const, classIndex: c }
      full = await inf.service.explainRecord(recs[1]!, target)
    }
    expect(Math.max(...full.cam)).toBeCloseTo(1, 5)
    const camOnly = await inf.service.explainRecord(recs[1]!, target, { leadAttribution: false })
    expect(camOnly.leadAttribution).toEqual([])
    expect(full.leadAttribution).toHaveLength(12)
    expect(camOnly.cam.length).toBe(full.cam.length)
    let maxDiff = 0
    for (let i = 0; i < full.cam.length; i++) maxDiff = Math.max(maxDiff, Math.abs(full.cam[i]! - camOnly.cam[i]!))
    expect(maxDiff).toBeLessThan(1e-4)
  })

  it('serves explanations and model lists through the IPC handlers', async () => {
    const ex = await inf.handlers['inference:explain']({ recordId: recs[0]!.id, target: { role: 'tier', classIndex: 0 } })
    expect(ex.cam.length).toBe(5000)
    expect(ex.leadAttribution).toHaveLength(12)
    const info = await inf.handlers['app:info']({})
    expect(info).toMatchObject({ executionProvider: 'cpu', labelMappingVersion: '1.0.0' })
    const list = await inf.handlers['models:activate']({ id: 'aha-codes', version: '1.1.0' })
    expect(list.models.filter((m) => m.active).map((m) => `${m.id}@${m.version}`).sort()).toEqual(['aha-codes@1.1.0', 'triage-tier3@1.0.0'])
    expect(list.models).toHaveLength(4)
  })
})
