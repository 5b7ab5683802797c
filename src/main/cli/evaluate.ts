/**
 * `evaluate <dataset dir>`: the thesis's metrics (section 3.4) computed in TypeScript with src/shared/metrics on
 * the cohorts of the Python report (internal = PTB-XL fold 10, external = CinC + SPH, unseen = records with a
 * code absent from the training records), the model run by onnxruntime in the inference worker. Record
 * probabilities are the mean over windows, as in training/ecgtriage/evaluate.py, so the figures are comparable
 * with reports/evaluation.json (--compare). The app's triage aggregates codes by max instead (see aggregate.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { preprocess } from '@shared/dsp'
import { classReport, confusionMatrix, decideTiers, multiClassAuc, multiLabelReport, oneHot } from '@shared/metrics'
import type { EcgRecord } from '@shared/ecg'
import { createImporterRegistry } from '../importers'
import { createInference } from '../inference/create'
import { loadModel, type LoadedModel } from '../inference/loaded-model'
import { meanOverWindows, windowProbabilities } from '../inference/aggregate'
import { runWindows } from '../inference/windows'
import type { ModelEntry } from '../models/registry'
import { UsageError, type EvaluateArgs } from './args'
import { cliAppRoot, cliUserDataDir } from './paths'
import { CannotRunError, type CliIo } from './triage'
import { codeTarget, labelRecord, tierTarget, type Labelled } from './truth'

export type Summary = Record<string, number>
interface CohortResult {
  summary: Summary
  metrics: unknown
  excluded: number
}
interface ModelResult {
  version: string
  sha256: string
  cohorts: Record<string, CohortResult>
  notes: string[]
}

const COHORTS = ['internal', 'external', 'unseen'] as const

/** PTB-XL is shipped at 100 and 500 Hz: keep the rate the Python evaluation reads for this model. */
function pickPtbxlRate(all: Labelled[], targetRateHz: number, notes: string[]): Labelled[] {
  const want = targetRateHz >= 500 ? 500 : 100
  const rates = new Set(all.filter((l) => l.dataset === 'ptbxl').map((l) => l.record.samplingRateHz))
  if (!rates.has(want) || rates.size === 1) {
    if (rates.size > 0 && !rates.has(want)) notes.push(`PTB-XL records are at ${[...rates].join('/')} Hz; the Python report reads records${want}`)
    return all
  }
  return all.filter((l) => l.dataset !== 'ptbxl' || l.record.samplingRateHz === want)
}

async function scoreCohort(engine: Parameters<typeof runWindows>[0], model: LoadedModel, items: Labelled[]) {
  const m = model.manifest
  const keys = m.classes.map((c) => c.key)
  const multi = m.role === 'codes'
  const kept: Labelled[] = []
  const targets: Array<number | Uint8Array> = []
  const prepared: Array<{ windows: Float32Array; nWindows: number }> = []
  let excluded = 0
  for (const l of items) {
    const y = multi ? codeTarget(l, keys) : tierTarget(l, m.labelScheme as 'tier3' | 'tier4', keys)
    if (y === null) {
      excluded++
      continue
    }
    try {
      const p = preprocess(l.record.signals, l.record.leads, l.record.samplingRateHz, m.input.preprocessing, { source: l.record.name })
      prepared.push({ windows: p.windows, nWindows: p.nWindows })
      kept.push(l)
      targets.push(y)
    } catch {
      excluded++
    }
  }
  const outs = await runWindows(engine, model, prepared, ['logits'])
  const C = keys.length
  const probs = new Float64Array(kept.length * C) // (N, C) mean over windows
  outs.forEach((o, i) => probs.set(meanOverWindows(windowProbabilities(o.logits!, prepared[i]!.nWindows, C, m.task, m.temperature)), i * C))
  return { kept, targets, probs, excluded }
}

function tierMetrics(probs: Float64Array, labels: Int32Array, model: LoadedModel): { summary: Summary; metrics: unknown } {
  const keys = model.manifest.classes.map((c) => c.key)
  const C = keys.length
  const argmax = Int32Array.from({ length: labels.length }, (_, i) => {
    let best = 0
    for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + best]!) best = c
    return best
  })
  const top1 = classReport(confusionMatrix(labels, argmax, C))
  const thr = Float64Array.from(keys, (k, i) => (i === 0 ? NaN : model.thresholds[k]!))
  const rule = classReport(confusionMatrix(labels, decideTiers(probs, C, thr), C))
  const auc = multiClassAuc(oneHot(labels, C), probs, C)
  return {
    summary: { accuracy: top1.accuracy, weightedF1: top1.weighted.f1, macroF1: top1.macro.f1, microAUC: auc.micro, macroAUC: auc.macro, decisionRuleAccuracy: rule.accuracy, n: top1.total },
    metrics: { top1, auc, decisionRule: { accuracy: rule.accuracy, macro: rule.macro, weighted: rule.weighted } },
  }
}

function codeMetrics(probs: Float64Array, labels: Uint8Array, model: LoadedModel): { summary: Summary; metrics: unknown } {
  const keys = model.manifest.classes.map((c) => c.key)
  const r = multiLabelReport(labels, probs, keys.map((k) => model.thresholds[k] ?? 0.5))
  const n = labels.length / keys.length
  const hamming = (r.micro.tp + r.micro.tn) / Math.max(1, labels.length)
  return {
    summary: { subsetAccuracy: r.subsetAccuracy, hammingAccuracy: hamming, weightedF1: r.weightedF1, macroF1: r.macroF1, microF1: r.micro.f1, microAUC: r.auc.micro, n },
    metrics: r,
  }
}

function chooseModels(entries: readonly ModelEntry[], args: EvaluateArgs, active: (id: string) => ModelEntry | undefined): ModelEntry[] {
  if (args.model) {
    const e = args.model.version ? entries.find((x) => x.id === args.model!.id && x.version === args.model!.version) : active(args.model.id)
    if (!e) throw new UsageError(`no model ${args.model.id}${args.model.version ? `@${args.model.version}` : ''}`)
    if (e.status !== 'ok') throw new CannotRunError(`${e.id}@${e.version} is refused: ${e.message}`)
    return [e]
  }
  const ids = [...new Set(entries.filter((e) => e.status === 'ok').map((e) => e.id))]
  return ids.map((id) => active(id)!).filter(Boolean)
}

export async function evaluate(args: EvaluateArgs, io: CliIo): Promise<Record<string, ModelResult>> {
  const dataset = resolve(args.dataset)
  if (!existsSync(dataset)) throw new UsageError(`dataset folder not found: ${dataset}`)
  const appRoot = cliAppRoot()
  const userData = cliUserDataDir()
  const inf = await createInference({ shippedDir: join(appRoot, 'models'), userDir: join(userData, 'models'), stateFile: join(userData, 'models-state.json') })
  try {
    const models = chooseModels(inf.registry.all(), args, (id) => inf.registry.activeVersion(id))
    if (models.length === 0) throw new CannotRunError('no usable model to evaluate')
    const outcomes = await createImporterRegistry().importPaths([dataset])
    const records: EcgRecord[] = outcomes.flatMap((o) => (o.ok ? [o.value] : []))
    const failed = outcomes.length - records.length
    if (records.length === 0) throw new CannotRunError(`no readable ECG records under ${dataset} (${failed} files failed)`)
    const labelled = records.map(labelRecord)
    const report: Record<string, ModelResult> = {}
    for (const entry of models) {
      const model = await loadModel(entry as ModelEntry & { modelPath: string; manifest: NonNullable<ModelEntry['manifest']> })
      await inf.worker.open(model.key, model.modelPath)
      const notes: string[] = failed ? [`${failed} files could not be imported`] : []
      const items = pickPtbxlRate(labelled, model.manifest.input.preprocessing.targetRateHz, notes)
      const trainIds = new Set(model.manifest.training.records.train)
      const train = items.filter((l) => trainIds.has(l.id))
      const seen = new Set(train.flatMap((l) => l.bridged.codes))
      const cohorts: Record<string, Labelled[]> = {
        internal: items.filter((l) => l.split === 'test'),
        external: items.filter((l) => l.split === 'external'),
      }
      if (train.length > 0) cohorts.unseen = [...cohorts.internal!, ...cohorts.external!].filter((l) => l.bridged.codes.some((c) => !seen.has(c)))
      else notes.push('unseen cohort skipped: the training records are not in this dataset folder')
      const result: ModelResult = { version: entry.version, sha256: model.manifest.sha256, cohorts: {}, notes }
      for (const name of COHORTS) {
        if (args.cohort !== 'all' && args.cohort !== name) continue
        const items = cohorts[name]
        if (!items || items.length === 0) continue
        const s = await scoreCohort(inf.worker, model, items)
        if (s.kept.length === 0) continue
        const C = model.manifest.classes.length
        const m =
          model.manifest.role === 'codes'
            ? codeMetrics(s.probs, (() => { const y = new Uint8Array(s.kept.length * C); s.targets.forEach((t, i) => y.set(t as Uint8Array, i * C)); return y })(), model)
            : tierMetrics(s.probs, Int32Array.from(s.targets as number[]), model)
        result.cohorts[name] = { ...m, excluded: s.excluded }
      }
      report[entry.id] = result
    }
    const compare = args.compare ?? (existsSync(join(appRoot, 'reports', 'evaluation.json')) ? join(appRoot, 'reports', 'evaluation.json') : undefined)
    const comparison = compare ? compareWithPython(report, compare) : null
    if (args.format === 'json') io.out(JSON.stringify({ dataset, models: report, comparison }, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v), 2))
    else io.out(renderTable(report, comparison))
    return report
  } finally {
    await inf.dispose()
  }
}

export interface Comparison {
  report: string
  rows: Array<{ model: string; cohort: string; metric: string; ts: number; python: number | null; diff: number | null }>
  maxAbsDiff: number
  match: boolean
}

/** Side by side with the Python report's summaries (same model version required). */
export function compareWithPython(report: Record<string, ModelResult>, path: string): Comparison {
  const py = JSON.parse(readFileSync(path, 'utf8')) as { models?: Record<string, { version?: string; cohorts?: Record<string, { summary?: Summary }> }> }
  const rows: Comparison['rows'] = []
  let maxAbsDiff = 0
  for (const [id, r] of Object.entries(report)) {
    const p = py.models?.[id]
    for (const [cohort, c] of Object.entries(r.cohorts)) {
      const ps = p && p.version === r.version ? p.cohorts?.[cohort]?.summary : undefined
      for (const [metric, ts] of Object.entries(c.summary)) {
        const pv = ps?.[metric]
        const python = typeof pv === 'number' ? pv : null
        const diff = python === null || Number.isNaN(ts) ? null : Math.abs(ts - python)
        if (diff !== null) maxAbsDiff = Math.max(maxAbsDiff, diff)
        rows.push({ model: id, cohort, metric, ts, python, diff })
      }
    }
  }
  const compared = rows.filter((r) => r.diff !== null)
  return { report: path, rows, maxAbsDiff, match: compared.length > 0 && maxAbsDiff <= 1e-3 }
}

function renderTable(report: Record<string, ModelResult>, cmp: Comparison | null): string {
  const lines: string[] = []
  const f = (v: number | null): string => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(4))
  for (const [id, r] of Object.entries(report)) {
    lines.push(`${id}@${r.version}`)
    for (const [cohort, c] of Object.entries(r.cohorts)) {
      const parts = Object.entries(c.summary).map(([k, v]) => {
        const row = cmp?.rows.find((x) => x.model === id && x.cohort === cohort && x.metric === k)
        return `${k} ${f(v)}${row && row.python !== null ? ` (python ${f(row.python)})` : ''}`
      })
      lines.push(`  ${cohort.padEnd(9)} ${parts.join('  ')}  excluded ${c.excluded}`)
    }
    for (const n of r.notes) lines.push(`  note: ${n}`)
  }
  if (cmp) lines.push('', `compared with ${cmp.report}: max |TS - Python| = ${cmp.maxAbsDiff.toExponential(2)} -> ${cmp.match ? 'MATCH' : 'DIFFERENT (or nothing comparable)'}`)
  return lines.join('\n')
}
