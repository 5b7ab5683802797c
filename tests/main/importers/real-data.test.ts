/**
 * Every record in ../shared/data imports, and its samples equal what independent Python readers
 * (tests/reference/read_*.py: numpy, scipy.io.loadmat, h5py) produce from the same files.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EcgRecord } from '@shared/ecg'
import { normaliseLeadName, STANDARD_LEADS } from '@shared/leads'
import { createImporterRegistry } from '../../../src/main/importers'
import { dataRoot, maxAbsDiff, okValues, runReference, type ReferenceRecord } from './helpers'

const data = dataRoot()
const registry = createImporterRegistry()

function headersIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hea'))
    .map((f) => join(dir, f))
    .sort()
}

/** Compare imported records with the reference readers' output, lead by lead. */
function compareAll(imported: EcgRecord[], ref: ReturnType<typeof runReference>, key: (r: ReferenceRecord) => string, tol: number): void {
  const byName = new Map(imported.map((r) => [r.name, r]))
  expect(byName.size).toBe(ref.records.length)
  let worst = 0
  for (const r of ref.records) {
    const rec = byName.get(key(r))
    expect(rec, `record ${key(r)} was not imported`).toBeDefined()
    expect(rec!.length).toBe(r.n)
    const refSignals = ref.signals(r)
    const refLeads = r.leads.map((l) => normaliseLeadName(l))
    expect(rec!.leads).toEqual(STANDARD_LEADS.filter((l) => refLeads.includes(l)))
    rec!.leads.forEach((lead, i) => {
      const d = maxAbsDiff(rec!.signals[i]!, refSignals[refLeads.indexOf(lead)]!)
      worst = Math.max(worst, d)
      if (d > tol) throw new Error(`${rec!.name} lead ${lead}: max |diff| ${d} mV > ${tol}`)
    })
  }
  expect(worst).toBeLessThanOrEqual(tol)
}

describe('PTB-XL (WFDB format 16), 500 records at 500 Hz and 500 at 100 Hz', () => {
  const sets = [
    { dir: 'ptbxl/records500', rate: 500, n: 5000 },
    { dir: 'ptbxl/records100', rate: 100, n: 1000 },
  ]
  for (const set of sets) {
    describe(set.dir, () => {
      let records: EcgRecord[]
      let headers: string[]
      beforeAll(async () => {
        headers = headersIn(join(data, set.dir))
        records = okValues(await registry.importPaths([join(data, set.dir)]))
      })

      it('imports every record with 12 leads at the stated rate', () => {
        expect(headers.length).toBe(500)
        expect(records.length).toBe(500)
        for (const r of records) {
          expect(r.format).toBe('wfdb')
          expect(r.samplingRateHz).toBe(set.rate)
          expect(r.length).toBe(set.n)
          expect(r.durationS).toBe(10)
          expect(r.leads).toEqual([...STANDARD_LEADS])
          expect(r.missingLeads).toEqual([])
        }
      })

      it('matches the numpy reference reader sample for sample', () => {
        const ref = runReference('read_wfdb.py', headers)
        compareAll(records, ref, (r) => r.name, 1e-6)
      })

      it('ids are the SHA-256 of header + signal bytes and are unique', () => {
        const r = records.find((x) => x.name.startsWith('00007'))!
        const h = createHash('sha256')
        for (const f of r.sourceFiles) h.update(readFileSync(f))
        expect(r.id).toBe(h.digest('hex'))
        expect(new Set(records.map((x) => x.id)).size).toBe(records.length)
      })

      it('picks up SCP labels and demographics from ptbxl_database.csv two folders up', () => {
        const first = records.find((x) => x.name.startsWith('00001_'))!
        expect(first.labels).toEqual([
          { system: 'scp', code: 'NORM', likelihood: 100 },
          { system: 'scp', code: 'LVOLT', likelihood: 0 },
          { system: 'scp', code: 'SR', likelihood: 0 },
        ])
        expect(first.patient).toEqual({ id: '15709', age: 56, sex: 'F' })
        expect(first.recordedAt).toBe('1984-11-09T09:17:34')
        expect(first.meta['ptbxl.strat_fold']).toBe('3')
        expect(records.every((x) => x.labels.length > 0 && x.labels.every((l) => l.system === 'scp'))).toBe(true)
      })
    })
  }
})

describe('PhysioNet/CinC 2020-21 (.hea + MATLAB v4), 70 records from six sources', () => {
  let records: EcgRecord[]
  let headers: string[]
  beforeAll(async () => {
    headers = headersIn(join(data, 'cinc'))
    records = okValues(await registry.importPaths([join(data, 'cinc')]))
  })

  it('imports all 70, including the 1000 Hz PTB records', () => {
    expect(records.length).toBe(70)
    expect(records.every((r) => r.format === 'cinc-mat' && r.leads.length === 12)).toBe(true)
    const ptb = records.filter((r) => r.name.startsWith('S'))
    expect(ptb.length).toBeGreaterThan(0)
    expect(ptb.every((r) => r.samplingRateHz === 1000)).toBe(true)
  })

  it('matches scipy.io.loadmat sample for sample, with #Dx, #Age and #Sex', () => {
    const ref = runReference('read_cinc.py', headers)
    compareAll(records, ref, (r) => r.name, 1e-6)
    for (const r of ref.records) {
      const rec = records.find((x) => x.name === r.name)!
      expect(rec.labels).toEqual((r.dx as string[]).map((code) => ({ system: 'snomed', code })))
      expect(rec.samplingRateHz).toBe(r.fs)
      expect(rec.patient.age).toBe(r.age ?? undefined)
      expect(rec.patient.sex).toBe(r.sex === 'Male' ? 'M' : r.sex === 'Female' ? 'F' : undefined)
    }
  })
})

describe('SPH HDF5 (float16, gzip), 4 records', () => {
  it('matches h5py exactly and takes AHA labels from metadata.csv', async () => {
    const dir = join(data, 'sph')
    const files = readdirSync(dir).filter((f) => f.endsWith('.h5')).sort().map((f) => join(dir, f))
    const records = okValues(await registry.importPaths([dir]))
    expect(records.length).toBe(4)
    const ref = runReference('read_sph.py', files)
    expect(ref.records.every((r) => r.dtype === 'float16')).toBe(true)
    compareAll(records, ref, (r) => r.name, 0) // float16 -> float32 is exact: any difference is a decoding bug
    for (const r of ref.records) {
      const rec = records.find((x) => x.name === r.name)!
      expect(rec.labels.map((l) => l.code)).toEqual(r.aha)
      expect(rec.labels.every((l) => l.system === 'aha')).toBe(true)
      expect(rec.patient.age).toBe(r.age)
      expect(rec.patient.sex).toBe(r.sex)
      expect(rec.samplingRateHz).toBe(500)
    }
  })
})
