import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { LabelStore } from '../../../src/main/annotations/label-store'
import { AuditLog } from '../../../src/main/thresholds/audit-log'
import { Evaluator } from '../../../src/main/thresholds/evaluator'
import { ThresholdService } from '../../../src/main/thresholds/service'
import type { LabelItem } from '@shared/contract/clinician'
import { OneModelPort, refOf, TableOutputs, tierManifest, withUrgent } from './helpers'

const gp = { user: 'dr.gp', role: 'gp' as const }
const cardio = { user: 'dr.heart', role: 'cardiologist' as const }

// 5 urgent cases scored 0.9 .. 0.2 on P(urgent); 5 normal cases. Floor 0.9 needs all 5 urgent flagged (threshold < 0.2).
const urgentScores = [0.9, 0.7, 0.5, 0.35, 0.2]
const normalScores = [0.05, 0.1, 0.25, 0.32, 0.6]

async function setup(opts: { withUrgentCases?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-thr-'))
  const probs = new Map<string, number[]>()
  const items: LabelItem[] = []
  if (opts.withUrgentCases !== false) {
    urgentScores.forEach((p, i) => {
      probs.set(`u${i}`, withUrgent(p))
      items.push({ recordId: `u${i}`, tier3: 'urgent', source: 'over-read' })
    })
  }
  normalScores.forEach((p, i) => {
    probs.set(`n${i}`, withUrgent(p))
    items.push({ recordId: `n${i}`, tier3: 'normal', source: 'over-read' })
  })
  // every labelled case in the test split, so the expected numbers are exact
  writeFileSync(join(dir, 'labels.json'), JSON.stringify({ schemaVersion: 1, testFraction: 1, items: [] }))
  const labels = new LabelStore(join(dir, 'labels.json'))
  await labels.put(items)
  const audit = new AuditLog(join(dir, 'audit.jsonl'))
  const models = new OneModelPort(refOf(tierManifest()))
  const service = new ThresholdService({ file: join(dir, 'thresholds.json'), models, evaluator: new Evaluator(new TableOutputs(probs), 'mean-probability'), labels, audit })
  await service.init()
  return { dir, service, audit }
}

describe('threshold service: versions, floor, override, audit', () => {
  let ctx: Awaited<ReturnType<typeof setup>>
  beforeEach(async () => {
    ctx = await setup()
  })

  it('propose evaluates on the local test set without changing anything', async () => {
    const { check, evaluation } = await ctx.service.propose('triage-tier3', { urgent: 0.3 })
    expect(evaluation.recordIds).toHaveLength(10)
    const urgent = evaluation.targets.find((t) => t.key === 'urgent')!
    expect(urgent.positives).toBe(5)
    // flagged at 0.3: urgent 0.9, 0.7, 0.5, 0.35 (4/5), normal 0.32, 0.6 (2 false alarms)
    expect(urgent.atThreshold.sensitivity).toBeCloseTo(0.8, 12)
    expect(urgent.atThreshold.fp).toBe(2)
    expect(urgent.atThreshold.alertVolume).toBeCloseTo(0.6, 12)
    expect(check.ok).toBe(false)
    expect(check.message).toMatch(/80\.0%.*below the 90\.0% safety floor/)
    expect(ctx.service.current('triage-tier3')).toBeNull()
  })

  it('a GP can apply a threshold that keeps the floor; the version and audit record carry the evidence', async () => {
    const r = await ctx.service.apply('triage-tier3', { urgent: 0.19 }, gp)
    expect(r.check.ok).toBe(true)
    expect(r.version.version).toBe(1)
    expect(r.version.parent).toBeNull()
    expect(r.version.values).toEqual({ 'non-urgent': 0.5, urgent: 0.19 })
    expect((r.version.evidence.targets as Record<string, { sensitivity: number }>).urgent!.sensitivity).toBe(1)
    expect(ctx.service.current('triage-tier3')).toEqual({ id: 'triage-tier3@thr-1', values: { 'non-urgent': 0.5, urgent: 0.19 }, modelVersion: '1.0.0' })
    expect(r.audit).toMatchObject({ action: 'thresholds.apply', user: 'dr.gp', role: 'gp', from: { version: 'manifest', values: { urgent: 0.5 } }, to: { version: 'triage-tier3@thr-1' } })
    expect(await ctx.audit.verify()).toBe(-1)
  })

  it('refuses a GP change below the floor and changes nothing', async () => {
    await ctx.service.apply('triage-tier3', { urgent: 0.19 }, gp)
    const before = readFileSync(join(ctx.dir, 'thresholds.json'), 'utf8')
    await expect(ctx.service.apply('triage-tier3', { urgent: 0.4 }, gp, { reason: 'I am a GP but want it' })).rejects.toMatchObject({
      code: 'below-safety-floor',
      message: expect.stringMatching(/60\.0% \(3\/5\) is below the 90\.0% safety floor.*only a cardiologist/),
    })
    expect(readFileSync(join(ctx.dir, 'thresholds.json'), 'utf8')).toBe(before)
    expect(ctx.service.current('triage-tier3')!.values.urgent).toBe(0.19)
    expect((await ctx.audit.list()).length).toBe(1)
  })

  it('a cardiologist overrides only with a reason; the override is recorded in the version and the audit log', async () => {
    await ctx.service.apply('triage-tier3', { urgent: 0.19 }, gp)
    await expect(ctx.service.apply('triage-tier3', { urgent: 0.4 }, cardio)).rejects.toMatchObject({ code: 'below-safety-floor' })
    const r = await ctx.service.apply('triage-tier3', { urgent: 0.4 }, cardio, { reason: 'alert fatigue in a low-risk screening clinic' })
    expect(r.version.version).toBe(2)
    expect(r.version.parent).toBe(1)
    expect(r.version.override).toEqual({ reason: 'alert fatigue in a low-risk screening clinic' })
    expect(r.audit.override).toEqual({ reason: 'alert fatigue in a low-risk screening clinic' })
    expect(r.audit.from).toEqual({ version: 'triage-tier3@thr-1', values: { 'non-urgent': 0.5, urgent: 0.19 } })
    const history = await ctx.service.history('triage-tier3')
    expect(history.map((v) => v.version)).toEqual([2, 1])
    expect(await ctx.audit.verify()).toBe(-1)
  })

  it('a tampered audit log fails verification at the edited line', async () => {
    await ctx.service.apply('triage-tier3', { urgent: 0.19 }, gp)
    await ctx.service.apply('triage-tier3', { urgent: 0.1 }, gp)
    const file = join(ctx.dir, 'audit.jsonl')
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    writeFileSync(file, [lines[0], lines[1]!.replace('dr.gp', 'dr.who')].join('\n') + '\n')
    expect(await ctx.audit.verify()).toBe(1)
  })

  it('rejects unknown class keys and out-of-range values by name', async () => {
    await expect(ctx.service.apply('triage-tier3', { normal: 0.2 }, gp)).rejects.toThrow(/unknown threshold key\(s\) 'normal' for triage-tier3/)
    await expect(ctx.service.propose('triage-tier3', { urgent: 1.5 })).rejects.toThrow(/within \[0, 1\], got 1.5/)
  })

  it('only a cardiologist changes the floor', async () => {
    await expect(ctx.service.setFloor(0.5, gp, 'because I say so')).rejects.toMatchObject({ code: 'forbidden' })
    const r = await ctx.service.setFloor(0.5, cardio, 'pilot study with a second reader')
    expect(r.floor.minSensitivity).toBe(0.5)
    expect((await ctx.service.apply('triage-tier3', { urgent: 0.45 }, gp)).check.ok).toBe(true) // 3/5 = 0.6 >= 0.5
  })

  it('reloads versions and floor from disk; a corrupt store is reported by file name and left untouched', async () => {
    await ctx.service.apply('triage-tier3', { urgent: 0.19 }, gp)
    const file = join(ctx.dir, 'thresholds.json')
    const again = new ThresholdService({ file, models: new OneModelPort(refOf(tierManifest())), evaluator: new Evaluator(new TableOutputs(new Map()), 'mean-probability'), labels: new LabelStore(join(ctx.dir, 'labels.json')), audit: ctx.audit })
    await again.init()
    expect(again.current('triage-tier3')!.values.urgent).toBe(0.19)
    writeFileSync(file, '{"schemaVersion": 1, "floor": {')
    const broken = new ThresholdService({ file, models: new OneModelPort(refOf(tierManifest())), evaluator: new Evaluator(new TableOutputs(new Map()), 'mean-probability'), labels: new LabelStore(join(ctx.dir, 'labels.json')), audit: ctx.audit })
    await expect(broken.init()).rejects.toThrow(/thresholds\.json: not valid JSON.*left untouched/)
    expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "floor": {')
  })
})

describe('threshold service without urgent cases in the test set', () => {
  it('allows lowering the urgent threshold (cannot reduce sensitivity) but not raising it', async () => {
    const { service } = await setup({ withUrgentCases: false })
    const lower = await service.apply('triage-tier3', { urgent: 0.3 }, gp)
    expect(lower.check.ok).toBe(true)
    expect(lower.check.message).toMatch(/no 'urgent' cases.*not raised \(0.5 -> 0.3\)/)
    await expect(service.apply('triage-tier3', { urgent: 0.6 }, gp)).rejects.toThrow(/cannot be verified/)
  })
})
