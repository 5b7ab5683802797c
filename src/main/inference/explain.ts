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
  /** Lead occlusion costs 12 extra forward passes per window; without it only the Grad-CAM is computed and
   *  leadAttribution is empty (used by the benchmark to time Grad-CAM on its own). Default true. */
  leadAttribution?: boolean
}

export async function explainRecord(engine: Engine, preprocess: Preprocess, record: EcgRecord, model: LoadedModel, target: ExplainTarget, options: ExplainOptions = {}): Promise<Explanation> {
  const m = model.manifest
  const C = m.classes.length
  if (target.classIndex >= C) throw new ExplainTargetError(`class ${target.classIndex} is outside ${m.id}'s ${C} classes`)
  const prep = prepareRecord(record, m, preprocess)
  const W = prep.windowSamples
  const nWin = prep.nWindows
  const V = options.leadAttribution === false ? 1 : 13 // variants per window: baseline (+ 12 occluded leads)
  const batch = V === 1 ? prep.windows : occlusionBatch(prep.windows, nWin, W)
  const [out] = await runWindows(engine, model, [{ windows: batch, nWindows: nWin * V }], ['logits', 'features'])
  const logits = out!.logits!
  const featuresAll = out!.features!
  const K = m.head.inFeatures
  const perWindowFeatures = featuresAll.length / (nWin * V)
  const T = perWindowFeatures / K
  if (!Number.isInteger(T)) throw new ExplainTargetError(`features output of ${m.id} is not (batch, ${K}, T')`)

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

  const features = Array.from({ length: nWin }, (_, w) => featuresAll.subarray(w * V * perWindowFeatures, (w * V + 1) * perWindowFeatures))
  const cam = recordCam({
    features,
    channels: K,
    steps: T,
    weight: model.head.weight,
    classIndex: target.classIndex,
    windowSamples: W,
    windowStarts: prep.windowStarts,
    modelRateHz: prep.targetRateHz,
    recordRateHz: record.samplingRateHz,
    recordLength: record.length,
  })
  return { recordId: record.id, target, label: m.classes[target.classIndex]!.name, cam, samplingRateHz: record.samplingRateHz, leadAttribution }
}
