/** Registry behaviour: grouping companions, uploads, explicit signal files, ordering, and float16 decoding. */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createImporterRegistry } from '../../../src/main/importers'
import { decodeFloat16, f16ToNumber } from '../../../src/main/importers/float16'
import { parseAhaCodes } from '../../../src/main/importers/sph-hdf5'
import { dataRoot, okValues, PYTHON, tempDir } from './helpers'

const data = dataRoot()
const registry = createImporterRegistry()
const tmp = tempDir('ecg-reg-')
afterAll(() => tmp.cleanup())

const upload = (path: string, name = path.split('/').pop()!): { name: string; bytes: Uint8Array } => ({ name, bytes: new Uint8Array(readFileSync(path)) })

describe('ImporterRegistry', () => {
  it('pairs X.hea with X.dat in a folder: one outcome per record, in folder order', async () => {
    const dir = join(tmp.dir, 'pair')
    mkdirSync(dir)
    for (const id of ['00003', '00002']) {
      for (const ext of ['hea', 'dat']) copyFileSync(join(data, `ptbxl/records100/00000/${id}_lr.${ext}`), join(dir, `${id}_lr.${ext}`))
    }
    const out = await registry.importPaths([dir])
    expect(out.map((o) => o.ok && o.value.name)).toEqual(['00002_lr', '00003_lr'])
  })

  it('naming only the .dat imports the record through the header beside it', async () => {
    const [out, ...rest] = await registry.importPaths([join(data, 'ptbxl/records100/00000/00004_lr.dat')])
    expect(rest).toEqual([])
    expect(out).toMatchObject({ ok: true, file: join(data, 'ptbxl/records100/00000/00004_lr.hea') })
  })

  it('the same file named twice (or through its folder) is imported once', async () => {
    const hea = join(data, 'sph/SPH00002.h5')
    const out = await registry.importPaths([hea, hea, join(data, 'sph')])
    expect(out.filter((o) => o.ok && o.value.name === 'SPH00002').length).toBe(1)
  })

  it('uploads pair companions by name (and folder), and identical bytes give the same id as from disk', async () => {
    const cinc = join(data, 'cinc/CPSC_CPSC-Extra')
    const files = [upload(`${cinc}/A0003.mat`), upload(`${cinc}/A0003.hea`), upload(`${cinc}/A0004.hea`, 'x/A0004.hea'), upload(`${cinc}/A0004.mat`, 'y/A0004.mat')]
    const out = await registry.importFiles(files)
    expect(out.map((o) => [o.file, o.ok ? o.value.name : o.code])).toEqual([
      ['A0003.hea', 'A0003'],
      ['x/A0004.hea', 'missing-companion-file'], // its .mat was uploaded from another folder
      ['y/A0004.mat', 'missing-companion-file'],
    ])
    const [fromDisk] = okValues(await registry.importPaths([`${cinc}/A0003.hea`]))
    expect(out[0]!.ok && out[0]!.value.id).toBe(fromDisk!.id)
    expect(out[0]!.ok && out[0]!.value.sourceFiles).toEqual(['A0003.hea', 'A0003.mat'])
  })

  it('an uploaded SPH file reads its labels from an uploaded metadata.csv (which is not a record itself)', async () => {
    const out = await registry.importFiles([upload(join(data, 'sph/metadata.csv')), upload(join(data, 'sph/SPH00004.h5'))])
    expect(out.length).toBe(1)
    expect(out[0]).toMatchObject({ ok: true, value: { name: 'SPH00004', labels: [{ system: 'aha', code: '23' }], patient: { id: 'S00004', age: 31, sex: 'M' } } })
  })

  it('PTB-XL records away from their database import without labels', async () => {
    const dir = join(tmp.dir, 'lonely')
    mkdirSync(dir)
    for (const ext of ['hea', 'dat']) copyFileSync(join(data, `ptbxl/records500/00000/00005_hr.${ext}`), join(dir, `00005_hr.${ext}`))
    const [rec] = okValues(await registry.importPaths([dir]))
    expect(rec!.labels).toEqual([])
    expect(rec!.patient).toEqual({})
  })
})

describe('SPH label syntax', () => {
  it('splits on ";" and attaches "+" modifiers', () => {
    expect(parseAhaCodes('22;23')).toEqual([{ system: 'aha', code: '22' }, { system: 'aha', code: '23' }])
    expect(parseAhaCodes('50+346;1')).toEqual([{ system: 'aha', code: '50', modifiers: ['346'] }, { system: 'aha', code: '1' }])
  })
})

describe('float16 decoding', () => {
  it('matches numpy for all 65,536 bit patterns', () => {
    const res = spawnSync(PYTHON, ['-c', 'import numpy as np,sys; sys.stdout.buffer.write(np.arange(65536,dtype=np.uint16).view(np.float16).astype(np.float32).tobytes())'], {
      maxBuffer: 2 ** 20,
    })
    expect(res.status).toBe(0)
    const ref = new Float32Array(res.stdout.buffer, res.stdout.byteOffset, 65536)
    const ours = decodeFloat16(Uint16Array.from({ length: 65536 }, (_, i) => i))
    let mismatches = 0
    for (let i = 0; i < 65536; i++) if (!Object.is(ours[i], ref[i]) && !(Number.isNaN(ours[i]) && Number.isNaN(ref[i]))) mismatches++
    expect(mismatches).toBe(0)
    expect(f16ToNumber(0x3c00)).toBe(1)
    expect(f16ToNumber(0x0001)).toBe(2 ** -24)
    expect(f16ToNumber(0xfc00)).toBe(-Infinity)
  })
})
