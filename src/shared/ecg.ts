import type { LeadName } from './leads'

/** File formats the importer registry understands. */
export type SourceFormat = 'wfdb' | 'cinc-mat' | 'sph-hdf5' | 'hl7-aecg' | 'csv'

/** A diagnostic label found in the source file, in the vocabulary the file used. */
export interface SourceLabel {
  /** 'aha' (SPH metadata), 'snomed' (CinC #Dx), 'scp' (PTB-XL scp_codes). */
  system: 'aha' | 'snomed' | 'scp'
  code: string
  /** AHA modifiers attached with '+' (SPH), e.g. ['308']. */
  modifiers?: string[]
  /** Likelihood as given by the source (PTB-XL scp_codes values, 0..100), when present. */
  likelihood?: number
}

export interface PatientInfo {
  id?: string
  age?: number
  sex?: 'M' | 'F'
}

/**
 * One ECG recording in memory. Every importer returns exactly this.
 * `signals[i]` holds lead `leads[i]` in millivolts; leads are in standard order (I, II, III, aVR, aVL, aVF,
 * V1-V6) and only present leads are listed: a missing lead is named in `missingLeads`, never padded.
 */
export interface EcgRecord {
  /** Stable id: SHA-256 (hex) of the raw source bytes of the record's files. */
  id: string
  /** Record name as the source calls it (e.g. "00001_hr", "A0002", "SPH00001"). */
  name: string
  format: SourceFormat
  /** The files the record was read from (absolute paths, or upload names). */
  sourceFiles: string[]
  samplingRateHz: number
  /** Samples per lead (all leads have the same length). */
  length: number
  durationS: number
  leads: LeadName[]
  /** (leads.length) x (length), millivolts. */
  signals: Float32Array[]
  missingLeads: LeadName[]
  patient: PatientInfo
  recordedAt?: string
  labels: SourceLabel[]
  /** Free-form header facts worth keeping (device, site, comments), never interpreted. */
  meta: Record<string, string>
}

/** What the worklist needs to know of a record without its samples. */
export type EcgRecordSummary = Omit<EcgRecord, 'signals'>

export function summarise(record: EcgRecord): EcgRecordSummary {
  const { signals: _signals, ...summary } = record
  return summary
}
