/**
 * WFDB sample formats and layouts beyond PTB-XL's format 16: files written here with independent encoders,
 * read by the importer and (for 16 and 212) by the numpy reference reader.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { STANDARD_LEADS } from '@shared/leads'
import { createImporterRegistry } from '../../../src/main/importers'
import { parseWfdbHeader, startToIso } from '../../../src/main/importers/wfdb-header'
import { encode, interleave, maxAbsDiff, okValues, randomAdc, runReference, tempDir, wfdbHeader, write } from './helpers'

const registry = createImporterRegistry()
const tmp = tempDir()
afterAll(() => tmp.cleanup())

const TWELVE = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']

describe('sample formats', () => {
  const cases = [
    { format: 16, amp: 32767 },
    { format: 61, amp: 32767 },
    { format: 160, amp: 32767 },
    { format: 80, amp: 127 },
    { format: 212, amp: 2047 },
    { format: 24, amp: 8_388_607 },
    { format: 32, amp: 2_000_000_000 },
  ]
  for (const { format, amp } of cases) {
    it(`format ${format} decodes to the written integers, scaled by gain and baseline`, async () => {
      // 501 samples: an odd sample count exercises 212's half-filled last byte triple
      const adc = randomAdc(12, 501, amp, format)
      const name = `f${format}`
      write(tmp.dir, `${name}.hea`, wfdbHeader({ name, fs: 250, leads: TWELVE, adc, format: String(format), gain: '200(-5)/mV' }))
      write(tmp.dir, `${name}.dat`, encode(format, interleave(adc)))
      const [rec] = okValues(await registry.importPaths([`${tmp.dir}/${name}.hea`]))
      expect(rec!.length).toBe(501)
      expect(rec!.samplingRateHz).toBe(250)
      rec!.signals.forEach((sig, i) => {
        const expected = Float32Array.from(adc[i]!, (v) => (v + 5) / 200)
        expect(maxAbsDiff(sig, expected)).toBeLessThanOrEqual(Math.abs(amp / 200) * 1e-6)
      })
    })
  }

  it('format 212 and 16 agree with the numpy reference reader (byte offset, uV units)', async () => {
    const adc = randomAdc(3, 777, 2047, 7)
    write(tmp.dir, 'r212.hea', wfdbHeader({ name: 'r212', fs: 360, leads: ['I', 'II', 'V2'], adc, format: '212', gain: '200/uV' }))
    write(tmp.dir, 'r212.dat', encode(212, interleave(adc)))
    const body = encode(16, interleave(adc))
    const withOffset = new Uint8Array(body.length + 24)
    withOffset.set(body, 24)
    write(tmp.dir, 'r16.hea', wfdbHeader({ name: 'r16', fs: 360, leads: ['I', 'II', 'V2'], adc, format: '16+24', gain: '200/uV' }))
    write(tmp.dir, 'r16.dat', withOffset)
    const recs = okValues(await registry.importPaths([`${tmp.dir}/r212.hea`, `${tmp.dir}/r16.hea`]))
    const ref = runReference('read_wfdb.py', [`${tmp.dir}/r212.hea`, `${tmp.dir}/r16.hea`])
    ref.records.forEach((r, k) => {
      const rec = recs[k]!
      expect(rec.leads).toEqual(['I', 'II', 'V2'])
      ref.signals(r).forEach((sig, i) => expect(maxAbsDiff(rec.signals[i]!, sig)).toBeLessThan(1e-8))
      // uV -> mV: 2047 ADC / 200 per uV = 10.2 uV = 0.0102 mV at most
      expect(Math.max(...rec.signals[0]!.map(Math.abs))).toBeLessThan(0.011)
    })
  })

  it('a header without a sample count takes the length from the signal file (212 with a padding byte)', async () => {
    const adc = randomAdc(3, 333, 2047, 21) // 999 samples: the last byte triple is half used
    const hea = wfdbHeader({ name: 'nolen', fs: 250, leads: ['I', 'II', 'III'], adc, format: '212' }).replace('nolen 3 250 333', 'nolen 3 250')
    write(tmp.dir, 'nolen.hea', hea)
    write(tmp.dir, 'nolen.dat', encode(212, interleave(adc)))
    const [rec] = okValues(await registry.importPaths([`${tmp.dir}/nolen.hea`]))
    expect(rec!.length).toBe(333)
    expect(maxAbsDiff(rec!.signals[2]!, Float32Array.from(adc[2]!, (v) => v / 1000))).toBeLessThan(1e-7)
  })

  it('signals spread over two signal files are reassembled', async () => {
    const adc = randomAdc(12, 300, 1000, 3)
    const fileName = (i: number): string => (i < 6 ? 'split_limb.dat' : 'split_chest.dat')
    write(tmp.dir, 'split.hea', wfdbHeader({ name: 'split', fs: 500, leads: TWELVE, adc, format: '16', fileName }))
    write(tmp.dir, 'split_limb.dat', encode(16, interleave(adc.slice(0, 6))))
    write(tmp.dir, 'split_chest.dat', encode(16, interleave(adc.slice(6))))
    const outcomes = await registry.importPaths([tmp.dir + '/split.hea'])
    const [rec] = okValues(outcomes)
    expect(rec!.sourceFiles.map((f) => f.split('/').pop())).toEqual(['split.hea', 'split_limb.dat', 'split_chest.dat'])
    expect(maxAbsDiff(rec!.signals[11]!, Float32Array.from(adc[11]!, (v) => v / 1000))).toBeLessThan(1e-7)
  })
})

describe('lead sets', () => {
  it('a 6-lead limb record lists the chest leads as missing, never padded', async () => {
    const adc = randomAdc(6, 400, 500, 11)
    write(tmp.dir, 'limb.hea', wfdbHeader({ name: 'limb', fs: 500, leads: ['aVF', 'I', 'II', 'III', 'aVR', 'aVL'], adc, format: '16' }))
    write(tmp.dir, 'limb.dat', encode(16, interleave(adc)))
    const [rec] = okValues(await registry.importPaths([tmp.dir + '/limb.hea']))
    expect(rec!.leads).toEqual(['I', 'II', 'III', 'aVR', 'aVL', 'aVF'])
    expect(rec!.signals.length).toBe(6)
    expect(rec!.missingLeads).toEqual(['V1', 'V2', 'V3', 'V4', 'V5', 'V6'])
    // reordered: aVF was written first
    expect(maxAbsDiff(rec!.signals[5]!, Float32Array.from(adc[0]!, (v) => v / 1000))).toBeLessThan(1e-7)
  })

  it('a 15-lead record (12 + Frank vx, vy, vz) keeps the 12 and notes the extra leads', async () => {
    const leads = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'vx', 'vy', 'vz']
    const adc = randomAdc(15, 200, 500, 12)
    write(tmp.dir, 's15.hea', wfdbHeader({ name: 's15', fs: 1000, leads, adc, format: '16' }))
    write(tmp.dir, 's15.dat', encode(16, interleave(adc)))
    const [rec] = okValues(await registry.importPaths([tmp.dir + '/s15.hea']))
    expect(rec!.leads).toEqual([...STANDARD_LEADS])
    expect(rec!.meta.extraLeads).toBe('vx,vy,vz')
  })

  it('a 1-lead record is refused with wrong-lead-count', async () => {
    const adc = randomAdc(2, 200, 500, 13)
    write(tmp.dir, 'one.hea', wfdbHeader({ name: 'one', fs: 360, leads: ['MLII', 'V5'], adc, format: '212' }))
    write(tmp.dir, 'one.dat', encode(212, interleave(adc)))
    const [out] = await registry.importPaths([tmp.dir + '/one.hea'])
    expect(out).toMatchObject({ ok: false, code: 'wrong-lead-count' })
    expect(!out!.ok && out!.message).toContain('one.hea')
  })
})

describe('header parsing', () => {
  it('reads gain, baseline, units, offsets and defaults (gain 200, baseline = ADC zero, mV)', () => {
    const h = parseWfdbHeader('x.hea', 'x 2 360 650000 0:00:00 01/01/2000\nx.dat 212 200(12)/uV 11 1024 995 -22131 0 MLII\nx.dat 212 0 11 1024 1011 20052 0\n# comment\n')
    expect(h.samplingRateHz).toBe(360)
    expect(h.length).toBe(650000)
    expect(h.signals[0]).toMatchObject({ format: 212, gain: 200, baseline: 12, units: 'uV', adcZero: 1024, initialValue: 995, checksum: -22131, description: 'MLII' })
    expect(h.signals[1]).toMatchObject({ gain: 200, baseline: 1024, units: 'mV', description: '' })
    expect(h.comments).toEqual(['comment'])
    expect(startToIso(h.start)).toBe('2000-01-01T00:00:00')
    expect(startToIso(['12-May-2020', '12:33:59'])).toBe('2020-05-12T12:33:59')
  })
})
