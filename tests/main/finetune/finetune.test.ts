import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabelItem } from '@shared/contract/clinician'
import { zManifest } from '@shared/manifest'
import { LabelStore } from '../../../src/main/annotations/label-store'
import { EngineOutputs } from '../../../src/main/finetune/adapters'
import { readHeadFrom } from '../../../src/main/finetune/writer'
import { FinetuneService } from '../../../src/main/finetune/service'
import { AuditLog } from '../../../src/main/thresholds/audit-log'
import { Evaluator } from '../../../src/main/thresholds/evaluator'
import { ThresholdService } from '../../../src/main/thresholds/service'
import { decimate10, DirModelPort, installShipped, MapRecords, OrtTestEngine, SAMPLES, syntheticRecords } from './fixture'

const gp = { user: 'dr.gp', role: 'gp' as const }
const TIERS = ['normal', 'non-urgent', 'urgent']

interface Ctx {
  root: string
  shippedDir: string
  models: DirModelPort
  service: FinetuneService
  labels: LabelStore
  audit: AuditLog
  thresholds: ThresholdService
  events: Array<{ epoch: number; done: boolean }>
}

async function context(items: LabelItem[], records: ReturnType<typeof syntheticRecords>['records'], shippedDir?: string): Promise<Ctx> {
  const root = mkdtempSync(join(tmpdir(), 'ecg-ft-'))
  const shipped = shippedDir ?? join(root, 'shipped')
  if (!shippedDir) installShipped(shipped)
  const models = new DirModelPort(shipped, join(root, 'user', 'models'))
  await models.refresh()
  const labels = new LabelStore(join(root, 'user', 'labels.json'))
  if (items.length) await labels.put(items)
  const audit = new AuditLog(join(root, 'user', 'audit.jsonl'))
  const evaluator = new Evaluator(new EngineOutputs(new OrtTestEngine(), new MapRecords(records), decimate10), 'engine')
  const thresholds = new ThresholdService({ file: join(root, 'user', 'thresholds.json'), models, evaluator, labels, audit })
  await thresholds.init()
  const events: Ctx['events'] = []
  const service = new FinetuneService({ models, evaluator, labels, thresholds, audit, events: { emit: (_e, p) => events.push(p) } })
  return { root, shippedDir: shipped, models, service, labels, audit, thresholds, events }
}

const data = syntheticRecords(90, 1)
const allItems: LabelItem[] = [...data.tiers].map(([recordId, t]) => ({ recordId, tier3: TIERS[t]!, source: 'over-read' }))
const hashDir = (dir: string): string => {
  const h = createHash('sha256')
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)))
  return h.digest('hex')
}

describe('fine-tuning a tier model head end to end', () => {
  let ctx: Ctx
  let shippedHash: string
  let version: string
  beforeAll(async () => {
    ctx = await context(allItems, data.records)
    shippedHash = hashDir(join(ctx.shippedDir, 'triage-tier3', '1.0.0'))
    await ctx.service.start('job-1', 'triage-tier3', gp, { maxEpochs: 600, learningRate: 0.05, lambda: 1e-3 })
    const st = await ctx.service.wait('job-1')
    if (st.state !== 'done') throw new Error(`job ended ${st.state}: ${st.message}`)
    version = st.candidate!.version
  })

  it('writes a new version beside, never over, the shipped model, with parent, data, metrics and sha256', async () => {
    expect(version).toBe('1.0.0-ft.1')
    expect(hashDir(join(ctx.shippedDir, 'triage-tier3', '1.0.0'))).toBe(shippedHash)
    const dir = join(ctx.root, 'user', 'models', 'triage-tier3', version)
    const m = zManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))
    expect(m.parentVersion).toBe('1.0.0')
    expect(m.sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'model.onnx'))).digest('hex'))
    const test = await ctx.labels.list('test')
    expect(m.training.records.test.length).toBe(test.length)
    expect(new Set([...m.training.records.train, ...m.training.records.validation]).size).toBe(m.training.records.train.length + m.training.records.validation.length)
    for (const id of m.training.records.train) expect(test.some((t) => t.recordId === id)).toBe(false)
    const ft = m.metrics.localFinetune as { before: { accuracy: number }; after: { accuracy: number } }
    // a random tiny head knows nothing; the re-fit head separates the amplitudes
    expect(ft.after.accuracy).toBeGreaterThan(ft.before.accuracy)
    expect(ft.after.accuracy).toBeGreaterThanOrEqual(0.8)
    // the new head's operating point is recalibrated on the training records, documented in the evidence
    const ev = ft as unknown as { thresholds: { after: Record<string, number>; calibration: string } }
    expect(m.thresholds).toEqual(ev.thresholds.after)
    expect(ev.thresholds.calibration).toMatch(/'urgent' threshold [0-9.]+ reaches sensitivity (0\.9[5-9]\d|1\.000) \(target 0\.95\) on \d+ training records/)
    expect(ctx.events.some((e) => e.epoch > 0 && !e.done)).toBe(true)
    expect(ctx.events[ctx.events.length - 1]!.done).toBe(true)
  })

  it("the new model's logits equal embedding @ W'^T + b' of the trained head", async () => {
    const dir = join(ctx.root, 'user', 'models', 'triage-tier3', version)
    const bytes = new Uint8Array(readFileSync(join(dir, 'model.onnx')))
    const m = zManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))
    const head = readHeadFrom(bytes, m)
    const parentHead = readHeadFrom(new Uint8Array(readFileSync(join(ctx.shippedDir, 'triage-tier3', '1.0.0', 'model.onnx'))), m)
    expect(Array.from(head.W)).not.toEqual(Array.from(parentHead.W))
    const session = await ort.InferenceSession.create(bytes)
    const rec = [...data.records.values()][0]!
    const x = decimate10(rec.signals, rec.leads, 500, m.input.preprocessing).windows
    const out = await session.run({ ecg: new ort.Tensor('float32', x, [1, 12, SAMPLES]) })
    const emb = out.embedding!.data as Float32Array
    const logits = out.logits!.data as Float32Array
    for (let c = 0; c < 3; c++) {
      let z = head.b[c]!
      for (let d = 0; d < 16; d++) z += emb[d]! * head.W[c * 16 + d]!
      expect(logits[c]).toBeCloseTo(z, 4)
    }
    await session.release()
  })

  it('compare, activate (floor kept), roll back in one call; all audited', async () => {
    const cmp = await ctx.service.compare('triage-tier3', version)
    expect(cmp.current.modelVersion).toBe('1.0.0')
    expect(cmp.candidate.modelVersion).toBe(version)
    expect(cmp.candidate.recordIds).toEqual(cmp.current.recordIds)
    // operating points belong to a model version: the parent's tuned values do not leak onto the new head
    await ctx.thresholds.apply('triage-tier3', { urgent: 0.01 }, gp)
    expect(ctx.thresholds.current('triage-tier3', '1.0.0')!.values.urgent).toBe(0.01)
    expect(ctx.thresholds.current('triage-tier3', version)).toBeNull()
    const act = await ctx.service.activate('triage-tier3', version, gp)
    expect(act.check.ok).toBe(true)
    expect((await ctx.models.active('triage-tier3')).version).toBe(version)
    const versions = await ctx.service.versions('triage-tier3')
    expect(versions.find((v) => v.active)!.version).toBe(version)
    const rb = await ctx.service.rollback('triage-tier3', gp)
    expect(rb.active).toBe('1.0.0')
    expect((await ctx.models.active('triage-tier3')).version).toBe('1.0.0')
    await expect(ctx.service.rollback('triage-tier3', gp)).rejects.toThrow(/shipped version; there is nothing to roll back to/)
    const actions = (await ctx.audit.list()).map((a) => a.action)
    expect(actions).toEqual(['finetune.create', 'thresholds.apply', 'finetune.activate', 'finetune.rollback'])
    expect(await ctx.audit.verify()).toBe(-1)
  })

  it('refuses activation when the candidate would break the urgent floor, and changes nothing', async () => {
    // relabel the frozen test split so its 'urgent' cases are the low-amplitude ones the candidate calls normal
    const test = await ctx.labels.list('test')
    await ctx.labels.put(test.map((t) => ({ recordId: t.recordId, tier3: data.tiers.get(t.recordId) === 0 ? 'urgent' : 'normal', source: 'over-read' as const })))
    const cmp = await ctx.service.compare('triage-tier3', version)
    expect(cmp.check.ok).toBe(false)
    await expect(ctx.service.activate('triage-tier3', version, gp)).rejects.toMatchObject({ code: 'below-safety-floor', message: expect.stringMatching(/not activated: 'urgent' sensitivity .* is below the 90\.0% safety floor/) })
    expect((await ctx.models.active('triage-tier3')).version).toBe('1.0.0')
    expect((await ctx.audit.list()).filter((a) => a.action === 'finetune.activate')).toHaveLength(1) // the earlier, allowed one
  })
})

describe('fine-tuning bad input: clear message, nothing started or written', () => {
  it('too few labelled cases', async () => {
    const ctx = await context(allItems.slice(0, 6), data.records)
    await expect(ctx.service.start('j', 'triage-tier3', gp)).rejects.toMatchObject({ code: 'too-few-labels', message: expect.stringMatching(/needs at least 12 labelled training cases with a tier3 label; there are \d+/) })
    expect(existsSync(join(ctx.root, 'user', 'models'))).toBe(false)
  })
  it('a class with no examples', async () => {
    const ctx = await context(allItems.filter((i) => i.tier3 !== 'urgent'), data.records)
    await expect(ctx.service.start('j', 'triage-tier3', gp)).rejects.toMatchObject({ code: 'class-without-examples', message: expect.stringMatching(/class 'urgent' has no labelled training case/) })
  })
  it('labels for codes the model does not have', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ecg-ft-codes-'))
    const shipped = join(root, 'shipped')
    installShipped(shipped, {
      id: 'triage-tier3', // same folder layout, a code model by role
      role: 'codes',
      task: 'multi-label',
      labelScheme: 'aha',
      classes: [{ key: '1', name: 'Normal ECG' }, { key: '50', name: 'AF' }, { key: '22', name: 'Sinus bradycardia' }],
      thresholds: { '1': 0.5, '50': 0.5, '22': 0.5 },
    })
    const items: LabelItem[] = allItems.map((i, k) => ({ recordId: i.recordId, codes: k % 3 === 0 ? ['999', '50'] : ['1'], source: 'over-read' }))
    const ctx = await context(items, data.records, shipped)
    await expect(ctx.service.start('j', 'triage-tier3', gp)).rejects.toMatchObject({ code: 'unknown-codes', message: expect.stringMatching(/code\(s\) 999 that the model does not predict/) })
  })
  it('records missing from the signal store are reported by the job', async () => {
    const ctx = await context(allItems, new Map())
    await ctx.service.start('j', 'triage-tier3', gp)
    const st = await ctx.service.wait('j')
    expect(st.state).toBe('failed')
    expect(st.message).toMatch(/only 0 of \d+ labelled records could be run.*not in the signal store/)
  })
  it('cancel stops the job and writes nothing', async () => {
    const ctx = await context(allItems, data.records)
    await ctx.service.start('j', 'triage-tier3', gp, { maxEpochs: 100_000, patience: 100_000 })
    const deadline = Date.now() + 30_000
    while (ctx.service.status('j').state !== 'training' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    while (ctx.service.status('j').epoch < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(ctx.service.cancel('j')).toBe(true)
    const st = await ctx.service.wait('j')
    expect(st.state).toBe('cancelled')
    expect(existsSync(join(ctx.root, 'user', 'models', 'triage-tier3'))).toBe(false)
  })
})
