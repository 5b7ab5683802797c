/**
 * The open case: its row, latest AI result, the record's samples (from main's signal store, never IndexedDB),
 * the explanation being shown, caliper measurements, annotations and the case's audit trail. Over-read actions
 * go through db/cases (one transaction with the audit entry) and update the worklist row.
 */
import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import type { AnalysisResult, Explanation, ExplainTarget } from '@shared/contract/analysis'
import { useApi } from '../api'
import { tierLabel } from '../domain/format'
import { verifyChain, type ChainReport } from '../db/audit'
import { addAnnotation, latestResult, recordOverread, signCase, type OverreadInput } from '../db/cases'
import { useDb } from '../db/schema'
import type { AnnotationRow, AuditEntry, CaseRow, OverreadAction, RecordSummary } from '../db/types'
import { useProfileStore } from './profile'
import { useWorklistStore } from './worklist'

export interface LoadedRecord extends RecordSummary {
  /** (leads.length) x (length), millivolts. */
  signals: Float32Array[]
}

/** What the viewer's calipers report; kept loose so the viewer can add fields. */
export interface Measurement {
  kind: string
  [key: string]: unknown
}

/** The record segment the last time-caliper drag spanned, for the annotation form. */
export interface CaliperSelection {
  startS: number
  endS: number
  lead?: string
}

/** The segment in a time measurement, or null when it has none (amplitude, or a drag outside every cell). */
export function caliperSelectionOf(m: Measurement): CaliperSelection | null {
  const { kind, startS, endS, lead } = m
  if (kind !== 'time' || typeof startS !== 'number' || typeof endS !== 'number' || !Number.isFinite(startS) || !Number.isFinite(endS)) return null
  return typeof lead === 'string' ? { startS, endS, lead } : { startS, endS }
}

let openSeq = 0

export const useCaseStore = defineStore('case', {
  state: () => ({
    caseId: null as string | null,
    row: null as CaseRow | null,
    result: null as AnalysisResult | null,
    record: null as LoadedRecord | null,
    loading: false,
    error: null as string | null,
    explainTarget: null as (ExplainTarget & { label: string }) | null,
    explanation: null as Explanation | null,
    explaining: false,
    explainError: null as string | null,
    heatmapOn: true,
    measurements: [] as Measurement[],
    caliperSelection: null as CaliperSelection | null,
    annotations: [] as AnnotationRow[],
    audit: [] as AuditEntry[],
    chain: null as ChainReport | null,
    actionError: null as string | null,
  }),
  getters: {
    heatmap(state): { cam: Float32Array; opacity: number; label: string } | null {
      if (!state.heatmapOn || !state.explanation || !state.explainTarget) return null
      return { cam: state.explanation.cam, opacity: useProfileStore().display.heatmapOpacity, label: state.explainTarget.label }
    },
  },
  actions: {
    async open(id: string): Promise<void> {
      const seq = ++openSeq // a newer open() wins when the user moves quickly through cases
      const db = useDb()
      Object.assign(this, { caseId: id, loading: true, error: null, record: null, explanation: null, explainTarget: null, explainError: null, measurements: [], caliperSelection: null, actionError: null, chain: null })
      try {
        const row = await db.cases.get(id)
        if (!row) throw new Error(`case ${id} not found`)
        const result = await latestResult(db, row)
        if (seq !== openSeq) return
        this.row = row
        this.result = result ? markRaw(result) : null
        await this.refreshSide()
        const record = await useApi()['records:get']({ id })
        if (seq !== openSeq) return
        this.record = markRaw(record)
        // the triage explanation is what a GP needs first: show it without a click
        if (result) void this.explain({ role: 'tier', classIndex: result.tier.index }, tierLabel(result.tier.key))
      } catch (err) {
        if (seq === openSeq) this.error = (err as Error).message
      } finally {
        if (seq === openSeq) this.loading = false
      }
    },
    /** The open case was analysed (or re-analysed) in the background: show the new result without reopening. */
    async refreshResult(): Promise<void> {
      if (!this.caseId) return
      const id = this.caseId
      const db = useDb()
      const row = await db.cases.get(id)
      if (!row || this.caseId !== id) return
      const result = await latestResult(db, row)
      const isNew = result !== null && row.resultId !== this.row?.resultId
      this.row = row
      this.result = result ? markRaw(result) : null
      await this.refreshSide()
      if (isNew && result && !this.explainTarget) void this.explain({ role: 'tier', classIndex: result.tier.index }, tierLabel(result.tier.key))
    },
    async refreshSide(): Promise<void> {
      if (!this.caseId) return
      const db = useDb()
      this.annotations = await db.annotations.where('caseId').equals(this.caseId).sortBy('start_s')
      this.audit = await db.auditLog.where('caseId').equals(this.caseId).sortBy('seq')
    },
    async explain(target: ExplainTarget, label: string): Promise<void> {
      if (!this.caseId) return
      const id = this.caseId
      this.explainTarget = { ...target, label }
      this.explaining = true
      this.explainError = null
      try {
        const e = await useApi()['inference:explain']({ recordId: id, target })
        if (this.caseId === id && this.explainTarget?.role === target.role && this.explainTarget.classIndex === target.classIndex) {
          this.explanation = markRaw(e)
          this.heatmapOn = true
        }
      } catch (err) {
        this.explainError = (err as Error).message
      } finally {
        this.explaining = false
      }
    },
    addMeasurement(m: Measurement): void {
      this.measurements = [...this.measurements.slice(-19), m]
      const sel = caliperSelectionOf(m)
      if (sel) this.caliperSelection = sel
    },
    async overread(action: OverreadAction, input: OverreadInput = {}): Promise<boolean> {
      return this.act(() => recordOverread(useDb(), this.caseId!, action, input, useProfileStore().actor))
    },
    async sign(typedName: string): Promise<boolean> {
      return this.act(() => signCase(useDb(), this.caseId!, typedName, useProfileStore().actor))
    },
    async act(write: () => Promise<CaseRow>): Promise<boolean> {
      this.actionError = null
      try {
        const row = await write()
        this.row = row
        useWorklistStore().upsert(row)
        await this.refreshSide()
        return true
      } catch (err) {
        this.actionError = (err as Error).message
        return false
      }
    },
    async annotate(seg: Omit<AnnotationRow, 'id' | 'createdAt' | 'user' | 'caseId'>): Promise<boolean> {
      this.actionError = null
      try {
        await addAnnotation(useDb(), { ...seg, caseId: this.caseId! }, useProfileStore().actor)
        await this.refreshSide()
        return true
      } catch (err) {
        this.actionError = (err as Error).message
        return false
      }
    },
    async verify(): Promise<ChainReport> {
      this.chain = await verifyChain(useDb())
      return this.chain
    },
  },
})
