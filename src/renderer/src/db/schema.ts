/**
 * The workstation's IndexedDB, versioned. Each version lists its tables; a version that changes data carries
 * an upgrade() so existing users' databases migrate on open (Dexie runs them in order, in one transaction).
 *   v1: the tables.
 *   v2: cases gain `urgency` (worklist group) with a compound index [urgency+importedAt], so the worklist
 *       order is an index walk; the upgrade computes it for every existing case.
 */
import Dexie, { type Table } from 'dexie'
import { urgencyOf } from '../domain/tiers'
import type { AnnotationRow, AuditEntry, CaseRow, OverreadRow, ProfileRow, ResultRow, SettingRow } from './types'

export const DB_NAME = 'ecg-workstation'

export const SCHEMA_V1 = {
  cases: 'id, status, tierKey, importedAt, *codes',
  results: '++id, recordId, createdAt',
  overreads: '++id, caseId, at',
  annotations: '++id, caseId, createdAt',
  auditLog: '++seq, caseId, at, action',
  settings: 'key',
  profile: 'id',
}

export const SCHEMA_V2 = { ...SCHEMA_V1, cases: 'id, status, tierKey, importedAt, *codes, [urgency+importedAt]' }

export class WorkstationDb extends Dexie {
  cases!: Table<CaseRow, string>
  results!: Table<ResultRow, number>
  overreads!: Table<OverreadRow, number>
  annotations!: Table<AnnotationRow, number>
  auditLog!: Table<AuditEntry, number>
  settings!: Table<SettingRow, string>
  profile!: Table<ProfileRow, string>

  constructor(name = DB_NAME) {
    super(name)
    this.version(1).stores(SCHEMA_V1)
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade((tx) =>
        tx
          .table('cases')
          .toCollection()
          .modify((c: CaseRow) => {
            c.flagKinds ??= []
            c.codes ??= []
            c.urgency = urgencyOf(c)
          }),
      )
  }
}

let shared: WorkstationDb | null = null

/** The app's database (one per window). Tests pass their own instance to the stores instead. */
export function useDb(): WorkstationDb {
  shared ??= new WorkstationDb()
  return shared
}

export function setDb(db: WorkstationDb | null): void {
  shared = db
}
