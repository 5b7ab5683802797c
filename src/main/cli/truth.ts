/**
 * Ground truth for evaluation, the same way the Python pipeline derives it (training/ecgtriage/data.py,
 * cohorts.py): source labels -> AHA codes through the catalog bridges (PTB-XL SCP + heart_axis, CinC SNOMED CT,
 * SPH AHA as written) -> tier by the catalog's most-severe rule; record ids and cohorts as in the Python report.
 */
import type { EcgRecord } from '@shared/ecg'
import { ahaFromScp, ahaFromSnomed, parseAhaLabel, tierOfBridged, type BridgeResult, type Scheme } from '@shared/labels/catalog'

export interface Labelled {
  record: EcgRecord
  /** Python report id: 'ptbxl-<ecg_id>', 'cinc-<name>', 'sph-<name>'. */
  id: string
  dataset: 'ptbxl' | 'cinc' | 'sph' | 'other'
  /** PTB-XL folds 1-8 train, 9 validation, 10 test; other datasets are external. */
  split: 'train' | 'validation' | 'test' | 'external'
  bridged: BridgeResult
}

export function labelRecord(record: EcgRecord): Labelled {
  const scp = record.labels.filter((l) => l.system === 'scp')
  const snomed = record.labels.filter((l) => l.system === 'snomed')
  const aha = record.labels.filter((l) => l.system === 'aha')
  const fold = record.meta['ptbxl.strat_fold']
  const ptbxl = /^(\d{5})_(hr|lr)$/.exec(record.name)
  if (ptbxl && scp.length > 0) {
    const codes = Object.fromEntries(scp.map((l) => [l.code, l.likelihood ?? 0]))
    const f = Number(fold)
    return {
      record,
      id: `ptbxl-${Number(ptbxl[1])}`,
      dataset: 'ptbxl',
      split: f === 10 ? 'test' : f === 9 ? 'validation' : 'train',
      bridged: ahaFromScp(codes, record.meta['ptbxl.heart_axis'] ?? null),
    }
  }
  if (snomed.length > 0) return { record, id: `cinc-${record.name}`, dataset: 'cinc', split: 'external', bridged: ahaFromSnomed(snomed.map((l) => l.code)) }
  if (aha.length > 0) {
    const codes = [...new Set(aha.map((l) => parseAhaLabel(l.code).code))].sort((a, b) => Number(a) - Number(b))
    return { record, id: `sph-${record.name}`, dataset: 'sph', split: 'external', bridged: { codes, modifiers: [], unmapped: [], oneOf: [] } }
  }
  return { record, id: record.name, dataset: 'other', split: 'external', bridged: { codes: [], modifiers: [], unmapped: [], oneOf: [] } }
}

/** Tier index in `keys`, or null when the record has no mapped tier (excluded, as in Python). */
export function tierTarget(l: Labelled, scheme: Scheme, keys: readonly string[]): number | null {
  const t = tierOfBridged(l.bridged, scheme).key
  return t === 'unmapped' ? null : keys.indexOf(t)
}

/** Multi-hot over `keys`, or null when the record has no AHA code. */
export function codeTarget(l: Labelled, keys: readonly string[]): Uint8Array | null {
  if (l.bridged.codes.length === 0) return null
  return Uint8Array.from(keys, (k) => (l.bridged.codes.includes(k) ? 1 : 0))
}
