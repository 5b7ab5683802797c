/**
 * The clinician loop in the renderer: push local labels to main, evaluate a model on the frozen test split,
 * tune operating points (floor + cardiologist override), fine-tune / compare / activate / roll back, and export
 * annotation datasets. Every audit record main returns is mirrored into the Dexie audit log.
 */
import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import type { AnnotatedCase, AuditRecord, Evaluation, FinetuneStatus, FloorCheck, ModelVersionInfo, ThresholdVersion } from '@shared/contract/clinician'
import type { OperatingRule } from '@shared/metrics'
import { useApi } from '../api'
import { appendAudit } from '../db/audit'
import { useDb } from '../db/schema'
import type { AnnotationRow } from '../db/types'
import { labelOfCase } from './clinician-labels'
import { suggest } from './clinician-live'
import { useProfileStore } from './profile'

export interface Comparison {
  current: Evaluation
  candidate: Evaluation
  check: FloorCheck
}

let unsubscribe: (() => void) | null = null

export const useClinicianStore = defineStore('clinician', {
  state: () => ({
    modelId: 'triage-tier3',
    modelVersion: '',
    evaluation: null as Evaluation | null,
    values: {} as Record<string, number>,
    defaults: {} as Record<string, number>,
    active: null as ThresholdVersion | null,
    history: [] as ThresholdVersion[],
    floor: 0.9,
    target: '' as string,
    labelled: { train: 0, test: 0 },
    loading: false,
    error: null as string | null,
    notice: null as string | null,
    /** Set when an apply was refused by the floor: the override dialog shows it. */
    floorRefusal: null as string | null,
    job: null as FinetuneStatus | null,
    progress: [] as Array<{ epoch: number; loss: number; valMetric?: number }>,
    versions: [] as ModelVersionInfo[],
    comparison: null as Comparison | null,
    lastExport: null as string | null,
  }),
  actions: {
    async mirror(audit: AuditRecord): Promise<void> {
      await appendAudit(useDb(), {
        at: audit.at,
        user: audit.user,
        role: audit.role,
        action: `clinician.${audit.action}`,
        caseId: null,
        modelVersion: audit.subject,
        thresholds: null,
        details: { mainAuditId: audit.id, mainHash: audit.hash, from: audit.from ?? null, to: audit.to ?? null, ...(audit.override ? { override: audit.override } : {}) },
      })
    },
    fail(err: unknown): void {
      this.error = err instanceof Error ? err.message : String(err)
    },
    /** Labels from over-reads and source labels of every case in the worklist -> main's local labelled set. */
    async syncLabels(): Promise<number> {
      const cases = await useDb().cases.toArray()
      const items = cases.map(labelOfCase).filter((x): x is NonNullable<typeof x> => x !== null)
      if (items.length === 0) return 0
      const r = await useApi()['clinician:labels:put']({ items, actor: useProfileStore().actor })
      this.labelled = { train: r.train, test: r.test }
      if (r.audit) await this.mirror(r.audit)
      return items.length
    },
    async load(id?: string): Promise<void> {
      const modelId = id ?? this.modelId
      const api = useApi()
      this.loading = true
      this.error = null
      this.modelId = modelId
      try {
        await this.syncLabels()
        const info = await api['thresholds:get']({ modelId })
        Object.assign(this, { modelVersion: info.modelVersion, defaults: info.defaults, active: info.active, values: { ...info.effective }, floor: info.floor.minSensitivity })
        this.evaluation = markRaw(await api['clinician:evaluate']({ modelId, split: 'test' }))
        const keys = this.evaluation.targets.map((t) => t.key)
        if (!keys.includes(this.target)) this.target = keys[keys.length - 1] ?? ''
        this.history = (await api['thresholds:history']({ modelId })).versions
        this.versions = (await api['finetune:versions']({ modelId })).versions
      } catch (err) {
        this.fail(err)
      } finally {
        this.loading = false
      }
    },
    setValue(key: string, value: number): void {
      this.values = { ...this.values, [key]: Math.min(1, Math.max(0, value)) }
    },
    useRule(rule: OperatingRule): void {
      if (!this.evaluation) return
      const r = suggest(this.evaluation, this.target, rule)
      if ('error' in r) this.error = r.error
      else this.setValue(this.target, r.threshold)
    },
    async apply(override?: string): Promise<boolean> {
      this.error = null
      this.notice = null
      try {
        const r = await useApi()['thresholds:apply']({ modelId: this.modelId, values: this.values, actor: useProfileStore().actor, ...(override ? { override: { reason: override } } : {}) })
        await this.mirror(r.audit)
        this.floorRefusal = null
        await this.load()
        // after the reload, so the notice means the view shows the applied values
        this.notice = `Applied ${r.version.id}: ${r.check.message}`
        return true
      } catch (err) {
        const code = (err as { code?: string }).code
        if (code === 'below-safety-floor' || /safety floor/.test((err as Error).message)) this.floorRefusal = (err as Error).message
        else this.fail(err)
        return false
      }
    },
    /** Cardiologists only (main enforces it): change the safety floor, with a reason, audited. */
    async setFloor(minSensitivity: number, reason: string): Promise<boolean> {
      this.error = null
      try {
        const r = await useApi()['thresholds:setFloor']({ minSensitivity, reason, actor: useProfileStore().actor })
        await this.mirror(r.audit)
        this.floor = r.floor.minSensitivity
        this.notice = `Safety floor set to ${(100 * r.floor.minSensitivity).toFixed(1)}%`
        if (this.comparison) await this.compare(this.comparison.candidate.modelVersion)
        return true
      } catch (err) {
        this.fail(err)
        return false
      }
    },
    async startFinetune(options: { maxEpochs?: number; lambda?: number } = {}): Promise<void> {
      const api = useApi()
      this.error = null
      this.progress = []
      this.comparison = null
      unsubscribe?.()
      const jobId = `ft-${Date.now()}`
      unsubscribe = api.on('finetune:progress', (p) => {
        if (p.jobId !== jobId) return
        if (!p.done) this.progress = [...this.progress, { epoch: p.epoch, loss: p.loss, ...(p.valMetric !== undefined ? { valMetric: p.valMetric } : {}) }]
        void this.refreshJob()
      })
      try {
        await this.syncLabels()
        this.job = await api['finetune:start']({ jobId, modelId: this.modelId, actor: useProfileStore().actor, options })
      } catch (err) {
        this.fail(err)
      }
    },
    async refreshJob(): Promise<void> {
      if (!this.job) return
      const st = await useApi()['finetune:status']({ jobId: this.job.jobId })
      const wasDone = this.job.state === 'done'
      this.job = st
      if (st.state === 'done' && !wasDone && st.candidate) {
        await this.mirror(st.candidate.audit)
        this.versions = (await useApi()['finetune:versions']({ modelId: this.modelId })).versions
        await this.compare(st.candidate.version)
      }
    },
    async cancelFinetune(): Promise<void> {
      if (this.job) await useApi()['finetune:cancel']({ jobId: this.job.jobId })
      await this.refreshJob()
    },
    async compare(version: string): Promise<void> {
      try {
        this.comparison = markRaw(await useApi()['finetune:compare']({ modelId: this.modelId, version }))
      } catch (err) {
        this.fail(err)
      }
    },
    async activate(version: string): Promise<void> {
      this.error = null
      try {
        const r = await useApi()['finetune:activate']({ modelId: this.modelId, version, actor: useProfileStore().actor })
        await this.mirror(r.audit)
        await this.load()
        this.notice = `Activated ${this.modelId}@${r.active}`
      } catch (err) {
        this.fail(err)
      }
    },
    async rollback(): Promise<void> {
      this.error = null
      try {
        const r = await useApi()['finetune:rollback']({ modelId: this.modelId, actor: useProfileStore().actor })
        await this.mirror(r.audit)
        await this.load()
        this.notice = `Rolled back ${this.modelId} to ${r.active}`
      } catch (err) {
        this.fail(err)
      }
    },
    /** Export the annotated cases (segments and/or labels) matching `filter` as an open dataset. */
    async exportAnnotations(rows: readonly AnnotationRow[], format: 'json' | 'hl7-aecg' = 'json'): Promise<void> {
      this.error = null
      try {
        const db = useDb()
        const byCase = new Map<string, AnnotationRow[]>()
        for (const a of rows) byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a])
        const cases: AnnotatedCase[] = []
        for (const [caseId, segs] of byCase) {
          const c = await db.cases.get(caseId)
          if (!c) continue
          const label = labelOfCase(c)
          cases.push({
            recordId: caseId,
            label: label ? { ...(label.tier3 ? { tier3: label.tier3 } : {}), ...(label.tier4 ? { tier4: label.tier4 } : {}), ...(label.codes ? { codes: label.codes } : {}) } : {},
            segments: segs.map((s) => ({ start_s: s.start_s, end_s: s.end_s, leads: s.leads, ...(s.code ? { code: s.code } : {}), ...(s.tier ? { tier: s.tier } : {}), note: s.note, ai_wrong: s.ai_wrong })),
            ...(c.tierKey ? { aiResult: { tier: c.tierKey, codes: c.codes, ...(c.modelVersion ? { modelVersion: c.modelVersion } : {}) } } : {}),
          })
        }
        if (cases.length === 0) throw new Error('no annotated case matches the filter')
        const r = await useApi()['annotations:export']({ cases, actor: useProfileStore().actor, format })
        await this.mirror(r.audit)
        this.lastExport = r.path
        this.notice = `Exported ${r.records} case(s) to ${r.path}`
      } catch (err) {
        this.fail(err)
      }
    },
  },
})
