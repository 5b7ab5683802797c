/**
 * HL7 aECG and CSV importers, tested by round trip: a real PTB-XL record is written out as aECG XML / CSV here
 * and must come back with the same samples, rate and leads.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EcgRecord } from '@shared/ecg'
import { createImporterRegistry } from '../../../src/main/importers'
import { hl7TimeToIso } from '../../../src/main/importers/aecg'
import { parseXml, find, attr } from '../../../src/main/importers/xml'
import { aecgXml, dataRoot, maxAbsDiff, okValues, tempDir, write } from './helpers'

const registry = createImporterRegistry()
const tmp = tempDir('ecg-rt-')
let source: EcgRecord
afterAll(() => tmp.cleanup())
beforeAll(async () => {
  source = okValues(await registry.importPaths([join(dataRoot(), 'ptbxl/records500/00000/00009_hr.hea')]))[0]!
})

function expectSameSignals(rec: EcgRecord, tol: number): void {
  expect(rec.length).toBe(source.length)
  rec.leads.forEach((lead, i) => expect(maxAbsDiff(rec.signals[i]!, source.signals[source.leads.indexOf(lead)]!)).toBeLessThanOrEqual(tol))
}

describe('HL7 aECG', () => {
  it('round-trips a PTB-XL record (1 uV digits) exactly, ignoring the derived representative beat', async () => {
    const file = write(tmp.dir, 'rt.xml', aecgXml(source))
    const [rec] = okValues(await registry.importPaths([file]))
    expect(rec!.format).toBe('hl7-aecg')
    expect(rec!.samplingRateHz).toBe(500)
    expect(rec!.leads).toEqual(source.leads)
    expectSameSignals(rec!, 1e-6)
    expect(rec!.patient).toEqual({ id: 'SUBJ-42', sex: 'F', age: 42 })
    expect(rec!.recordedAt).toBe('2002-11-22T09:10:00')
    expect(rec!.meta.aecgId).toBe('61d1a24f-b47e-41aa-ae95-f8ac302f4eeb')
  })

  it('reads namespace-prefixed documents, 5 uV scale, and a subset of leads as missing leads', async () => {
    const leads = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']
    const file = write(tmp.dir, 'prefixed.xml', aecgXml(source, { prefix: 'hl7', scaleUv: 5, leads }))
    const [rec] = okValues(await registry.importPaths([file]))
    expect(rec!.leads).toEqual(leads)
    expect(rec!.missingLeads).toEqual(['III', 'aVR', 'aVL', 'aVF'])
    expectSameSignals(rec!, 0.0025 + 1e-6) // quantised to 5 uV: at most half a step off
  })

  it('imports from uploaded bytes with any file name (content decides)', async () => {
    const bytes = new TextEncoder().encode(aecgXml(source))
    const [out] = await registry.importFiles([{ name: 'export.dat.txt', bytes }])
    expect(out).toMatchObject({ ok: true, value: { format: 'hl7-aecg', length: 5000 } })
  })

  it('the XML reader handles entities, CDATA, comments and reports unclosed elements', () => {
    const root = parseXml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a k="1 &amp; 2"><!-- c --><b>&lt;&#65;&#x42;<![CDATA[<raw>]]></b></a>')
    expect(attr(root, 'k')).toBe('1 & 2')
    expect(find(root, 'b')!.text).toBe('<AB<raw>')
    expect(() => parseXml('<a><b></b>')).toThrow(/<a> is never closed/)
    expect(() => parseXml('<a><b></a>')).toThrow(/does not close/)
    expect(hl7TimeToIso('20021122091000.000')).toBe('2002-11-22T09:10:00')
  })
})

describe('CSV', () => {
  function csv(rec: EcgRecord, opts: { delimiter?: string; header?: string; time?: boolean; uv?: boolean } = {}): string {
    const d = opts.delimiter ?? ','
    const lines = opts.header !== undefined ? [opts.header] : []
    lines.push([...(opts.time ? ['time'] : []), ...rec.leads].join(d))
    for (let t = 0; t < rec.length; t++) {
      const row = rec.signals.map((s) => (opts.uv ? Math.round(s[t]! * 1000) : s[t]!).toString())
      lines.push([...(opts.time ? [(t / rec.samplingRateHz).toFixed(3)] : []), ...row].join(d))
    }
    return lines.join('\n') + '\n'
  }

  it('reads the rate from a "# sampling_rate=" line and round-trips the samples', async () => {
    const file = write(tmp.dir, 'rt.csv', csv(source, { header: '# sampling_rate=500' }))
    const [rec] = okValues(await registry.importPaths([file]))
    expect(rec!.format).toBe('csv')
    expect(rec!.samplingRateHz).toBe(500)
    expect(rec!.leads).toEqual(source.leads)
    expectSameSignals(rec!, 1e-7)
  })

  it('semicolons, a time column, microvolts and lead names as devices write them', async () => {
    const text = csv(source, { delimiter: ';', header: '# fs: 500\n# units=uV', time: true, uv: true }).replace('aVR', 'AVR').replace('V1', 'Lead V1')
    const [rec] = okValues(await registry.importPaths([write(tmp.dir, 'semi.csv', text)]))
    expect(rec!.leads).toEqual(source.leads)
    expectSameSignals(rec!, 1e-6)
  })

  it('takes the rate from the caller when the file has none, and says so in meta', async () => {
    const file = write(tmp.dir, 'norate.csv', csv(source))
    const [refused] = await registry.importPaths([file])
    expect(refused).toMatchObject({ ok: false, code: 'bad-sampling-rate' })
    const [rec] = okValues(await registry.importPaths([file], { csvSamplingRateHz: 500 }))
    expect(rec!.samplingRateHz).toBe(500)
    expect(rec!.meta.samplingRateSource).toBe('import option')
  })
})
