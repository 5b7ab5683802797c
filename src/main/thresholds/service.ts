/**
 * Versioned operating points with a safety floor. Every change is a new version (never an edit), carries the
 * metrics shown when it was made, and returns an audit record. The inference engine reads `current(modelId)`.
 *
 * Safety floor: for tier models the most severe tier's sensitivity on the frozen local test set may not fall
 * below `floor.minSensitivity` (0.90 by default). Only a cardiologist with a written reason can override; the
 * override is stored in the version and the audit record.
 */
import { z } from 'zod'
import {
  zFloor,
  zThresholdVersion,
  type Actor,
  type AuditRecord,
  type Evaluation,
  type Floor,
  type FloorCheck,
  type ThresholdVersion,
} from '@shared/contract/clinician'
import type { LabelStore } from '../annotations/label-store'
import type { AuditLog } from './audit-log'
import { ClinicianError } from './errors'
import { floorCheck } from './evaluation'
import type { Evaluator } from './evaluator'
import { readJsonFile, writeJsonAtomic } from './json-file'
import type { ModelPort, ModelRef } from './ports'

export const DEFAULT_FLOOR = 0.9

const zStore = z.object({ schemaVersion: z.literal(1), floor: zFloor, versions: z.array(zThresholdVersion) })
type Store = z.infer<typeof zStore>

export interface ThresholdServiceDeps {
  file: string
  models: ModelPort
  evaluator: Evaluator
  labels: LabelStore
  audit: AuditLog
  now?: () => Date
}

/** What the inference engine needs: the values to apply and the version id to put in provenance. */
export interface ActiveThresholds {
  id: string
  values: Record<string, number>
  /** Model version the values were tuned on (they may be stale after a model change). */
  modelVersion: string
}

export class ThresholdService {
  private store: Store | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private readonly now: () => Date

  constructor(private readonly deps: ThresholdServiceDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  async init(): Promise<void> {
    this.store ??= await readJsonFile(this.deps.file, zStore, () => ({
      schemaVersion: 1 as const,
      floor: { minSensitivity: DEFAULT_FLOOR, updatedAt: this.now().toISOString(), updatedBy: 'default' },
      versions: [],
    }))
  }

  private get s(): Store {
    if (!this.store) throw new Error('ThresholdService used before init()')
    return this.store
  }

  /**
   * Synchronous, for the inference engine: the latest user version for a model (and model version, when
   * given), or null (use the manifest's). Operating points belong to one model version: a fine-tuned head has
   * its own score scale, so its calibrated manifest thresholds apply until someone tunes it.
   */
  current(modelId: string, modelVersion?: string): ActiveThresholds | null {
    if (!this.store) return null
    const v = latest(this.store.versions, modelId, modelVersion)
    return v ? { id: v.id, values: { ...v.values }, modelVersion: v.modelVersion } : null
  }

  floor(): Floor {
    return { ...this.s.floor }
  }

  async history(modelId: string): Promise<ThresholdVersion[]> {
    await this.init()
    return this.s.versions.filter((v) => v.modelId === modelId).sort((a, b) => b.version - a.version)
  }

  async get(modelId: string): Promise<{ modelId: string; modelVersion: string; defaults: Record<string, number>; active: ThresholdVersion | null; effective: Record<string, number>; floor: Floor }> {
    await this.init()
    const model = await this.deps.models.active(modelId)
    const active = latest(this.s.versions, modelId, model.version)
    return { modelId, modelVersion: model.version, defaults: { ...model.manifest.thresholds }, active, effective: this.effective(model), floor: this.floor() }
  }

  /** Manifest defaults overlaid with the latest user version for this model version. */
  effective(model: ModelRef): Record<string, number> {
    return { ...model.manifest.thresholds, ...(this.store ? (latest(this.store.versions, model.id, model.version)?.values ?? {}) : {}) }
  }

  /** Evaluate proposed values on the frozen local test set; changes nothing. */
  async propose(modelId: string, values: Record<string, number>): Promise<{ check: FloorCheck; evaluation: Evaluation }> {
    await this.init()
    const model = await this.deps.models.active(modelId)
    const merged = this.validated(model, values)
    const evaluation = await this.deps.evaluator.evaluate(model, await this.deps.labels.list('test'), merged)
    return { check: this.judge(model, evaluation, merged), evaluation }
  }

  apply(modelId: string, values: Record<string, number>, actor: Actor, override?: { reason: string }): Promise<{ version: ThresholdVersion; check: FloorCheck; audit: AuditRecord }> {
    const run = this.queue.then(async () => {
      await this.init()
      const model = await this.deps.models.active(modelId)
      const merged = this.validated(model, values)
      const evaluation = await this.deps.evaluator.evaluate(model, await this.deps.labels.list('test'), merged)
      const check = this.judge(model, evaluation, merged)
      const overridden = !check.ok
      if (overridden) {
        if (actor.role !== 'cardiologist' || !override) {
          throw new ClinicianError('below-safety-floor', `${check.message}. Not applied: only a cardiologist can override the floor, with a reason.`)
        }
      }
      const previous = latest(this.s.versions, modelId, model.version)
      // numbers run per model id across its versions, so every id is unique; parent is this model version's last
      const number = (latest(this.s.versions, modelId)?.version ?? 0) + 1
      const version: ThresholdVersion = {
        id: `${modelId}@thr-${number}`,
        version: number,
        modelId,
        modelVersion: model.version,
        createdAt: this.now().toISOString(),
        user: actor.user,
        role: actor.role,
        values: merged,
        evidence: evidenceOf(evaluation, check),
        parent: previous?.version ?? null,
        ...(overridden && override ? { override: { reason: override.reason } } : {}),
      }
      const next: Store = { ...this.s, versions: [...this.s.versions, version] }
      await writeJsonAtomic(this.deps.file, next)
      this.store = next
      const audit = await this.deps.audit.append({
        user: actor.user,
        role: actor.role,
        action: 'thresholds.apply',
        subject: `${modelId}@${model.version}`,
        from: { version: previous?.id ?? 'manifest', values: previous?.values ?? model.manifest.thresholds },
        to: { version: version.id, values: merged },
        evidence: version.evidence,
        ...(version.override ? { override: version.override } : {}),
      })
      return { version, check, audit }
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Changing the floor itself is a cardiologist's decision, with a reason, audited. */
  async setFloor(minSensitivity: number, actor: Actor, reason: string): Promise<{ floor: Floor; audit: AuditRecord }> {
    await this.init()
    if (actor.role !== 'cardiologist') throw new ClinicianError('forbidden', 'only a cardiologist can change the safety floor')
    const floor: Floor = { minSensitivity, updatedAt: this.now().toISOString(), updatedBy: actor.user }
    const old = this.s.floor
    const next: Store = { ...this.s, floor }
    await writeJsonAtomic(this.deps.file, next)
    this.store = next
    const audit = await this.deps.audit.append({ user: actor.user, role: actor.role, action: 'thresholds.floor', subject: 'safety-floor', from: old, to: floor, evidence: {}, override: { reason } })
    return { floor, audit }
  }

  /**
   * Floor check plus the one case where it cannot be measured but the change is still safe: with no
   * most-severe cases in the test set, lowering (or keeping) that tier's threshold can only raise sensitivity.
   */
  judge(model: ModelRef, ev: Evaluation, proposed: Record<string, number>): FloorCheck {
    const check = floorCheck(ev, this.s.floor.minSensitivity)
    if (check.ok || !check.applies || check.positives > 0 || !check.key) return check
    const before = this.effective(model)[check.key]
    const after = proposed[check.key]
    if (before !== undefined && after !== undefined && after <= before) {
      return { ...check, ok: true, message: `${check.message}; allowed because the '${check.key}' threshold is not raised (${before} -> ${after})` }
    }
    return check
  }

  private validated(model: ModelRef, values: Record<string, number>): Record<string, number> {
    const keys = model.manifest.classes.map((c) => c.key)
    const allowed = model.manifest.role === 'tier' ? keys.slice(1) : keys
    const bad = Object.keys(values).filter((k) => !allowed.includes(k))
    if (bad.length) throw new ClinicianError('bad-input', `unknown threshold key(s) ${bad.map((b) => `'${b}'`).join(', ')} for ${model.id}; expected some of: ${allowed.join(', ')}`)
    for (const [k, v] of Object.entries(values)) {
      if (!(v >= 0 && v <= 1)) throw new ClinicianError('bad-input', `threshold for '${k}' must be within [0, 1], got ${v}`)
    }
    return { ...this.effective(model), ...values }
  }
}

function latest(versions: readonly ThresholdVersion[], modelId: string, modelVersion?: string): ThresholdVersion | null {
  let best: ThresholdVersion | null = null
  for (const v of versions) {
    if (v.modelId === modelId && (modelVersion === undefined || v.modelVersion === modelVersion) && (!best || v.version > best.version)) best = v
  }
  return best
}

/** The numbers a reviewer needs later: per target the operating point, and the test set size. */
export function evidenceOf(ev: Evaluation, check: FloorCheck): Record<string, unknown> {
  return {
    testCases: ev.recordIds.length,
    modelVersion: ev.modelVersion,
    floorCheck: check,
    targets: Object.fromEntries(
      ev.targets.map((t) => [
        t.key,
        {
          threshold: t.atThreshold.threshold,
          positives: t.positives,
          sensitivity: t.atThreshold.sensitivity,
          specificity: t.atThreshold.specificity,
          ppv: t.atThreshold.ppv,
          npv: t.atThreshold.npv,
          alertVolume: t.atThreshold.alertVolume,
          auc: t.auc,
        },
      ]),
    ),
    summary: ev.summary,
  }
}
