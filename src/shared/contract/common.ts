import { z } from 'zod'
import { STANDARD_LEADS } from '../leads'

// Typed arrays cross the IPC boundary by structured clone (Electron) or tagged JSON (browser host transport).
export const zFloat32Array = z.instanceof(Float32Array)
export const zUint8Array = z.instanceof(Uint8Array)
export const zLeadName = z.enum(STANDARD_LEADS)

export const zSourceLabel = z.object({
  system: z.enum(['aha', 'snomed', 'scp']),
  code: z.string(),
  modifiers: z.array(z.string()).optional(),
  likelihood: z.number().optional(),
})

export const zRecordSummary = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(['wfdb', 'cinc-mat', 'sph-hdf5', 'hl7-aecg', 'csv']),
  sourceFiles: z.array(z.string()),
  samplingRateHz: z.number(),
  length: z.number().int(),
  durationS: z.number(),
  leads: z.array(zLeadName),
  missingLeads: z.array(zLeadName),
  patient: z.object({ id: z.string().optional(), age: z.number().optional(), sex: z.enum(['M', 'F']).optional() }),
  recordedAt: z.string().optional(),
  labels: z.array(zSourceLabel),
  meta: z.record(z.string(), z.string()),
})

export const zRecord = zRecordSummary.extend({ signals: z.array(zFloat32Array) })

export const zImportOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), file: z.string(), value: zRecordSummary }),
  z.object({ ok: z.literal(false), file: z.string(), code: z.string(), message: z.string() }),
])
