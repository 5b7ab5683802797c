/**
 * PTB-XL keeps labels and demographics out of its WFDB headers, in ptbxl_database.csv at the dataset root
 * (two folders above records500/00000/). When that table is found beside an imported PTB-XL record, its SCP
 * statements become the record's labels, so a PTB-XL folder imports with its ground truth.
 */
import type { PatientInfo, SourceLabel } from '@shared/ecg'
import { csvIndex } from './csv-table'
import { decodeText } from './text'
import type { ImportContext, SourceFile } from './types'
import { parseAge } from './assemble'

export interface SidecarFacts {
  labels: SourceLabel[]
  patient: PatientInfo
  recordedAt?: string
  meta: Record<string, string>
}

const PTBXL_NAME = /^(\d{5})_(lr|hr)$/
const KEPT_COLUMNS = ['strat_fold', 'heart_axis', 'device', 'report', 'baseline_drift', 'static_noise', 'burst_noise', 'electrodes_problems', 'pacemaker']

/** "{'NORM': 100.0, 'SR': 0.0}" (a Python dict literal) -> SCP labels with likelihoods. */
export function parseScpCodes(raw: string): SourceLabel[] {
  const out: SourceLabel[] = []
  for (const m of raw.matchAll(/'([^']+)'\s*:\s*([-+0-9.eE]+)/g)) {
    out.push({ system: 'scp', code: m[1]!, likelihood: Number(m[2]) })
  }
  return out
}

export async function ptbxlFacts(file: SourceFile, recordName: string, ctx: ImportContext): Promise<SidecarFacts | undefined> {
  const m = PTBXL_NAME.exec(recordName)
  if (!m) return undefined
  const db = await ctx.sidecar(file, 'ptbxl_database.csv', 3)
  if (!db) return undefined
  const table = await ctx.memo(`ptbxl:${db.name}`, async () => csvIndex(decodeText(await db.read()) ?? '', 'ecg_id').rows)
  const row = table.get(String(Number(m[1])))
  // The row must name this very file, so a stray table never labels the wrong record.
  if (!row || ![row.filename_lr ?? '', row.filename_hr ?? ''].some((f) => f.endsWith(recordName))) return undefined
  const patient: PatientInfo = {}
  const pid = row.patient_id?.trim()
  if (pid) patient.id = pid.replace(/\.0$/, '')
  const age = parseAge(row.age)
  if (age !== undefined) patient.age = age
  // PTB-XL codes sex as 0 = male, 1 = female.
  if (row.sex?.trim() === '0') patient.sex = 'M'
  else if (row.sex?.trim() === '1') patient.sex = 'F'
  const meta: Record<string, string> = { labelSource: db.name }
  for (const c of KEPT_COLUMNS) {
    const v = row[c]?.trim()
    if (v) meta[`ptbxl.${c}`] = v
  }
  const date = row.recording_date?.trim()
  return {
    labels: parseScpCodes(row.scp_codes ?? ''),
    patient,
    ...(date ? { recordedAt: date.replace(' ', 'T') } : {}),
    meta,
  }
}
