/** Row types of the workstation's IndexedDB (Dexie). Raw signals are NOT here: they stay in main's signal store. */
import type { z } from 'zod'
import type { AnalysisResult } from '@shared/contract/analysis'
import type { zRecordSummary } from '@shared/contract/common'
import type { Segment } from '@shared/contract/clinician'

export type RecordSummary = z.infer<typeof zRecordSummary>
export type CaseStatus = 'new' | 'triaged' | 'reviewed' | 'signed'
export type AnalysisState = 'pending' | 'running' | 'done' | 'failed'
export type Role = 'gp' | 'cardiologist' | 'annotator'
export type OverreadAction = 'confirm' | 'edit' | 'reject'

export interface Review {
  action: OverreadAction
  /** The clinician's tier (AI tier when confirmed). */
  tierKey: string
  codes: string[]
  note: string
  by: string
  at: string
}

export interface CaseRow {
  /** The record id (SHA-256 of the source bytes): one case per record. */
  id: string
  summary: RecordSummary
  importedAt: string
  status: CaseStatus
  analysis: AnalysisState
  analysisError?: string
  /** Latest AI result (key into `results`) and the facts the worklist sorts and filters on. */
  resultId?: number
  tierKey?: string
  confidence?: number
  needsHumanRead?: boolean
  flagKinds: string[]
  /** Positive codes: AI codes until reviewed, then the clinician's (multi-entry index for the code filter). */
  codes: string[]
  heartRate?: number | null
  modelVersion?: string
  review?: Review
  signedBy?: string
  signedAt?: string
  /** Worklist group (0 = most urgent), kept in the row so 5,000 cases sort by an index (schema v2). */
  urgency: number
}

export interface ResultRow {
  id?: number
  recordId: string
  createdAt: string
  result: AnalysisResult
}

export interface OverreadRow {
  id?: number
  caseId: string
  at: string
  user: string
  role: Role
  action: OverreadAction | 'sign'
  tierKey: string | null
  codes: string[]
  note: string
  resultId: number | null
}

/** A segment annotation; field names follow the annotation export contract (zSegment) so rows export as-is. */
export interface AnnotationRow extends Segment {
  id?: number
  caseId: string
  createdAt: string
  user: string
}

export type AuditAction =
  | 'case.import'
  | 'case.analyze'
  | 'case.analyze-failed'
  | 'overread.confirm'
  | 'overread.edit'
  | 'overread.reject'
  | 'overread.sign'
  | 'annotation.add'
  | 'report.export'
  | 'settings.change'
  | 'profile.change'
  // clinician loop: mirrors of main's audit records (thresholds, fine-tuning, labels, annotation datasets)
  | `clinician.${string}`

export interface AuditBody {
  at: string
  user: string
  role: Role
  action: AuditAction
  caseId: string | null
  modelVersion: string | null
  thresholds: Record<string, number> | null
  details: Record<string, unknown>
}

export interface AuditEntry extends AuditBody {
  seq?: number
  prevHash: string
  hash: string
}

export interface SettingRow {
  key: string
  value: unknown
}

export interface ProfileRow {
  id: 'me'
  name: string
  role: Role
}

export interface Actor {
  user: string
  role: Role
}
