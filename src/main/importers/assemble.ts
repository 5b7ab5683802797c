/**
 * The last step every importer shares: validate decoded channels and turn them into an `EcgRecord` with
 * standard lead names in standard order. Keeping this in one place means every format refuses the same bad
 * input (non-finite samples, absurd rates, too few leads) with the same error.
 */
import { createHash } from 'node:crypto'
import type { EcgRecord, PatientInfo, SourceFormat, SourceLabel } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import { normaliseLeadName, STANDARD_LEADS, type LeadName } from '@shared/leads'
import { stem } from './text'
import { MAX_RATE_HZ, MIN_RATE_HZ, MIN_STANDARD_LEADS, type SourceFile } from './types'

/** One decoded channel as the file labels it, already in millivolts. */
export interface RawChannel {
  label: string
  /** (N,) millivolts */
  samples: Float32Array
}

export interface AssembleInput {
  /** The file errors should name (the primary file of the record). */
  file: string
  id: string
  name: string
  format: SourceFormat
  sourceFiles: string[]
  samplingRateHz: number
  channels: RawChannel[]
  patient?: PatientInfo
  recordedAt?: string
  labels?: SourceLabel[]
  meta?: Record<string, string>
}

/** SHA-256 (hex) over the raw bytes of a record's files, in the order given (primary file first). */
export function recordId(parts: Uint8Array[]): string {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest('hex')
}

/** The identity fields of a record read from a single file (aECG, CSV, SPH HDF5): id from its bytes, name from its stem. */
export function singleFileIdentity(file: Pick<SourceFile, 'name' | 'baseName'>, bytes: Uint8Array, format: SourceFormat): Pick<AssembleInput, 'file' | 'id' | 'name' | 'format' | 'sourceFiles'> {
  return { file: file.name, id: recordId([bytes]), name: stem(file.baseName), format, sourceFiles: [file.name] }
}

export function checkSamplingRate(file: string, rate: number): void {
  if (!Number.isFinite(rate) || rate < MIN_RATE_HZ || rate > MAX_RATE_HZ) {
    throw new EcgImportError('bad-sampling-rate', file, `sampling rate ${rate} Hz is outside ${MIN_RATE_HZ}..${MAX_RATE_HZ} Hz`)
  }
}

/** Index of the first NaN/Inf sample, or -1. */
export function firstNonFinite(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i] as number)) return i
  return -1
}

/**
 * Map labels to standard leads and reorder. Labels that are not standard leads (V4R, Frank X/Y/Z, MLII) and
 * repeated standard leads are kept out of the record and noted in meta, so nothing is silently dropped.
 */
export function assembleRecord(input: AssembleInput): EcgRecord {
  const { file, channels } = input
  checkSamplingRate(file, input.samplingRateHz)
  if (channels.length === 0) throw new EcgImportError('wrong-lead-count', file, 'the file holds no signals')
  const length = channels[0]!.samples.length
  if (length === 0) throw new EcgImportError('empty-file', file, 'the record has no samples')
  const byLead = new Map<LeadName, Float32Array>()
  const extra: string[] = []
  const duplicate: string[] = []
  for (const ch of channels) {
    if (ch.samples.length !== length) {
      throw new EcgImportError('length-mismatch', file, `lead "${ch.label}" has ${ch.samples.length} samples, the first lead ${length}`)
    }
    const bad = firstNonFinite(ch.samples)
    if (bad >= 0) throw new EcgImportError('non-finite-samples', file, `lead "${ch.label}" has a non-finite value (${ch.samples[bad]}) at sample ${bad}`)
    const lead = normaliseLeadName(ch.label)
    if (lead === undefined) extra.push(ch.label)
    else if (byLead.has(lead)) duplicate.push(ch.label)
    else byLead.set(lead, ch.samples)
  }
  if (byLead.size === 0) {
    throw new EcgImportError('unknown-lead', file, `none of the channel names (${channels.map((c) => c.label).join(', ')}) is a standard 12-lead name`)
  }
  if (byLead.size < MIN_STANDARD_LEADS) {
    throw new EcgImportError('wrong-lead-count', file, `only ${byLead.size} standard lead(s) (${[...byLead.keys()].join(', ')}); at least ${MIN_STANDARD_LEADS} are needed`)
  }
  const leads = STANDARD_LEADS.filter((l) => byLead.has(l))
  const meta: Record<string, string> = { ...input.meta }
  if (extra.length > 0) meta.extraLeads = extra.join(',')
  if (duplicate.length > 0) meta.duplicateLeads = duplicate.join(',')
  return {
    id: input.id,
    name: input.name,
    format: input.format,
    sourceFiles: input.sourceFiles,
    samplingRateHz: input.samplingRateHz,
    length,
    durationS: length / input.samplingRateHz,
    leads,
    signals: leads.map((l) => byLead.get(l)!),
    missingLeads: STANDARD_LEADS.filter((l) => !byLead.has(l)),
    patient: input.patient ?? {},
    ...(input.recordedAt !== undefined ? { recordedAt: input.recordedAt } : {}),
    labels: input.labels ?? [],
    meta,
  }
}

/** Parse an age field ("56", "56.0", "NaN", "") into years, or undefined. */
export function parseAge(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw.trim())
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 && n < 150 ? n : undefined
}

/** Parse a sex field in the spellings the sources use ("Male", "F", "m"), or undefined. */
export function parseSex(raw: string | undefined): 'M' | 'F' | undefined {
  const s = raw?.trim().toUpperCase()
  if (s === 'M' || s === 'MALE') return 'M'
  if (s === 'F' || s === 'FEMALE') return 'F'
  return undefined
}
