/** Contract-shaped values for renderer unit tests (stores and DB): summaries and analysis results. */
import type { AnalysisResult } from '@shared/contract/analysis'
import type { RecordSummary } from '../../src/renderer/src/db/types'

export function recordId(n: number): string {
  return n.toString(16).padStart(64, '0')
}

export function summary(n: number, over: Partial<RecordSummary> = {}): RecordSummary {
  return {
    id: recordId(n),
    name: `${String(n).padStart(5, '0')}_hr`,
    format: 'wfdb',
    sourceFiles: [`/data/${n}_hr.hea`, `/data/${n}_hr.dat`],
    samplingRateHz: 500,
    length: 5000,
    durationS: 10,
    leads: ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
    missingLeads: [],
    patient: { id: `p${n}`, age: 50 + (n % 30), sex: n % 2 ? 'M' : 'F' },
    labels: [],
    meta: {},
    ...over,
  }
}

const TIER3 = ['normal', 'non-urgent', 'urgent']

export function result(n: number, tierKey: string, opts: { needsHumanRead?: boolean; codes?: [string, number][]; probs?: number[] } = {}): AnalysisResult {
  const index = TIER3.indexOf(tierKey)
  const probs = opts.probs ?? TIER3.map((_, i) => (i === index ? 0.8 : 0.1))
  const codes = (opts.codes ?? [['1', 0.9]]).map(([code, p]) => ({ code, name: `code ${code}`, probability: p, threshold: 0.5, positive: p >= 0.5, tier: tierKey }))
  return {
    recordId: recordId(n),
    createdAt: '2026-01-01T00:00:00.000Z',
    tier: { scheme: 'tier3', key: tierKey, index, modelKey: tierKey, probabilities: probs, classKeys: TIER3, confidence: Math.max(...probs), escalated: false },
    codes,
    flags: opts.needsHumanRead ? [{ kind: 'uncertain', severity: 'block', message: 'top probability 0.40 < 0.5' }] : [],
    needsHumanRead: opts.needsHumanRead ?? false,
    heartRate: { bpm: 60 + n, rrIrregularity: 0.05, beats: 10 },
    provenance: {
      models: [{ id: 'triage-tier3', version: '1.0.0', sha256: 'a'.repeat(64), role: 'tier' }, { id: 'aha-codes', version: '1.0.0', sha256: 'b'.repeat(64), role: 'codes' }],
      labelMappingVersion: '1.0.0',
      thresholdsVersion: 'default',
      thresholds: { 'non-urgent': 0.5, urgent: 0.3 },
      executionProvider: 'cpu',
      windows: 1,
      aggregation: 'mean',
      preprocessing: 'v1',
    },
    timingMs: 12,
  }
}
