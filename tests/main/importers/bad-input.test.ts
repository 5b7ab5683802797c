/**
 * The bad-input corpus: malformed variants of real records, generated here in a temp folder. Each must give
 * one failed outcome with the right typed code and a message naming the file, while the good records of the
 * same batch still import.
 */
import { closeSync, copyFileSync, openSync, readFileSync, ftruncateSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import h5wasm from 'h5wasm/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EcgRecord } from '@shared/ecg'
import type { ImportOutcome } from '@shared/errors'
import { createImporterRegistry } from '../../../src/main/importers'
import { aecgXml, dataRoot, mat4Int16, okValues, tempDir, write } from './helpers'

const data = dataRoot()
const PTB = join(data, 'ptbxl/records500/00000/00001_hr')
const tmp = tempDir('ecg-bad-')
const dir = join(tmp.dir, 'corpus')
const HUGE = 600 * 2 ** 20 // above the 512 MiB limit; sparse, so no disk is used
afterAll(() => tmp.cleanup())

const heaText = readFileSync(`${PTB}.hea`, 'utf8')
const datBytes = readFileSync(`${PTB}.dat`)

/** A renamed copy of PTB-XL 00001_hr with its header and samples passed through `edit`. */
function ptbVariant(name: string, edit: { hea?: (t: string) => string; dat?: (b: Uint8Array) => Uint8Array } = {}): void {
  const hea = heaText.replaceAll('00001_hr', name)
  write(dir, `${name}.hea`, edit.hea ? edit.hea(hea) : hea)
  write(dir, `${name}.dat`, edit.dat ? edit.dat(new Uint8Array(datBytes)) : datBytes)
}

function sparse(path: string, size: number): void {
  const fd = openSync(path, 'w')
  ftruncateSync(fd, size)
  closeSync(fd)
}

const CSV_HEAD = '# sampling_rate=500\nI,II,V1\n'

/** file base name -> expected error code */
const expected: Record<string, string> = {}
let outcomes: ImportOutcome<EcgRecord>[]

beforeAll(async () => {
  mkdirSync(dir)
  ptbVariant('good') // the batch must still import this one
  ptbVariant('truncated', { dat: (b) => b.subarray(0, b.length / 2) })
  ptbVariant('extra_bytes', { dat: (b) => new Uint8Array([...b, 1, 2, 3, 4]) })
  ptbVariant('header_longer', { hea: (t) => t.replace(' 500 5000', ' 500 6000') })
  ptbVariant('header_shorter', { hea: (t) => t.replace(' 500 5000', ' 500 4000') })
  ptbVariant('flipped_sample', { dat: (b) => ((b[2001] = b[2001]! ^ 0x10), b) })
  ptbVariant('zero_rate', { hea: (t) => t.replace(' 500 5000', ' 0 5000') })
  ptbVariant('absurd_rate', { hea: (t) => t.replace(' 500 5000', ' 5000000 5000') })
  ptbVariant('format8', { hea: (t) => t.replaceAll('.dat 16 ', '.dat 8 ') })
  ptbVariant('pressure', { hea: (t) => t.replaceAll('/mV', '/mmHg') })
  ptbVariant('no_dat')
  ptbVariant('empty_dat', { dat: () => new Uint8Array() })
  Object.assign(expected, {
    'truncated.hea': 'truncated',
    'extra_bytes.hea': 'length-mismatch',
    'header_longer.hea': 'truncated',
    'header_shorter.hea': 'length-mismatch',
    'flipped_sample.hea': 'checksum-mismatch',
    'zero_rate.hea': 'bad-sampling-rate',
    'absurd_rate.hea': 'bad-sampling-rate',
    'format8.hea': 'unsupported-format',
    'pressure.hea': 'unsupported-format',
    'no_dat.hea': 'missing-companion-file',
    'empty_dat.hea': 'empty-file',
  })
  // the header of no_dat names a file that is not there
  copyFileSync(join(dir, 'no_dat.dat'), join(tmp.dir, 'elsewhere.dat'))
  ;(await import('node:fs')).rmSync(join(dir, 'no_dat.dat'))

  write(dir, 'empty.hea', '')
  write(dir, 'garbage.hea', Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256))
  write(dir, 'multi.hea', 'multi/2 2 360 45000\nmulti_1 20000\nmulti_2 25000\n')
  write(dir, 'orphan.dat', datBytes)
  write(dir, 'text.hea', 'hello, this is not a header\n')
  Object.assign(expected, {
    'empty.hea': 'empty-file',
    'garbage.hea': 'unknown-format',
    'text.hea': 'unknown-format',
    'multi.hea': 'multi-segment',
    'orphan.dat': 'missing-companion-file',
  })

  // CinC: header for 12 signals, but the matrix holds 11 rows; and a MATLAB v5 file
  const cincHea = (name: string): string => readFileSync(join(data, 'cinc/CPSC_CPSC-Extra/A0002.hea'), 'utf8').replaceAll('A0002', name)
  write(dir, 'rows11.hea', cincHea('rows11'))
  write(dir, 'rows11.mat', mat4Int16('val', 11, 5000, new Int16Array(11 * 5000)))
  write(dir, 'v5.hea', cincHea('v5'))
  const v5 = new Uint8Array(1000)
  v5.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, Platform: GLNXA64'))
  write(dir, 'v5.mat', v5)
  write(dir, 'noval.hea', cincHea('noval'))
  write(dir, 'noval.mat', mat4Int16('other', 12, 5000, new Int16Array(12 * 5000)))
  Object.assign(expected, { 'rows11.hea': 'wrong-lead-count', 'v5.hea': 'unsupported-format', 'noval.hea': 'unsupported-format' })

  // CSV
  write(dir, 'nan.csv', `${CSV_HEAD}0.1,0.2,0.3\n0.1,NaN,0.3\n`)
  write(dir, 'inf.csv', `${CSV_HEAD}0.1,0.2,0.3\n0.1,0.2,Infinity\n`)
  write(dir, 'no_rate.csv', 'I,II,V1\n0.1,0.2,0.3\n')
  write(dir, 'one_lead.csv', '# fs=500\nII\n0.1\n0.2\n')
  write(dir, 'ragged.csv', `${CSV_HEAD}0.1,0.2,0.3\n0.1,0.2\n`)
  write(dir, 'no_leads.csv', '# sampling_rate=500\nfoo,bar\n1,2\n')
  Object.assign(expected, {
    'nan.csv': 'non-finite-samples',
    'inf.csv': 'non-finite-samples',
    'no_rate.csv': 'bad-sampling-rate',
    'one_lead.csv': 'wrong-lead-count',
    'ragged.csv': 'length-mismatch',
  })

  // HDF5: garbage after a valid signature, no `ecg` dataset, NaN samples, wrong lead count
  write(dir, 'garbage.h5', new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(500).fill(7)]))
  await h5wasm.ready
  const h5 = (name: string, dataset: string, shape: number[], values: Float32Array): void => {
    const f = new h5wasm.File(join(dir, name), 'w')
    f.create_dataset({ name: dataset, data: values, shape, dtype: '<f4' })
    f.close()
  }
  h5('noecg.h5', 'tracings', [12, 100], new Float32Array(1200))
  const withNan = new Float32Array(12 * 100)
  withNan[5 * 100 + 42] = NaN
  h5('nan.h5', 'ecg', [12, 100], withNan)
  h5('eight.h5', 'ecg', [8, 100], new Float32Array(800))
  Object.assign(expected, { 'garbage.h5': 'malformed-header', 'noecg.h5': 'unsupported-format', 'nan.h5': 'non-finite-samples', 'eight.h5': 'wrong-lead-count' })

  // aECG: cut in half; a digit that is not a number
  const good = okValues(await createImporterRegistry().importPaths([`${PTB}.hea`]))[0]!
  const xml = aecgXml(good)
  write(dir, 'cut.xml', xml.slice(0, xml.length / 2))
  write(dir, 'bad_digit.xml', xml.replace('<digits>', '<digits>12x '))
  Object.assign(expected, { 'cut.xml': 'truncated', 'bad_digit.xml': 'non-finite-samples' })

  // huge files: refused from stat alone
  write(dir, 'huge.hea', heaText.replaceAll('00001_hr', 'huge'))
  sparse(join(dir, 'huge.dat'), HUGE)
  sparse(join(tmp.dir, 'huge.csv'), HUGE)
  write(tmp.dir, 'notes.xyz', 'just some notes')
  Object.assign(expected, { 'huge.hea': 'too-large', 'huge.csv': 'too-large', 'notes.xyz': 'unknown-format' })

  outcomes = await createImporterRegistry().importPaths([dir, join(tmp.dir, 'huge.csv'), join(tmp.dir, 'notes.xyz'), join(tmp.dir, 'missing.hea')])
})

describe('bad input', () => {
  it('the sparse file really is above the limit without occupying the disk', () => {
    const s = statSync(join(dir, 'huge.dat'))
    expect(s.size).toBe(HUGE)
    expect(s.blocks * 512).toBeLessThan(2 ** 20)
  })

  it('one bad file never stops the batch: the good record imports', () => {
    const good = outcomes.find((o) => o.file.endsWith('/good.hea'))
    expect(good?.ok).toBe(true)
    expect(outcomes.filter((o) => o.ok).length).toBe(1)
  })

  it('a missing path is an io-error outcome', () => {
    expect(outcomes.find((o) => o.file.endsWith('missing.hea'))).toMatchObject({ ok: false, code: 'io-error' })
  })

  it('skips non-ECG files met in a folder scan but reports them when named explicitly', () => {
    expect(outcomes.some((o) => o.file.endsWith('no_leads.csv'))).toBe(false)
    expect(outcomes.find((o) => o.file.endsWith('notes.xyz'))).toMatchObject({ ok: false, code: 'unknown-format' })
  })

  it('gives each malformed file its typed error, naming the file and the problem', () => {
    const got: Record<string, string> = {}
    for (const o of outcomes) {
      const base = o.file.split('/').pop()!
      if (!o.ok) {
        got[base] = o.code
        // names the record's file, or the companion file at fault (same stem here)
        expect(o.message.startsWith(o.file.replace(/\.[^./]+$/, '')), o.message).toBe(true)
        expect(o.message.length).toBeGreaterThan(o.file.length + 10)
      }
    }
    for (const [file, code] of Object.entries(expected)) expect({ file, code: got[file] }).toEqual({ file, code })
    expect(Object.values(got).includes('internal')).toBe(false)
  })

  it('messages say what is wrong', () => {
    const msg = (name: string): string => {
      const o = outcomes.find((x) => x.file.endsWith(`/${name}`))
      return o && !o.ok ? o.message : ''
    }
    expect(msg('flipped_sample.hea')).toMatch(/checksum/)
    expect(msg('truncated.hea')).toMatch(/5000 samples x 12 signals .* holds 60000 bytes/)
    expect(msg('no_rate.csv')).toMatch(/sampling_rate=500/)
    expect(msg('nan.csv')).toMatch(/line 4, column "II"/)
    expect(msg('huge.csv')).toMatch(/600\.0 MiB; the import limit is 512 MiB/)
    expect(msg('multi.hea')).toMatch(/multi-segment/)
    expect(msg('garbage.hea')).toMatch(/named \.hea but its content is not of that format/)
    expect(msg('nan.h5')).toMatch(/lead "aVF" has a non-finite value \(NaN\) at sample 42/)
  })

  it('uploaded bytes get the same errors as files on disk', async () => {
    const names = ['flipped_sample.hea', 'flipped_sample.dat', 'garbage.hea', 'nan.csv', 'rows11.hea', 'rows11.mat', 'good.hea', 'good.dat']
    const files = names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }))
    const out = await createImporterRegistry().importFiles(files)
    expect(out.map((o) => [o.file, o.ok ? 'ok' : o.code])).toEqual([
      ['flipped_sample.hea', 'checksum-mismatch'],
      ['garbage.hea', 'unknown-format'],
      ['nan.csv', 'non-finite-samples'],
      ['rows11.hea', 'wrong-lead-count'],
      ['good.hea', 'ok'],
    ])
  })

  it('a smaller configured limit refuses uploads above it', async () => {
    const out = await createImporterRegistry({ maxFileBytes: 1000 }).importFiles([{ name: 'x.csv', bytes: new Uint8Array(2000).fill(49) }])
    expect(out[0]).toMatchObject({ ok: false, code: 'too-large' })
  })
})
