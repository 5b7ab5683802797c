/**
 * Case lifecycle writes. Every state change and its audit entry are written in ONE transaction: either both
 * land or neither does (an import that fails half-way leaves no case; an over-read without its audit entry
 * cannot exist).
 */
import type { AnalysisResult } from '@shared/contract/analysis'
import { urgencyOf } from '../domain/tiers'
import { appendAudit } from './audit'
import type { WorkstationDb } from './schema'
import type { Actor, AnnotationRow, CaseRow, OverreadAction, RecordSummary, ResultRow } from './types'

export type CaseErrorCode = 'not-found' | 'no-result' | 'signed' | 'not-reviewed' | 'name-mismatch' | 'invalid'

export class CaseError extends Error {
  constructor(readonly code: CaseErrorCode, readonly caseId: string, detail: string) {
    super(`case ${caseId.slice(0, 12)}: ${detail}`)
    this.name = 'CaseError'
  }
}

/** "triage-tier3@1.0.0, aha-codes@1.0.0": the versions that produced a result, as the audit log records them. */
export function modelVersionOf(result: AnalysisResult): string {
  return result.provenance.models.map((m) => `${m.id}@${m.version}`).join(', ')
}

function withUrgency(c: CaseRow): CaseRow {
  return { ...c, urgency: urgencyOf(c) }
}

/** Add an imported record as a new case. Returns null when the record is already in the worklist. */
export async function addImportedCase(db: WorkstationDb, summary: RecordSummary, actor: Actor, now = new Date()): Promise<CaseRow | null> {
  return db.transaction('rw', db.cases, db.auditLog, db.settings, async () => {
    if (await db.cases.get(summary.id)) return null
    const row = withUrgency({ id: summary.id, summary, importedAt: now.toISOString(), status: 'new', analysis: 'pending', flagKinds: [], codes: [], urgency: 0 })
    await db.cases.add(row)
    await appendAudit(db, {
      at: now.toISOString(), ...actor, action: 'case.import', caseId: summary.id, modelVersion: null, thresholds: null,
      details: { name: summary.name, format: summary.format, sourceFiles: summary.sourceFiles },
    })
    return row
  })
}

export async function setAnalysisState(db: WorkstationDb, ids: readonly string[], state: 'pending' | 'running'): Promise<void> {
  await db.transaction('rw', db.cases, async () => {
    for (const id of ids) await db.cases.update(id, { analysis: state })
  })
}

/** Store an AI result as the case's latest and move a new case to 'triaged' (reviewed/signed cases keep their status). */
export async function saveAnalysis(db: WorkstationDb, result: AnalysisResult, actor: Actor): Promise<CaseRow> {
  return db.transaction('rw', [db.cases, db.results, db.auditLog, db.settings], async () => {
    const c = await db.cases.get(result.recordId)
    if (!c) throw new CaseError('not-found', result.recordId, 'analysed record is not in the worklist')
    const resultId = await db.results.add({ recordId: result.recordId, createdAt: result.createdAt, result } satisfies ResultRow)
    const positives = result.codes.filter((k) => k.positive).map((k) => k.code)
    const next = withUrgency({
      ...c,
      resultId,
      analysis: 'done',
      analysisError: undefined,
      status: c.status === 'new' ? 'triaged' : c.status,
      tierKey: result.tier.key,
      confidence: result.tier.confidence,
      needsHumanRead: result.needsHumanRead,
      flagKinds: [...new Set(result.flags.map((f) => f.kind))],
      codes: c.review ? c.review.codes : positives,
      heartRate: result.heartRate.bpm,
      modelVersion: modelVersionOf(result),
    })
    await db.cases.put(next)
    await appendAudit(db, {
      at: new Date().toISOString(), ...actor, action: 'case.analyze', caseId: c.id, modelVersion: next.modelVersion ?? null,
      thresholds: result.provenance.thresholds,
      details: { tier: result.tier.key, confidence: result.tier.confidence, codes: positives, needsHumanRead: result.needsHumanRead, flags: next.flagKinds, resultId },
    })
    return next
  })
}

export async function saveAnalysisFailure(db: WorkstationDb, caseId: string, message: string, actor: Actor): Promise<void> {
  await db.transaction('rw', db.cases, db.auditLog, db.settings, async () => {
    const c = await db.cases.get(caseId)
    if (!c) return
    await db.cases.put(withUrgency({ ...c, analysis: 'failed', analysisError: message }))
    await appendAudit(db, { at: new Date().toISOString(), ...actor, action: 'case.analyze-failed', caseId, modelVersion: null, thresholds: null, details: { message } })
  })
}

export async function latestResult(db: WorkstationDb, c: CaseRow): Promise<AnalysisResult | null> {
  return c.resultId === undefined ? null : ((await db.results.get(c.resultId))?.result ?? null)
}

export interface OverreadInput {
  tierKey?: string
  codes?: string[]
  note?: string
}

/** Confirm, edit or reject the AI result. The AI result itself is never changed; the review sits beside it. */
export async function recordOverread(db: WorkstationDb, caseId: string, action: OverreadAction, input: OverreadInput, actor: Actor, now = new Date()): Promise<CaseRow> {
  return db.transaction('rw', [db.cases, db.results, db.overreads, db.auditLog, db.settings], async () => {
    const c = await db.cases.get(caseId)
    if (!c) throw new CaseError('not-found', caseId, 'no such case')
    if (c.status === 'signed') throw new CaseError('signed', caseId, 'signed cases cannot be changed')
    const result = await latestResult(db, c)
    if (!result) throw new CaseError('no-result', caseId, 'there is no AI result to review yet')
    const aiCodes = result.codes.filter((k) => k.positive).map((k) => k.code)
    const tierKey = action === 'confirm' ? result.tier.key : input.tierKey
    const codes = action === 'confirm' ? aiCodes : (input.codes ?? aiCodes)
    if (!tierKey) throw new CaseError('invalid', caseId, `${action}: a tier is required`)
    if (action === 'reject' && !input.note?.trim()) throw new CaseError('invalid', caseId, 'reject: say why the AI result is wrong')
    const at = now.toISOString()
    const note = input.note?.trim() ?? ''
    await db.overreads.add({ caseId, at, user: actor.user, role: actor.role, action, tierKey, codes, note, resultId: c.resultId ?? null })
    const next = withUrgency({ ...c, status: 'reviewed', codes, review: { action, tierKey, codes, note, by: actor.user, at } })
    await db.cases.put(next)
    await appendAudit(db, {
      at, ...actor, action: `overread.${action}`, caseId, modelVersion: modelVersionOf(result), thresholds: result.provenance.thresholds,
      details: { from: { tier: result.tier.key, codes: aiCodes }, to: { tier: tierKey, codes }, note, resultId: c.resultId ?? null },
    })
    return next
  })
}

/** Sign a reviewed case. The typed name must match the signing user's profile name (a deliberate act). */
export async function signCase(db: WorkstationDb, caseId: string, typedName: string, actor: Actor, now = new Date()): Promise<CaseRow> {
  return db.transaction('rw', [db.cases, db.results, db.overreads, db.auditLog, db.settings], async () => {
    const c = await db.cases.get(caseId)
    if (!c) throw new CaseError('not-found', caseId, 'no such case')
    if (c.status === 'signed') throw new CaseError('signed', caseId, `already signed by ${c.signedBy}`)
    if (c.status !== 'reviewed' || !c.review) throw new CaseError('not-reviewed', caseId, 'confirm, edit or reject the AI result before signing')
    if (typedName.trim().toLowerCase() !== actor.user.trim().toLowerCase()) throw new CaseError('name-mismatch', caseId, 'the typed name does not match the signing user')
    const result = await latestResult(db, c)
    const at = now.toISOString()
    await db.overreads.add({ caseId, at, user: actor.user, role: actor.role, action: 'sign', tierKey: c.review.tierKey, codes: c.review.codes, note: '', resultId: c.resultId ?? null })
    const next = withUrgency({ ...c, status: 'signed', signedBy: actor.user, signedAt: at })
    await db.cases.put(next)
    await appendAudit(db, {
      at, ...actor, action: 'overread.sign', caseId, modelVersion: result ? modelVersionOf(result) : null, thresholds: result?.provenance.thresholds ?? null,
      details: { tier: c.review.tierKey, codes: c.review.codes, review: c.review.action },
    })
    return next
  })
}

export async function addAnnotation(db: WorkstationDb, row: Omit<AnnotationRow, 'id' | 'createdAt' | 'user'>, actor: Actor, now = new Date()): Promise<AnnotationRow> {
  if (!(row.end_s > row.start_s)) throw new CaseError('invalid', row.caseId, `annotation: end ${row.end_s} s must be after start ${row.start_s} s`)
  if (row.leads.length === 0) throw new CaseError('invalid', row.caseId, 'annotation: name at least one lead (or "all")')
  return db.transaction('rw', [db.cases, db.annotations, db.auditLog, db.settings], async () => {
    const c = await db.cases.get(row.caseId)
    if (!c) throw new CaseError('not-found', row.caseId, 'no such case')
    const full: AnnotationRow = { ...row, createdAt: now.toISOString(), user: actor.user }
    const id = await db.annotations.add(full)
    await appendAudit(db, {
      at: full.createdAt, ...actor, action: 'annotation.add', caseId: row.caseId, modelVersion: c.modelVersion ?? null, thresholds: null,
      details: { id, start_s: row.start_s, end_s: row.end_s, leads: row.leads, code: row.code ?? null, tier: row.tier ?? null, ai_wrong: row.ai_wrong },
    })
    return { ...full, id }
  })
}
