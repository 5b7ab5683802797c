/**
 * Explanations for one record and one class: the Grad-CAM map over the record's time axis (./cam.ts) and a
 * per-lead attribution by occlusion: each lead is zeroed after standardisation (its mean, i.e. "no signal"
 * for the model) and the drop in the class probability is reported. Baseline and the 12 occlusions of every
 * window go through the model in one batched run.
 */
import type { Explanation, ExplainTarget } from '@shared/contract/analysis'
import type { EcgRecord } from '@shared/ecg'
import { maxOverWindows, meanOverWindows, windowProbabilities } from './aggregate'
import { recordCam } from './cam'
import type { Engine } from './engine'
import type { CachedFeatures, FeatureCache } from './feature-cache'
import type { LoadedModel } from './loaded-model'
import { prepareRecord, runWindows, type Preprocess } from './windows'

export class ExplainTargetError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'ExplainTargetError'
  }
}

/** (nWin, 12, W) -> (nWin * 13, 12, W): per window the baseline then lead 0..11 zeroed. */
export function occlusionBatch(windows: Float32Array, nWin: number, W: number): Float32Array {
  const per = 12 * W
  const out = new Float32Array(nWin * 13 * per)
  for (let w = 0; w < nWin; w++) {
    const src = windows.subarray(w * per, (w + 1) * per)
    for (let v = 0; v < 13; v++) {
      const off = (w * 13 + v) * per
      out.set(src, off)
      if (v > 0) out.fill(0, off + (v - 1) * W, off + v * W)
    }
  }
  return out
}

export interface ExplainOptions {
  /** Lead occlusion costs 12 extra forward passes per window; without it only the Grad-CAM is computed
   *  (from the analysis's cached feature maps when the record was just analysed) and leadAttribution is empty.
   *  Default true. */
  leadAttribution?: boolean
}

export async function explainRecord(engine: Engine, preprocess: Preprocess, record: EcgRecord, model: LoadedModel, target: ExplainTarget, options: ExplainOptions = {}, cache?: FeatureCache): Promise<Explanation> {
  const m = model.manifest
  const C = m.classes.length
  if (target.classIndex >= C) throw new ExplainTargetError(`class ${target.classIndex} is outside ${m.id}'s ${C} classes`)
  const withLeads = options.leadAttribution !== false
  // a record just analysed has its feature maps cached: Grad-CAM alone then needs no preprocessing or forward pass
  const cached = withLeads ? undefined : cache?.get(model.key, record.id)
  const run = cached ? { maps: cached, leadAttribution: [] } : await forward(engine, preprocess, record, model, target, withLeads)
  const { maps } = run
  const perWindow = maps.features.length / maps.nWindows
  const K = m.head.inFeatures
  if (!Number.isInteger(perWindow / K)) throw new ExplainTargetError(`features output of ${m.id} is not (batch, ${K}, T')`)
  const cam = recordCam({
    features: Array.from({ length: maps.nWindows }, (_, w) => maps.features.subarray(w * perWindow, (w + 1) * perWindow)),
    channels: K,
    steps: perWindow / K,
    weight: model.head.weight,
    classIndex: target.classIndex,
    windowSamples: maps.windowSamples,
    windowStarts: maps.windowStarts,
    modelRateHz: maps.targetRateHz,
    recordRateHz: record.samplingRateHz,
    recordLength: record.length,
  })
  return { recordId: record.id, target, label: m.classes[target.classIndex]!.name, cam, samplingRateHz: record.samplingRateHz, leadAttribution: run.leadAttribution }
}

/** Preprocess and run the model: the baseline feature maps of every window, plus lead occlusion when asked. */
async function forward(engine: Engine, preprocess: Preprocess, record: EcgRecord, model: LoadedModel, target: ExplainTarget, withLeads: boolean): Promise<{ maps: CachedFeatures; leadAttribution: number[] }> {
  const m = model.manifest
  const C = m.classes.length
  const prep = prepareRecord(record, m, preprocess)
  const W = prep.windowSamples
  const nWin = prep.nWindows
  const V = withLeads ? 13 : 1 // variants per window: baseline (+ 12 occluded leads)
  const batch = V === 1 ? prep.windows : occlusionBatch(prep.windows, nWin, W)
  const [out] = await runWindows(engine, model, [{ windows: batch, nWindows: nWin * V }], ['logits', 'features'])
  const logits = out!.logits!
  const featuresAll = out!.features!
  const perWindowFeatures = featuresAll.length / (nWin * V)

  // probabilities of variant v aggregated over windows, as the analysis aggregates them
  const single = m.task === 'single-label'
  const probsOf = (v: number): number => {
    const rows: number[][] = []
    for (let w = 0; w < nWin; w++) {
      const row = logits.subarray((w * V + v) * C, (w * V + v + 1) * C)
      rows.push(windowProbabilities(row, 1, C, m.task, m.temperature)[0]!)
    }
    return (single ? meanOverWindows(rows) : maxOverWindows(rows))[target.classIndex]!
  }
  const base = probsOf(0)
  const leadAttribution = V === 1 ? [] : Array.from({ length: 12 }, (_, l) => Math.max(0, base - probsOf(l + 1)))

  // baseline maps only: (nWin * V, K, T') -> (nWin, K, T')
  const features = new Float32Array(nWin * perWindowFeatures)
  for (let w = 0; w < nWin; w++) features.set(featuresAll.subarray(w * V * perWindowFeatures, (w * V + 1) * perWindowFeatures), w * perWindowFeatures)
  return { maps: { features, nWindows: nWin, windowSamples: W, windowStarts: prep.windowStarts, targetRateHz: prep.targetRateHz }, leadAttribution }
}
