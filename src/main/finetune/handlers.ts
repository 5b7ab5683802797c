/**
 * IPC handlers of the clinician loop (src/shared/contract/clinician.ts), over the services built in
 * ./create.ts. Requests arrive validated by the dispatcher; errors are typed (ClinicianError.code).
 */
import type { EcgHandlers } from '@shared/contract'
import type { AnnotationService } from '../annotations/exporter'
import type { LabelStore } from '../annotations/label-store'
import type { AuditLog } from '../thresholds/audit-log'
import type { Evaluator } from '../thresholds/evaluator'
import type { ModelPort } from '../thresholds/ports'
import type { ThresholdService } from '../thresholds/service'
import type { FinetuneService } from './service'

export type ClinicianHandlers = Pick<
  EcgHandlers,
  | 'clinician:labels:put'
  | 'clinician:labels:list'
  | 'clinician:evaluate'
  | 'thresholds:get'
  | 'thresholds:propose'
  | 'thresholds:apply'
  | 'thresholds:history'
  | 'thresholds:setFloor'
  | 'finetune:start'
  | 'finetune:cancel'
  | 'finetune:status'
  | 'finetune:versions'
  | 'finetune:compare'
  | 'finetune:activate'
  | 'finetune:rollback'
  | 'annotations:export'
  | 'annotations:import'
>

export interface ClinicianHandlerDeps {
  models: ModelPort
  labels: LabelStore
  audit: AuditLog
  evaluator: Evaluator
  thresholds: ThresholdService
  finetune: FinetuneService
  annotations: AnnotationService
}

export function createClinicianHandlers(d: ClinicianHandlerDeps): ClinicianHandlers {
  return {
    'clinician:labels:put': async ({ items, actor }) => {
      const r = await d.labels.put(items)
      if (r.changed === 0) return { ...r, audit: null }
      const audit = await d.audit.append({ user: actor.user, role: actor.role, action: 'labels.put', subject: 'local labelled set', from: null, to: { stored: r.stored, changed: r.changed }, evidence: { train: r.train, test: r.test, sources: [...new Set(items.map((i) => i.source))] } })
      return { ...r, audit }
    },
    'clinician:labels:list': async () => ({ items: await d.labels.list() }),
    'clinician:evaluate': async ({ modelId, version, split, items, thresholds }) => {
      const model = version ? await d.models.get(modelId, version) : await d.models.active(modelId)
      const labelled = items ?? (await d.labels.list(split === 'all' ? undefined : split))
      return d.evaluator.evaluate(model, labelled, { ...d.thresholds.effective(model), ...(thresholds ?? {}) })
    },
    'thresholds:get': async ({ modelId }) => d.thresholds.get(modelId),
    'thresholds:propose': async ({ modelId, values }) => d.thresholds.propose(modelId, values),
    'thresholds:apply': async ({ modelId, values, actor, override }) => d.thresholds.apply(modelId, values, actor, override),
    'thresholds:history': async ({ modelId }) => ({ versions: await d.thresholds.history(modelId) }),
    'thresholds:setFloor': async ({ minSensitivity, actor, reason }) => d.thresholds.setFloor(minSensitivity, actor, reason),
    'finetune:start': async ({ jobId, modelId, actor, options }) => d.finetune.start(jobId, modelId, actor, options),
    'finetune:cancel': async ({ jobId }) => ({ cancelled: d.finetune.cancel(jobId) }),
    'finetune:status': async ({ jobId }) => d.finetune.status(jobId),
    'finetune:versions': async ({ modelId }) => ({ versions: await d.finetune.versions(modelId) }),
    'finetune:compare': async ({ modelId, version }) => d.finetune.compare(modelId, version),
    'finetune:activate': async ({ modelId, version, actor }) => d.finetune.activate(modelId, version, actor),
    'finetune:rollback': async ({ modelId, actor }) => d.finetune.rollback(modelId, actor),
    'annotations:export': async ({ cases, actor, format }) => d.annotations.export(cases, actor, format),
    'annotations:import': async ({ path, actor }) => d.annotations.import(path, actor),
  }
}
