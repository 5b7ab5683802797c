/**
 * The two-stage analysis of records: quality gate and heart rate on the raw signal, preprocessing per model
 * manifest, the tier model then the code model over all windows of a batch of records in one run each,
 * window aggregation, the decision rule with the consistency escalation, and the flags that decide whether a
 * human must read the ECG. Runs wherever its Engine runs (inside the inference worker in the app).
 */
import type { AnalysisResult, CodeResult, Flag } from '@shared/contract/analysis'
import { applyConsistency, assessUncertainty, DEFAULT_UNCERTAINTY, type UncertaintyThresholds } from '@shared/decision'
import type { EcgRecord } from '@shared/ecg'
import { codeInfo, LABEL_MAPPING_VERSION, tierOfCode } from '@shared/labels/catalog'
import { assessQuality } from '../quality/signal-quality'
import { heartRate } from '../quality/qrs'
import { aggregateCodes, aggregateTier, AGGREGATION_DESCRIPTION, windowProbabilities } from './aggregate'
import type { Engine } from './engine'
import type { LoadedModel } from './loaded-model'
import { embeddingStats, mahalanobisDiag } from './ood'
import type { FeatureCache } from './feature-cache'
import { prepareRecord, runWindows, type PreparedRecord, type Preprocess } from './windows'

export interface AnalyzerModels {
  tier: LoadedModel
  codes: LoadedModel
}

export interface AnalyzerOptions {
  preprocess: Preprocess
  describeSpec: (spec: LoadedModel['manifest']['input']['preprocessing']) => string
  uncertainty?: UncertaintyThresholds
  /** Largest number of windows per runtime call (bounds memory for long records and big batches). */
  maxBatchWindows?: number
  /** When given, the tier model's feature maps are kept here so a following Grad-CAM needs no forward pass. */
  featureCache?: FeatureCache
}

export type AnalyzeOutcome = { ok: true; result: AnalysisResult } | { ok: false; message: string }

export class Analyzer {
  constructor(
    private readonly engine: Engine,
    private readonly options: AnalyzerOptions,
  ) {}

  /** Analyse a batch; one bad record yields its error and the others still get results. */
  async analyze(records: readonly EcgRecord[], models: AnalyzerModels, provider: string): Promise<AnalyzeOutcome[]> {
    const started = performance.now()
    const out: AnalyzeOutcome[] = new Array(records.length)
    const prepared: Array<{ i: number; tier: PreparedRecord; codes: PreparedRecord }> = []
    for (let i = 0; i < records.length; i++) {
      try {
        const r = records[i]!
        const tier = prepareRecord(r, models.tier.manifest, this.options.preprocess)
        const sameSpec = this.options.describeSpec(models.codes.manifest.input.preprocessing) === this.options.describeSpec(models.tier.manifest.input.preprocessing)
        const codes = sameSpec ? tier : prepareRecord(r, models.codes.manifest, this.options.preprocess)
        prepared.push({ i, tier, codes })
      } catch (err) {
        out[i] = { ok: false, message: err instanceof Error ? err.message : String(err) }
      }
    }
    const stats = embeddingStats(models.tier.manifest)
    const cache = this.options.featureCache
    const tierOutputs = ['logits', ...(stats ? (['embedding'] as const) : []), ...(cache ? (['features'] as const) : [])] as const
    const tierOut = await runWindows(this.engine, models.tier, prepared.map((p) => p.tier), tierOutputs, this.options.maxBatchWindows)
    if (cache) {
      prepared.forEach((p, j) => {
        const { nWindows, windowSamples, windowStarts, targetRateHz } = p.tier
        cache.set(models.tier.key, records[p.i]!.id, { features: tierOut[j]!.features!, nWindows, windowSamples, windowStarts, targetRateHz })
      })
    }
    const codesOut = await runWindows(this.engine, models.codes, prepared.map((p) => p.codes), ['logits'], this.options.maxBatchWindows)
    prepared.forEach((p, j) => {
      try {
        out[p.i] = { ok: true, result: this.decide(records[p.i]!, p.tier, p.codes.nWindows, tierOut[j]!, codesOut[j]!, models, provider, 0) }
      } catch (err) {
        out[p.i] = { ok: false, message: `${records[p.i]!.name}: ${err instanceof Error ? err.message : String(err)}` }
      }
    })
    // the batch's wall time shared out per record (preprocessing, both models, quality gate, decision)
    const perRecordMs = (performance.now() - started) / Math.max(1, records.length)
    for (const o of out) if (o?.ok) o.result.timingMs = perRecordMs
    return out
  }

  private decide(
    record: EcgRecord,
    prep: PreparedRecord,
    codeWindows: number,
    tierOut: Record<string, Float32Array>,
    codesOut: Record<string, Float32Array>,
    models: AnalyzerModels,
    provider: string,
    timingMs: number,
  ): AnalysisResult {
    const tm = models.tier.manifest
    const cm = models.codes.manifest
    const scheme = tm.labelScheme as 'tier3' | 'tier4'
    const tierKeys = tm.classes.map((c) => c.key)
    const codeKeys = cm.classes.map((c) => c.key)
    const tierAgg = aggregateTier(windowProbabilities(tierOut.logits!, prep.nWindows, tierKeys.length, 'single-label', tm.temperature), tierKeys, models.tier.thresholds)
    const codeAgg = aggregateCodes(windowProbabilities(codesOut.logits!, codeWindows, codeKeys.length, 'multi-label', cm.temperature), codeKeys, models.codes.thresholds)

    const codes: CodeResult[] = codeKeys.map((code, c) => ({
      code,
      name: codeInfo(code)?.name ?? cm.classes[c]!.name,
      probability: codeAgg.probabilities[c]!,
      threshold: models.codes.thresholds[code] ?? 0.5,
      positive: codeAgg.positive[c]!,
      tier: tierOfCode(code, scheme),
      classIndex: c,
    }))
    const positives = codes.filter((c) => c.positive).map((c) => ({ code: c.code, probability: c.probability, tierIndex: c.tier === 'unmapped' ? null : tierKeys.indexOf(c.tier) }))
    const consistency = applyConsistency(tierAgg.index, positives)

    const quality = assessQuality(record.leads, record.signals, record.samplingRateHz, record.missingLeads)
    const flags: Flag[] = [...quality.flags]
    if (prep.padded) {
      const realFraction = Math.min(1, prep.samplesAtTarget / tm.input.preprocessing.windowSamples)
      flags.push({ kind: 'padded', severity: realFraction < 0.5 ? 'block' : 'warn', message: `record is ${record.durationS.toFixed(1)} s, shorter than the model's ${(tm.input.preprocessing.windowSamples / tm.input.preprocessing.targetRateHz).toFixed(0)}-s window: zero-padded` })
    }
    if (prep.droppedWindows > 0) {
      flags.push({ kind: 'quality', severity: 'warn', message: `record is longer than the model reads: only the first ${prep.nWindows} windows were analysed, ${prep.droppedWindows} skipped` })
    }
    const unc = assessUncertainty(tierAgg.probabilities, this.options.uncertainty ?? DEFAULT_UNCERTAINTY)
    if (unc.uncertain) flags.push({ kind: 'uncertain', severity: 'block', message: `the triage model is unsure: ${unc.reasons.join('; ')}` })
    let oodNote = 'entropy and top probability only (manifest has no embedding statistics)'
    const stats = embeddingStats(tm)
    if (stats && tierOut.embedding) {
      const K = tm.head.inFeatures
      let worst = 0
      for (let w = 0; w < prep.nWindows; w++) worst = Math.max(worst, mahalanobisDiag(tierOut.embedding.subarray(w * K, (w + 1) * K), stats))
      oodNote = `embedding Mahalanobis (diagonal) ${worst.toFixed(2)} vs ${stats.threshold.toFixed(2)}`
      if (worst > stats.threshold) flags.push({ kind: 'out-of-distribution', severity: 'block', message: `this ECG is unlike the training data (${oodNote})` })
    }
    const modelKey = tierKeys[tierAgg.index]!
    const finalKey = tierKeys[consistency.index]!
    let escalationReason: string | undefined
    if (consistency.escalated) {
      const driver = codes.find((c) => c.code === consistency.drivingCode)!
      escalationReason = `code ${driver.code} (${driver.name}, p=${driver.probability.toFixed(2)}) implies '${finalKey}', the triage model said '${modelKey}'`
      flags.push({ kind: 'disagreement', severity: 'warn', message: `escalated to the more severe tier: ${escalationReason}` })
    }
    if (consistency.unmappedCodes.length > 0) {
      // an unmapped finding beside a 'normal' tier is exactly the case that must never read as normal
      flags.push({ kind: 'unmapped-code', severity: consistency.index === 0 ? 'block' : 'warn', message: `positive code(s) without a tier mapping: ${consistency.unmappedCodes.join(', ')}; review them` })
    }
    const windowNote = tierAgg.escalatingWindow !== null ? `; window ${tierAgg.escalatingWindow + 1} raised the tier` : ''
    // beats from every lead that carries signal (a flat lead would only add noise to the combined detector)
    const live = record.signals.filter((_, i) => (quality.leads[i]?.flatFraction ?? 1) < 0.5)
    const hr = heartRate(live, record.samplingRateHz)
    codes.sort((a, b) => b.probability - a.probability)
    return {
      recordId: record.id,
      createdAt: new Date().toISOString(),
      tier: {
        scheme,
        key: finalKey,
        index: consistency.index,
        modelKey,
        probabilities: tierAgg.probabilities,
        classKeys: tierKeys,
        // the evidence for the tier shown: the tier model's probability, or the driving code's when escalated
        confidence: consistency.escalated ? codes.find((c) => c.code === consistency.drivingCode)!.probability : tierAgg.probabilities[consistency.index]!,
        escalated: consistency.escalated,
        ...(escalationReason ? { escalationReason } : {}),
      },
      codes,
      flags,
      needsHumanRead: flags.some((f) => f.severity === 'block'),
      heartRate: { bpm: hr.bpm, rrIrregularity: hr.rrIrregularity, beats: hr.beats },
      provenance: {
        models: [models.tier, models.codes].map((m) => ({ id: m.manifest.id, version: m.manifest.version, sha256: m.manifest.sha256, role: m.manifest.role })),
        labelMappingVersion: LABEL_MAPPING_VERSION,
        thresholdsVersion: `${tm.id}:${models.tier.thresholdsVersion}; ${cm.id}:${models.codes.thresholdsVersion}`,
        thresholds: { ...prefixKeys('tier', models.tier.thresholds), ...prefixKeys('code', models.codes.thresholds) },
        executionProvider: provider,
        windows: prep.nWindows,
        aggregation: `${AGGREGATION_DESCRIPTION}${windowNote}; uncertainty: ${oodNote}`,
        preprocessing: this.options.describeSpec(tm.input.preprocessing),
      },
      timingMs,
    }
  }
}

function prefixKeys(prefix: string, t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [`${prefix}:${k}`, v]))
}
