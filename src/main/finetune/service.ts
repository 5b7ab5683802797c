/**
 * Local fine-tuning of a model's classification head, as versioned models: label check -> embeddings of the
 * labelled training split (the model's own 'embedding' output) -> head training in a worker (progress, cancel)
 * -> a NEW version in the user models dir with before/after metrics on the frozen test split -> a self-check
 * that the written ONNX computes the trained head. Compare, activate (only if the urgent tier keeps the safety
 * floor) and one-call rollback to the parent. Every change is audited.
 */
import { readFile } from 'node:fs/promises'
import type { Actor, AuditRecord, Evaluation, FinetuneOptions, FinetuneStatus, FloorCheck, LabelItem, ModelVersionInfo } from '@shared/contract/clinician'
import { atLeast, cumulativeFrom, thresholdForSensitivity } from '@shared/metrics'
import type { LabelStore } from '../annotations/label-store'
import type { AuditLog } from '../thresholds/audit-log'
import { ClinicianError } from '../thresholds/errors'
import { floorCheck } from '../thresholds/evaluation'
import type { Evaluator, HeadOverride } from '../thresholds/evaluator'
import type { ModelPort, ModelRef } from '../thresholds/ports'
import { logitsFromEmbeddings } from '../thresholds/probabilities'
import type { ThresholdService } from '../thresholds/service'
import { windowedSplit } from './dataset'
import { prepareLabels, MIN_LABELLED } from './prepare'
import { DEFAULT_TRAIN_OPTIONS, type TrainResult } from './train'
import { workerTrainingRunner, type TrainHandle, type TrainingRunner } from './trainer'
import { nextFinetuneVersion, readHeadFrom, removeVersion, writeFinetunedVersion } from './writer'

export interface FinetuneDeps {
  models: ModelPort
  evaluator: Evaluator
  labels: LabelStore
  thresholds: ThresholdService
  audit: AuditLog
  events: { emit(event: 'finetune:progress', payload: { jobId: string; epoch: number; loss: number; valMetric?: number; done: boolean }): void }
  runner?: TrainingRunner
  now?: () => Date
  minLabelled?: number
}

interface Job {
  status: FinetuneStatus
  abort: AbortController
  handle: TrainHandle | null
  done: Promise<void>
}

export class FinetuneService {
  private readonly jobs = new Map<string, Job>()
  private readonly now: () => Date

  constructor(private readonly deps: FinetuneDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  /** Validates the labels (throws ClinicianError, nothing started) and starts the job in the background. */
  async start(jobId: string, modelId: string, actor: Actor, options: FinetuneOptions = {}): Promise<FinetuneStatus> {
    if (this.jobs.has(jobId)) throw new ClinicianError('busy', `a fine-tuning job '${jobId}' already exists`)
    const running = [...this.jobs.values()].find((j) => j.status.modelId === modelId && !isFinal(j.status.state))
    if (running) throw new ClinicianError('busy', `${modelId} is already being fine-tuned (job ${running.status.jobId})`)
    const model = await this.deps.models.active(modelId)
    const train = await this.deps.labels.list('train')
    const test = await this.deps.labels.list('test')
    const prep = prepareLabels(model, train, test.length, this.deps.minLabelled ?? MIN_LABELLED)
    const job: Job = { status: { jobId, modelId, state: 'embedding', epoch: 0, loss: null, valLoss: null }, abort: new AbortController(), handle: null, done: Promise.resolve() }
    this.jobs.set(jobId, job)
    job.done = this.run(job, model, prep, options, actor).catch((err: unknown) => {
      const cancelled = job.abort.signal.aborted
      job.status = { ...job.status, state: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'cancelled; nothing was written' : err instanceof Error ? err.message : String(err) }
      this.deps.events.emit('finetune:progress', { jobId, epoch: job.status.epoch, loss: job.status.loss ?? 0, done: true })
    })
    return { ...job.status }
  }

  status(jobId: string): FinetuneStatus {
    const job = this.jobs.get(jobId)
    if (!job) throw new ClinicianError('not-found', `no fine-tuning job '${jobId}'`)
    return { ...job.status }
  }

  /** Resolves when the job has finished (any final state); for the CLI, bench and tests. */
  async wait(jobId: string): Promise<FinetuneStatus> {
    const job = this.jobs.get(jobId)
    if (!job) throw new ClinicianError('not-found', `no fine-tuning job '${jobId}'`)
    await job.done
    return { ...job.status }
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job || isFinal(job.status.state)) return false
    job.abort.abort()
    job.handle?.cancel()
    return true
  }

  private async run(job: Job, model: ModelRef, prep: ReturnType<typeof prepareLabels>, options: FinetuneOptions, actor: Actor): Promise<void> {
    const m = model.manifest
    const C = m.classes.length
    const D = m.head.inFeatures
    const kind = m.role === 'tier' ? 'softmax' : 'sigmoid'
    const { ok, failed } = await this.deps.evaluator.outputs(model, prep.recordIds, { signal: job.abort.signal })
    if (job.abort.signal.aborted) throw new Error('cancelled')
    const minLabelled = this.deps.minLabelled ?? MIN_LABELLED
    if (ok.length < minLabelled) {
      throw new ClinicianError('too-few-labels', `only ${ok.length} of ${prep.recordIds.length} labelled records could be run (need ${minLabelled}); ${failed.slice(0, 3).map((f) => `${f.recordId.slice(0, 12)}: ${f.message}`).join('; ')}`)
    }
    const index = new Map(prep.recordIds.map((id, i) => [id, i]))
    const rows = ok.map((o) => index.get(o.recordId)!)
    const targets = kind === 'softmax' ? Int32Array.from(rows, (i) => prep.truth[i]!) : Uint8Array.from(rows.flatMap((i) => Array.from(prep.truth.subarray(i * C, (i + 1) * C))))
    const valFraction = options.valFraction ?? 0.2
    const split = windowedSplit(kind, ok, targets, C, D, valFraction, options.seed ?? 1)
    const parentBytes = new Uint8Array(await readFile(model.onnxPath))
    const initial = readHeadFrom(parentBytes, m)
    const trainOptions = {
      ...DEFAULT_TRAIN_OPTIONS,
      ...definedOnly({ lambda: options.lambda, learningRate: options.learningRate, maxEpochs: options.maxEpochs, patience: options.patience, temperatureScaling: options.temperatureScaling }),
    }
    job.status = { ...job.status, state: 'training' }
    const reportEvery = Math.max(1, Math.floor(trainOptions.maxEpochs / 100))
    job.handle = (this.deps.runner ?? workerTrainingRunner)(
      { kind, initial: { W: initial.W, b: initial.b, classes: C, inFeatures: D }, train: split.train, val: split.val, options: trainOptions, ...(prep.frozen ? { frozen: prep.frozen } : {}), reportEvery },
      (r) => {
        job.status = { ...job.status, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss }
        this.deps.events.emit('finetune:progress', { jobId: job.status.jobId, epoch: r.epoch, loss: r.loss, ...(r.valLoss !== null ? { valMetric: r.valLoss } : {}), done: false })
      },
    )
    const result = await job.handle.result
    if (result.stopped === 'cancelled' || job.abort.signal.aborted) throw new Error('cancelled')
    job.status = { ...job.status, state: 'writing', epoch: result.epochs }
    const candidate = await this.writeCandidate(model, result, ok.map((o) => o.recordId), split, prep.frozen)
    const audit = await this.deps.audit.append({
      user: actor.user,
      role: actor.role,
      action: 'finetune.create',
      subject: m.id,
      from: { version: m.version },
      to: { version: candidate.version },
      evidence: candidate.evidence,
    })
    job.status = { ...job.status, state: 'done', candidate: { version: candidate.version, audit } }
    this.deps.events.emit('finetune:progress', { jobId: job.status.jobId, epoch: result.epochs, loss: job.status.loss ?? 0, done: true })
  }

  private async writeCandidate(
    model: ModelRef,
    result: TrainResult,
    usedIds: string[],
    split: ReturnType<typeof windowedSplit>,
    frozen: Uint8Array | null,
  ): Promise<{ version: string; evidence: Record<string, unknown> }> {
    const m = model.manifest
    const test = await this.deps.labels.list('test')
    const thresholds = this.deps.thresholds.effective(model)
    const existing = (await this.deps.models.versions(m.id)).map((r) => r.version)
    const version = nextFinetuneVersion(m.version, existing)
    const head = { W: result.head.W, b: result.head.b, temperature: result.temperature, label: `${version} (candidate)` }
    const floor = this.deps.thresholds.floor().minSensitivity
    const used = new Set(usedIds)
    const calibrated = await this.calibrate(model, (await this.deps.labels.list('train')).filter((i) => used.has(i.recordId)), head, floor)
    const before = await this.deps.evaluator.evaluate(model, test, thresholds)
    const after = await this.deps.evaluator.evaluate(model, test, calibrated.thresholds, undefined, head)
    const evidence = {
      trainRecords: split.trainRecords.length,
      validationRecords: split.valRecords.length,
      testRecords: before.recordIds.length,
      classCounts: Object.fromEntries(m.classes.map((c, k) => [c.key, split.trainCounts[k] ?? 0])),
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      stopped: result.stopped,
      temperature: result.temperature,
      thresholds: { before: thresholds, after: calibrated.thresholds, calibration: calibrated.note },
      before: summaryOf(before, floor),
      after: summaryOf(after, floor),
    }
    const written = await writeFinetunedVersion(this.deps.models.userModelsDir, {
      parent: model,
      head: result.head,
      temperature: result.temperature,
      thresholds: calibrated.thresholds,
      version,
      createdAt: this.now().toISOString(),
      training: {
        datasets: [...m.training.datasets, 'local clinician labels'],
        records: { train: split.trainRecords.map((i) => usedIds[i]!), validation: split.valRecords.map((i) => usedIds[i]!), test: before.recordIds },
        notes: `Head re-fit on local labels (backbone unchanged): ${m.role === 'tier' ? 'softmax cross-entropy' : 'sigmoid BCE'}, class-balanced, L2 toward the parent head; ${frozen ? `${frozen.reduce((a, b) => a + b, 0)} code(s) without local positives kept at the parent head; ` : ''}early stopping on a record-level validation split, temperature scaling on it.`,
        finetune: evidence,
        parent: { version: m.version, datasets: m.training.datasets },
      },
      metrics: { ...m.metrics, localFinetune: evidence },
    })
    await this.deps.models.refresh()
    await this.selfCheck(model, written.manifest.version, head, usedIds.slice(0, 2))
    return { version, evidence }
  }

  /**
   * A new head has a new score scale, so the parent's operating points do not carry over. Tier models: the most
   * severe tier's threshold is set where the TRAINING records (never the test split) reach sensitivity
   * floor + 0.05 (a margin for the optimism of fitting data), the other tiers keep the parent's manifest values.
   */
  private async calibrate(model: ModelRef, trainItems: LabelItem[], head: HeadOverride, floor: number): Promise<{ thresholds: Record<string, number>; note: string }> {
    const m = model.manifest
    const thresholds = { ...m.thresholds }
    if (m.role !== 'tier') return { thresholds, note: 'code thresholds kept from the parent' }
    const fit = await this.deps.evaluator.evaluate(model, trainItems, thresholds, undefined, head)
    const C = m.classes.length
    const key = m.classes[C - 1]!.key
    const y = atLeast(fit.truth as number[], C - 1)
    if (!y.some((v) => v === 1)) return { thresholds, note: `no '${key}' training case: '${key}' threshold kept from the parent` }
    const target = Math.min(1, floor + 0.05)
    const point = thresholdForSensitivity(y, cumulativeFrom(Float64Array.from(fit.probabilities.flat()), C, C - 1), target)
    // a hair below the observed score: the ONNX run's float32 logits may differ from ours in the last bits
    thresholds[key] = Math.max(0, point.threshold - 1e-6)
    return { thresholds, note: `'${key}' threshold ${thresholds[key]!.toFixed(4)} reaches sensitivity ${point.sensitivity.toFixed(3)} (target ${target.toFixed(2)}) on ${fit.recordIds.length} training records; other tiers kept from the parent` }
  }

  /** The written file must compute the trained head: its logits vs embedding W'^T + b' on real records. */
  private async selfCheck(parent: ModelRef, version: string, head: { W: Float32Array; b: Float32Array }, ids: string[]): Promise<void> {
    const C = parent.manifest.classes.length
    const D = parent.manifest.head.inFeatures
    try {
      const written = await this.deps.models.get(parent.id, version)
      const { ok } = await this.deps.evaluator.outputs(written, ids)
      if (ok.length === 0) throw new Error('the new model could not be run on any record')
      for (const o of ok) {
        const expected = logitsFromEmbeddings(o.embedding, head.W, head.b, C, D)
        for (let k = 0; k < expected.length; k++) {
          if (Math.abs(expected[k]! - o.logits[k]!) > 1e-3 * (1 + Math.abs(expected[k]!))) throw new Error(`logit ${k} of ${o.recordId.slice(0, 12)} is ${o.logits[k]}, the trained head gives ${expected[k]}`)
        }
      }
    } catch (err) {
      await removeVersion(this.deps.models.userModelsDir, parent.id, version)
      await this.deps.models.refresh()
      throw new Error(`the written model ${parent.id}@${version} failed its self-check and was removed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  async versions(modelId: string): Promise<ModelVersionInfo[]> {
    return (await this.deps.models.versions(modelId)).map((r) => ({
      id: r.id,
      version: r.version,
      parentVersion: r.manifest.parentVersion,
      shipped: r.shipped,
      active: r.active,
      createdAt: r.manifest.createdAt,
      metrics: r.manifest.metrics,
    }))
  }

  /** Active vs `version` on the frozen local test set, each with the thresholds that would be in force. */
  async compare(modelId: string, version: string): Promise<{ current: Evaluation; candidate: Evaluation; check: FloorCheck }> {
    const current = await this.deps.models.active(modelId)
    const cand = await this.deps.models.get(modelId, version)
    const test = await this.deps.labels.list('test')
    const th = this.deps.thresholds
    const [a, b] = [await this.deps.evaluator.evaluate(current, test, th.effective(current)), await this.deps.evaluator.evaluate(cand, test, th.effective(cand))]
    return { current: a, candidate: b, check: floorCheck(b, th.floor().minSensitivity) }
  }

  async activate(modelId: string, version: string, actor: Actor): Promise<{ active: string; check: FloorCheck; audit: AuditRecord }> {
    const { current, candidate, check } = await this.compare(modelId, version)
    if (!check.ok) throw new ClinicianError('below-safety-floor', `not activated: ${check.message} (${modelId}@${version} on the frozen local test set)`)
    await this.deps.models.activate(modelId, version)
    const floor = this.deps.thresholds.floor().minSensitivity
    const audit = await this.deps.audit.append({
      user: actor.user,
      role: actor.role,
      action: 'finetune.activate',
      subject: modelId,
      from: { version: current.modelVersion },
      to: { version },
      evidence: { before: summaryOf(current, floor), after: summaryOf(candidate, floor), floorCheck: check },
    })
    return { active: version, check, audit }
  }

  /** One call: make the active version's parent active again. */
  async rollback(modelId: string, actor: Actor): Promise<{ active: string; audit: AuditRecord }> {
    const current = await this.deps.models.active(modelId)
    const parent = current.manifest.parentVersion
    if (!parent) throw new ClinicianError('bad-input', `${modelId}@${current.version} is the shipped version; there is nothing to roll back to`)
    await this.deps.models.get(modelId, parent) // throws a clear error when the parent is gone
    await this.deps.models.activate(modelId, parent)
    const audit = await this.deps.audit.append({ user: actor.user, role: actor.role, action: 'finetune.rollback', subject: modelId, from: { version: current.version }, to: { version: parent }, evidence: {} })
    return { active: parent, audit }
  }
}

function isFinal(s: FinetuneStatus['state']): boolean {
  return s === 'done' || s === 'failed' || s === 'cancelled'
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Headline numbers of an evaluation for manifests and audit evidence. */
export function summaryOf(ev: Evaluation, floor: number): Record<string, unknown> {
  const top = ev.targets[ev.targets.length - 1]
  return {
    modelVersion: ev.modelVersion,
    cases: ev.recordIds.length,
    ...ev.summary,
    ...(ev.role === 'tier' && top ? { [`${top.key}Sensitivity`]: top.positives ? top.atThreshold.sensitivity : null, [`${top.key}Auc`]: top.auc } : {}),
    floorCheck: floorCheck(ev, floor),
  }
}
