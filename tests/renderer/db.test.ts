import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendAudit, canonicalJson, verifyChain } from '../../src/renderer/src/db/audit'
import { addAnnotation, addImportedCase, CaseError, recordOverread, saveAnalysis, signCase } from '../../src/renderer/src/db/cases'
import { SCHEMA_V1, WorkstationDb } from '../../src/renderer/src/db/schema'
import type { Actor } from '../../src/renderer/src/db/types'
import { recordId, result, summary } from './fixtures'

const gp: Actor = { user: 'Dr Jansen', role: 'gp' }
let db: WorkstationDb
let n = 0

beforeEach(async () => {
  db = new WorkstationDb(`test-db-${++n}`)
  await db.open()
})
afterEach(async () => {
  db.close()
  await Dexie.delete(db.name)
})

describe('audit chain', () => {
  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }))
  })
  it('links each entry to the previous one and verifies an untouched chain', async () => {
    const a = await appendAudit(db, { at: 't1', ...gp, action: 'case.import', caseId: 'c1', modelVersion: null, thresholds: null, details: {} })
    const b = await appendAudit(db, { at: 't2', ...gp, action: 'overread.confirm', caseId: 'c1', modelVersion: 'm@1', thresholds: { urgent: 0.3 }, details: { x: 1 } })
    expect(a.prevHash).toBe('0'.repeat(64))
    expect(b.prevHash).toBe(a.hash)
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await verifyChain(db)).toEqual({ ok: true, count: 2 })
  })
  it('detects a changed entry, a removed entry and a truncated tail', async () => {
    for (let i = 0; i < 4; i++) await appendAudit(db, { at: `t${i}`, ...gp, action: 'case.import', caseId: `c${i}`, modelVersion: null, thresholds: null, details: { i } })
    const entries = await db.auditLog.orderBy('seq').toArray()
    await db.auditLog.update(entries[1]!.seq!, { details: { i: 99 } })
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: entries[1]!.seq, reason: expect.stringContaining('changed') })
    await db.auditLog.put(entries[1]!)
    expect((await verifyChain(db)).ok).toBe(true)
    await db.auditLog.delete(entries[2]!.seq!)
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: entries[3]!.seq, reason: expect.stringContaining('removed') })
    await db.auditLog.put(entries[2]!)
    await db.auditLog.delete(entries[3]!.seq!)
    expect(await verifyChain(db)).toMatchObject({ ok: false, reason: expect.stringContaining('cut short') })
  })
})

describe('case lifecycle', () => {
  it('imports a case with its audit entry, and ignores a duplicate', async () => {
    expect(await addImportedCase(db, summary(1), gp)).toMatchObject({ status: 'new', analysis: 'pending', urgency: 2 })
    expect(await addImportedCase(db, summary(1), gp)).toBeNull()
    expect(await db.cases.count()).toBe(1)
    expect(await db.auditLog.where('action').equals('case.import').count()).toBe(1)
  })
  it('a failed import leaves no half case: the case write rolls back with its audit entry', async () => {
    db.auditLog.hook('creating', () => {
      throw new Error('disk full')
    })
    await expect(addImportedCase(db, summary(2), gp)).rejects.toThrow('disk full')
    expect(await db.cases.count()).toBe(0)
    expect(await db.auditLog.count()).toBe(0)
  })
  it('stores an analysis, then confirm + sign move the case through its states with audit entries', async () => {
    await addImportedCase(db, summary(3), gp)
    const triaged = await saveAnalysis(db, result(3, 'urgent', { codes: [['50', 0.7], ['1', 0.2]] }), gp)
    expect(triaged).toMatchObject({ status: 'triaged', tierKey: 'urgent', urgency: 0, codes: ['50'], heartRate: 63, modelVersion: 'triage-tier3@1.0.0, aha-codes@1.0.0' })
    await expect(signCase(db, recordId(3), 'Dr Jansen', gp)).rejects.toMatchObject({ code: 'not-reviewed' })
    const reviewed = await recordOverread(db, recordId(3), 'confirm', {}, gp)
    expect(reviewed.review).toMatchObject({ action: 'confirm', tierKey: 'urgent', codes: ['50'], by: 'Dr Jansen' })
    await expect(signCase(db, recordId(3), 'Someone Else', gp)).rejects.toMatchObject({ code: 'name-mismatch' })
    const signed = await signCase(db, recordId(3), 'dr jansen', gp)
    expect(signed).toMatchObject({ status: 'signed', signedBy: 'Dr Jansen', urgency: 4 })
    await expect(recordOverread(db, recordId(3), 'reject', { tierKey: 'normal', note: 'x' }, gp)).rejects.toBeInstanceOf(CaseError)
    const actions = (await db.auditLog.where('caseId').equals(recordId(3)).sortBy('seq')).map((e) => e.action)
    expect(actions).toEqual(['case.import', 'case.analyze', 'overread.confirm', 'overread.sign'])
    const confirm = (await db.auditLog.where('action').equals('overread.confirm').first())!
    expect(confirm).toMatchObject({ user: 'Dr Jansen', role: 'gp', modelVersion: 'triage-tier3@1.0.0, aha-codes@1.0.0', thresholds: { urgent: 0.3 } })
    expect(await verifyChain(db)).toEqual({ ok: true, count: 4 })
  })
  it('an edit replaces tier and codes, a reject needs a reason; neither changes the stored AI result', async () => {
    await addImportedCase(db, summary(4), gp)
    await saveAnalysis(db, result(4, 'normal'), gp)
    await expect(recordOverread(db, recordId(4), 'reject', { tierKey: 'urgent', note: '  ' }, gp)).rejects.toThrow(/say why/)
    const edited = await recordOverread(db, recordId(4), 'edit', { tierKey: 'urgent', codes: ['50', '60'] }, gp)
    expect(edited).toMatchObject({ tierKey: 'normal', codes: ['50', '60'], urgency: 0, review: { tierKey: 'urgent' } })
    expect((await db.results.get(edited.resultId!))!.result.tier.key).toBe('normal')
  })
  it('annotations are validated and audited', async () => {
    await addImportedCase(db, summary(5), gp)
    await expect(addAnnotation(db, { caseId: recordId(5), start_s: 2, end_s: 1, leads: ['II'], note: '', ai_wrong: false }, gp)).rejects.toThrow(/must be after/)
    const a = await addAnnotation(db, { caseId: recordId(5), start_s: 1.2, end_s: 1.6, leads: ['V1', 'V2'], code: '50', note: 'ST elevation', ai_wrong: true }, gp)
    expect(a.id).toBeGreaterThan(0)
    expect(await db.auditLog.where('action').equals('annotation.add').count()).toBe(1)
  })
})

describe('schema migration', () => {
  it('v1 -> v2 computes the urgency of existing cases and serves the [urgency+importedAt] index', async () => {
    const name = `migrate-${++n}`
    const v1 = new Dexie(name)
    v1.version(1).stores(SCHEMA_V1)
    await v1.table('cases').bulkAdd([
      { id: 'a', summary: summary(1), importedAt: '2026-01-01T00:00:01Z', status: 'triaged', analysis: 'done', tierKey: 'normal' },
      { id: 'b', summary: summary(2), importedAt: '2026-01-01T00:00:02Z', status: 'triaged', analysis: 'done', tierKey: 'urgent' },
      { id: 'c', summary: summary(3), importedAt: '2026-01-01T00:00:03Z', status: 'new', analysis: 'pending' },
    ])
    v1.close()
    const v2 = new WorkstationDb(name)
    await v2.open()
    expect(v2.verno).toBe(2)
    const ordered = await v2.cases.orderBy('[urgency+importedAt]').toArray()
    expect(ordered.map((c) => [c.id, c.urgency])).toEqual([['b', 0], ['c', 2], ['a', 3]])
    expect(ordered[0]!.flagKinds).toEqual([])
    v2.close()
    await Dexie.delete(name)
  })
})
