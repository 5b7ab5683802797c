/**
 * Factory for the clinician loop (labels, thresholds, fine-tuning, annotation datasets), called by the
 * composition root after the inference domain exists: it runs models through the inference engine and the
 * registry, and gives the inference engine the operating points in force (`thresholdSource`).
 */
import { join } from 'node:path'
import { AnnotationService } from '../annotations/exporter'
import { LabelStore } from '../annotations/label-store'
import { AuditLog } from '../thresholds/audit-log'
import { ClinicianError } from '../thresholds/errors'
import { Evaluator } from '../thresholds/evaluator'
import { ThresholdService } from '../thresholds/service'
import { EngineOutputs, RegistryModelPort, type EngineLike, type PreprocessFn, type RecordSourceLike, type RegistryLike } from './adapters'
import { createClinicianHandlers, type ClinicianHandlers } from './handlers'
import { FinetuneService, type FinetuneDeps } from './service'

export interface ClinicianOptions {
  userDataDir: string
  /** Where fine-tuned versions go (the registry's user models dir). */
  userModelsDir: string
  registry: RegistryLike
  /** The inference engine or worker (runs models off the main thread). */
  engine: EngineLike
  /** The signal store; evaluation and export read records from it. */
  records?: RecordSourceLike
  preprocess: PreprocessFn
  events: FinetuneDeps['events']
  labelMappingVersion: string
  /** After a model activation or rollback (e.g. inference service invalidate). */
  onActivated?: () => void
}

export interface Clinician {
  handlers: ClinicianHandlers
  thresholds: ThresholdService
  finetune: FinetuneService
  labels: LabelStore
  audit: AuditLog
  annotations: AnnotationService
  /** For src/main/inference ThresholdSource: the clinician's operating points for a model, if any. */
  thresholdSource(modelId: string, modelVersion: string): { version: string; values: Record<string, number> } | undefined
}

const noRecords: RecordSourceLike = {
  get: async (id) => {
    throw new ClinicianError('not-found', `record ${id.slice(0, 12)}: no signal store is wired into the clinician loop`)
  },
}

export async function createClinician(o: ClinicianOptions): Promise<Clinician> {
  const dir = join(o.userDataDir, 'clinician')
  const records = o.records ?? noRecords
  const models = new RegistryModelPort(o.registry, o.userModelsDir, o.onActivated)
  const labels = new LabelStore(join(dir, 'labels.json'))
  const audit = new AuditLog(join(dir, 'audit.jsonl'))
  const evaluator = new Evaluator(new EngineOutputs(o.engine, records, o.preprocess), 'engine')
  const thresholds = new ThresholdService({ file: join(dir, 'thresholds.json'), models, evaluator, labels, audit })
  await thresholds.init()
  const finetune = new FinetuneService({ models, evaluator, labels, thresholds, audit, events: o.events })
  const annotations = new AnnotationService({ records, labels, audit, exportRoot: join(o.userDataDir, 'exports'), labelMappingVersion: o.labelMappingVersion })
  return {
    handlers: createClinicianHandlers({ models, labels, audit, evaluator, thresholds, finetune, annotations }),
    thresholds,
    finetune,
    labels,
    audit,
    annotations,
    thresholdSource: (modelId, modelVersion) => {
      const c = thresholds.current(modelId, modelVersion)
      return c ? { version: c.id, values: c.values } : undefined
    },
  }
}
