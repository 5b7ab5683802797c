import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EcgApi } from '@shared/contract'
import type { AnalysisResult } from '@shared/contract/analysis'
import { setApi } from '../../src/renderer/src/api'
import { verifyChain } from '../../src/renderer/src/db/audit'
import { setDb, WorkstationDb } from '../../src/renderer/src/db/schema'
import { useCaseStore } from '../../src/renderer/src/stores/caseView'
import { defaultViewFor, useProfileStore } from '../../src/renderer/src/stores/profile'
import { TRIAGE_BATCH, useWorklistStore } from '../../src/renderer/src/stores/worklist'
import { recordId, result, summary } from './fixtures'

// A contract-shaped API double for store tests: records come from `summary()`, analyses from `plan`.
type Listener = (p: unknown) => void
function apiDouble(plan: Map<string, AnalysisResult | string>) {
  const listeners = new Set<Listener>()
  const calls: { channel: string; req: unknown }[] = []
  const api = {
    'records:importPaths': async (req: { paths: string[] }) => {
      calls.push({ channel: 'records:importPaths', req })
      return {
        outcomes: req.paths.map((p) =>
          p.endsWith('.bad') ? { ok: false, file: p, code: 'malformed-header', message: `${p}: bad header line 1` } : { ok: true, file: p, value: summary(Number(p.replace(/\D/g, ''))) },
        ),
      }
    },
    'inference:analyze': async (req: { jobId: string; recordIds: string[] }) => {
      calls.push({ channel: 'inference:analyze', req })
      req.recordIds.forEach((id, i) => listeners.forEach((l) => l({ jobId: req.jobId, done: i + 1, total: req.recordIds.length })))
      return {
        cancelled: false,
        results: req.recordIds.map((id) => {
          const r = plan.get(id)
          return typeof r === 'string' || !r ? { ok: false, recordId: id, message: r ?? 'no plan' } : { ok: true, recordId: id, result: r }
        }),
      }
    },
    'records:get': async (req: { id: string }) => ({ ...summary(1), id: req.id, signals: Array.from({ length: 12 }, () => new Float32Array(5000)) }),
    'inference:explain': async (req: { recordId: string; target: { role: string; classIndex: number } }) => ({
      recordId: req.recordId, target: req.target, label: 'x', cam: new Float32Array(5000).fill(0.5), samplingRateHz: 500, leadAttribution: new Array(12).fill(0.1),
    }),
    on: (_e: string, l: Listener) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  }
  return { api: api as unknown as EcgApi, calls, listeners }
}

let db: WorkstationDb
let n = 0
beforeEach(async () => {
  setActivePinia(createPinia())
  db = new WorkstationDb(`stores-${++n}`)
  setDb(db)
  await useProfileStore().saveProfile('Dr Smit', 'cardiologist')
})
afterEach(async () => {
  setApi(null)
  setDb(null)
  db.close()
  await Dexie.delete(db.name)
})

describe('worklist store', () => {
  it('imports, reports per-file failures, triages in batches and orders urgent, needs-read, then by time', async () => {
    const plan = new Map<string, AnalysisResult | string>([
      [recordId(1), result(1, 'normal')],
      [recordId(2), result(2, 'urgent')],
      [recordId(3), result(3, 'non-urgent', { needsHumanRead: true })],
      [recordId(4), 'model failed: input has NaN'],
    ])
    for (let i = 5; i <= 12; i++) plan.set(recordId(i), result(i, 'non-urgent'))
    const { api, calls } = apiDouble(plan)
    setApi(api)
    const wl = useWorklistStore()
    const paths = [...Array.from({ length: 12 }, (_, i) => `/d/${i + 1}`), '/d/x.bad']
    const report = await wl.importPaths(paths)
    expect(report).toEqual({ imported: 12, duplicates: 0, failed: [{ file: '/d/x.bad', message: '/d/x.bad: bad header line 1' }] })
    // triage runs in the background: wait until every case has left pending/running
    await expect.poll(() => wl.cases.every((c) => c.analysis === 'done' || c.analysis === 'failed')).toBe(true)
    const batches = calls.filter((c) => c.channel === 'inference:analyze')
    expect(batches.map((b) => (b.req as { recordIds: string[] }).recordIds.length)).toEqual([TRIAGE_BATCH, 12 - TRIAGE_BATCH])
    expect(wl.cases[0]!.id).toBe(recordId(2))
    expect(new Set(wl.cases.slice(1, 3).map((c) => c.id))).toEqual(new Set([recordId(3), recordId(4)]))
    expect(wl.cases.find((c) => c.id === recordId(4))).toMatchObject({ analysis: 'failed', analysisError: 'model failed: input has NaN' })
    expect(wl.cases.at(-1)!.tierKey).not.toBe('urgent')
    expect(wl.progress).toBeNull()
    // the in-memory order is the persisted order
    const again = useWorklistStore()
    await again.load()
    expect(again.cases.map((c) => c.id)).toEqual(wl.cases.map((c) => c.id))
    expect((await verifyChain(db)).ok).toBe(true)
  })
  it('re-importing the same record counts a duplicate, not a second case', async () => {
    const { api } = apiDouble(new Map([[recordId(1), result(1, 'normal')]]))
    setApi(api)
    const wl = useWorklistStore()
    await wl.importPaths(['/d/1'])
    expect(await wl.importPaths(['/d/1'])).toMatchObject({ imported: 0, duplicates: 1 })
    expect(wl.cases).toHaveLength(1)
  })
  it('filters by tier, status and code, and moves the selection with next/previous', async () => {
    const plan = new Map<string, AnalysisResult | string>([
      [recordId(1), result(1, 'normal', { codes: [['1', 0.9]] })],
      [recordId(2), result(2, 'urgent', { codes: [['50', 0.8]] })],
      [recordId(3), result(3, 'urgent', { codes: [['50', 0.7], ['60', 0.6]] })],
    ])
    setApi(apiDouble(plan).api)
    const wl = useWorklistStore()
    await wl.importPaths(['/d/1', '/d/2', '/d/3'])
    await expect.poll(() => wl.cases.every((c) => c.analysis === 'done')).toBe(true)
    wl.filters.tier = 'urgent'
    expect(wl.visible.map((c) => c.id)).toEqual([recordId(2), recordId(3)])
    wl.filters.code = '60'
    expect(wl.visible.map((c) => c.id)).toEqual([recordId(3)])
    wl.filters = { tier: '', status: 'triaged', code: '' }
    expect(wl.visible).toHaveLength(3)
    expect(wl.move(1)).toBe(recordId(2))
    expect(wl.move(1)).toBe(recordId(3))
    expect(wl.move(1)).toBe(recordId(1))
    expect(wl.move(1)).toBe(recordId(1))
    expect(wl.move(-1)).toBe(recordId(3))
  })
})

describe('case store', () => {
  it('opens a case with its record and triage explanation, then confirm + sign update the worklist row', async () => {
    setApi(apiDouble(new Map([[recordId(7), result(7, 'urgent', { codes: [['50', 0.8]] })]])).api)
    const wl = useWorklistStore()
    await wl.importPaths(['/d/7'])
    await expect.poll(() => wl.cases[0]?.analysis).toBe('done')
    const cs = useCaseStore()
    await cs.open(recordId(7))
    expect(cs.record!.signals).toHaveLength(12)
    await expect.poll(() => cs.explanation?.target).toEqual({ role: 'tier', classIndex: 2 })
    expect(cs.heatmap).toMatchObject({ label: 'Urgent', opacity: 0.45 })
    cs.heatmapOn = false
    expect(cs.heatmap).toBeNull()
    expect(await cs.sign('Dr Smit')).toBe(false)
    expect(cs.actionError).toMatch(/before signing/)
    expect(await cs.overread('confirm')).toBe(true)
    expect(await cs.sign('Dr Smit')).toBe(true)
    expect(wl.cases[0]).toMatchObject({ status: 'signed', signedBy: 'Dr Smit', urgency: 4 })
    expect(cs.audit.map((e) => e.action)).toEqual(['case.import', 'case.analyze', 'overread.confirm', 'overread.sign'])
    expect(cs.audit.every((e) => e.role === 'cardiologist' && e.user === 'Dr Smit')).toBe(true)
  })

  it('keeps the last time-caliper segment as the selection; amplitude and cell-less drags leave it', () => {
    const cs = useCaseStore()
    expect(cs.caliperSelection).toBeNull()
    cs.addMeasurement({ kind: 'time', ms: 800, bpm: 75, lead: 'aVL', startS: 2.9, endS: 3.7 })
    cs.addMeasurement({ kind: 'amplitude', mv: 1, lead: 'V1' })
    cs.addMeasurement({ kind: 'time', ms: 400, bpm: 150 })
    expect(cs.caliperSelection).toEqual({ startS: 2.9, endS: 3.7, lead: 'aVL' })
    expect(cs.measurements).toHaveLength(3)
  })
})

describe('profile store', () => {
  it('maps roles to default views and persists display settings, rejecting invalid values', async () => {
    expect([defaultViewFor('gp'), defaultViewFor('cardiologist'), defaultViewFor('annotator')]).toEqual(['stage1', 'stage2', 'annotate'])
    const p = useProfileStore()
    await p.saveDisplay({ layout: '6x2', speed: 50, gain: 7 as never })
    setActivePinia(createPinia())
    const fresh = useProfileStore()
    await fresh.load()
    expect(fresh.display).toMatchObject({ layout: '6x2', speed: 50, gain: 10 })
    expect(fresh.actor).toEqual({ user: 'Dr Smit', role: 'cardiologist' })
    await expect(fresh.saveProfile('   ', 'gp')).rejects.toThrow(/name is required/)
  })
})

describe('case store, background result', () => {
  it('shows a result that arrives while the case is open, with its triage explanation', async () => {
    const plan = new Map<string, AnalysisResult | string>()
    setApi(apiDouble(plan).api)
    const wl = useWorklistStore()
    plan.set(recordId(9), 'models still loading')
    await wl.importPaths(['/d/9'])
    await expect.poll(() => wl.cases[0]?.analysis).toBe('failed')
    const cs = useCaseStore()
    await cs.open(recordId(9))
    expect(cs.result).toBeNull()
    plan.set(recordId(9), result(9, 'non-urgent'))
    await wl.triage([recordId(9)])
    await cs.refreshResult()
    expect(cs.result?.tier.key).toBe('non-urgent')
    expect(cs.row?.status).toBe('triaged')
    await expect.poll(() => cs.explanation?.target).toEqual({ role: 'tier', classIndex: 1 })
  })
})
