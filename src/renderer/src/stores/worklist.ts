/**
 * The worklist: every case (summary + latest AI facts, no samples), imports, and background triage.
 * Cases live in IndexedDB; this store keeps them in memory in worklist order (5,000 rows of small objects),
 * and the list component renders only the visible rows.
 */
import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import { useApi } from '../api'
import { addImportedCase, saveAnalysis, saveAnalysisFailure, setAnalysisState } from '../db/cases'
import { useDb } from '../db/schema'
import type { CaseRow, CaseStatus } from '../db/types'
import { compareCases, tierRank } from '../domain/tiers'
import { useProfileStore } from './profile'

/** Records per inference call: results land in the worklist batch by batch rather than all at the end. */
export const TRIAGE_BATCH = 8

export interface Filters {
  tier: string
  status: '' | CaseStatus
  code: string
}

export interface ImportReport {
  imported: number
  duplicates: number
  failed: { file: string; message: string }[]
}

type Outcome = { ok: true; file: string; value: CaseRow['summary'] } | { ok: false; file: string; code: string; message: string }

/** Filter predicate: tier matches the clinician's tier once reviewed, else the AI's. */
export function matchesFilters(c: CaseRow, f: Filters): boolean {
  if (f.status && c.status !== f.status) return false
  if (f.tier) {
    const tier = c.review?.tierKey ?? c.tierKey
    if (f.tier === 'needs-read' ? !(c.needsHumanRead || c.analysis === 'failed') : tier !== f.tier) return false
  }
  if (f.code.trim() && !c.codes.includes(f.code.trim())) return false
  return true
}

let jobCounter = 0

export const useWorklistStore = defineStore('worklist', {
  state: () => ({
    cases: [] as CaseRow[],
    filters: { tier: '', status: '', code: '' } as Filters,
    selectedId: null as string | null,
    importing: false,
    lastImport: null as ImportReport | null,
    progress: null as { done: number; total: number } | null,
    error: null as string | null,
  }),
  getters: {
    visible(state): CaseRow[] {
      const f = state.filters
      return !f.tier && !f.status && !f.code.trim() ? state.cases : state.cases.filter((c) => matchesFilters(c, f))
    },
    selectedIndex(): number {
      return this.selectedId === null ? -1 : this.visible.findIndex((c) => c.id === this.selectedId)
    },
    /** Tier keys present, most severe first, for the tier filter. */
    tierKeys(state): string[] {
      const keys = new Set<string>()
      for (const c of state.cases) if (c.tierKey) keys.add(c.review?.tierKey ?? c.tierKey)
      return [...keys].sort((a, b) => tierRank(b) - tierRank(a))
    },
  },
  actions: {
    async load(): Promise<void> {
      const rows = await useDb().cases.orderBy('[urgency+importedAt]').toArray()
      // rows are plain data: markRaw keeps Vue from deep-proxying 5,000 summaries
      this.cases = rows.sort(compareCases).map((r) => markRaw(r))
    },
    upsert(row: CaseRow): void {
      const i = this.cases.findIndex((c) => c.id === row.id)
      if (i >= 0) this.cases.splice(i, 1)
      // insert in order (binary search): keeps a live import O(n) per row instead of a full sort
      let lo = 0
      let hi = this.cases.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (compareCases(this.cases[mid]!, row) <= 0) lo = mid + 1
        else hi = mid
      }
      this.cases.splice(lo, 0, markRaw(row))
    },
    async importPaths(paths: string[]): Promise<ImportReport> {
      return this.runImport(() => useApi()['records:importPaths']({ paths }))
    },
    async importFiles(files: { name: string; bytes: Uint8Array<ArrayBuffer> }[]): Promise<ImportReport> {
      return this.runImport(() => useApi()['records:importFiles']({ files }))
    },
    /** Native dialog (Electron); returns false where there is none (browser host). */
    async importWithDialog(directory: boolean): Promise<boolean> {
      const r = await useApi()['dialog:openPaths']({ directory })
      if (!r.supported) return false
      if (r.paths.length > 0) await this.importPaths(r.paths)
      return true
    },
    async runImport(call: () => Promise<{ outcomes: Outcome[] }>): Promise<ImportReport> {
      const actor = useProfileStore().actor
      this.importing = true
      this.error = null
      const report: ImportReport = { imported: 0, duplicates: 0, failed: [] }
      const fresh: string[] = []
      try {
        const { outcomes } = await call()
        const db = useDb()
        for (const o of outcomes) {
          if (!o.ok) {
            report.failed.push({ file: o.file, message: o.message })
            continue
          }
          try {
            const row = await addImportedCase(db, o.value, actor)
            if (!row) report.duplicates++
            else {
              report.imported++
              fresh.push(row.id)
              this.upsert(row)
            }
          } catch (err) {
            report.failed.push({ file: o.file, message: (err as Error).message })
          }
        }
      } catch (err) {
        this.error = (err as Error).message
        report.failed.push({ file: '(import)', message: (err as Error).message })
      } finally {
        this.importing = false
        this.lastImport = report
      }
      if (fresh.length > 0) void this.triage(fresh)
      return report
    },
    /** Analyse cases in batches; each batch's results are stored (with audit) as soon as they arrive. */
    async triage(ids: string[]): Promise<void> {
      const api = useApi()
      const db = useDb()
      const actor = useProfileStore().actor
      const total = ids.length
      let base = 0
      this.progress = { done: 0, total }
      for (let start = 0; start < ids.length; start += TRIAGE_BATCH) {
        const batch = ids.slice(start, start + TRIAGE_BATCH)
        const jobId = `triage-${Date.now()}-${++jobCounter}`
        await setAnalysisState(db, batch, 'running')
        for (const id of batch) this.patchLocal(id, { analysis: 'running' })
        const off = api.on('inference:progress', (p) => {
          if (p.jobId === jobId) this.progress = { done: base + p.done, total }
        })
        try {
          const { results } = await api['inference:analyze']({ jobId, recordIds: batch })
          for (const r of results) {
            if (r.ok) this.upsert(await saveAnalysis(db, r.result, actor))
            else await this.fail(r.recordId, r.message)
          }
        } catch (err) {
          for (const id of batch) await this.fail(id, (err as Error).message)
        } finally {
          off()
        }
        base += batch.length
        this.progress = { done: base, total }
      }
      this.progress = null
    },
    async fail(id: string, message: string): Promise<void> {
      const db = useDb()
      await saveAnalysisFailure(db, id, message, useProfileStore().actor)
      const row = await db.cases.get(id)
      if (row) this.upsert(row)
    },
    /** Cases left pending by a closed window are triaged again on start. */
    async resumePending(): Promise<void> {
      const ids = this.cases.filter((c) => c.analysis === 'pending' || c.analysis === 'running').map((c) => c.id)
      if (ids.length > 0) await this.triage(ids)
    },
    patchLocal(id: string, patch: Partial<CaseRow>): void {
      const i = this.cases.findIndex((c) => c.id === id)
      if (i >= 0) this.cases.splice(i, 1, markRaw({ ...this.cases[i]!, ...patch }))
    },
    select(id: string | null): void {
      this.selectedId = id
    },
    /** Move the selection by `step` in the visible order; returns the newly selected case id. */
    move(step: number): string | null {
      const list = this.visible
      if (list.length === 0) return null
      const i = this.selectedIndex
      const next = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step))
      this.selectedId = list[next]!.id
      return this.selectedId
    },
  },
})
