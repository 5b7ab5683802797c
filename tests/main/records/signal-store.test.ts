/** Signal store: round trip, content addressing, atomicity and corruption detection. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EcgRecord } from '@shared/ecg'
import { createImporterRegistry } from '../../../src/main/importers'
import { SignalStore, SignalStoreError } from '../../../src/main/records/signal-store'
import { dataRoot, okValues, tempDir } from '../importers/helpers'

const tmp = tempDir('ecg-store-')
let records: EcgRecord[]
afterAll(() => tmp.cleanup())
beforeAll(async () => {
  const data = dataRoot()
  records = okValues(
    await createImporterRegistry().importPaths([
      join(data, 'ptbxl/records500/00000/00010_hr.hea'),
      join(data, 'cinc/PTB_PTBXL/S0010.hea'),
      join(data, 'sph/SPH00003.h5'),
    ]),
  )
})

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SignalStoreError)
  expect((err as SignalStoreError).code).toBe(code)
}

describe('SignalStore', () => {
  it('stores and returns records bit for bit, with their summaries', async () => {
    const store = new SignalStore(join(tmp.dir, 'a'))
    for (const r of records) {
      const summary = await store.put(r)
      expect(summary).not.toHaveProperty('signals')
      expect(await store.has(r.id)).toBe(true)
      const back = await store.get(r.id)
      const { signals, ...rest } = r
      expect(await store.summary(r.id)).toEqual(rest)
      expect(back.signals.length).toBe(signals.length)
      back.signals.forEach((s, i) => expect(Buffer.from(s.buffer, s.byteOffset, s.byteLength).equals(Buffer.from(signals[i]!.buffer, signals[i]!.byteOffset, signals[i]!.byteLength))).toBe(true))
    }
    expect(await store.list()).toEqual(records.map((r) => r.id).sort())
    const s0010 = records.find((r) => r.name === 'S0010')!
    expect(statSync(join(tmp.dir, 'a', `${s0010.id}.f32`)).size).toBe(12 * 115200 * 4)
  })

  it('leaves no temp files behind and re-putting the same record keeps one copy', async () => {
    const dir = join(tmp.dir, 'b')
    const store = new SignalStore(dir, { durable: false })
    await store.put(records[0]!)
    await store.put({ ...records[0]!, sourceFiles: ['/moved/00010_hr.hea', '/moved/00010_hr.dat'] })
    expect(readdirSync(dir).sort()).toEqual([`${records[0]!.id}.f32`, `${records[0]!.id}.json`])
    expect((await store.summary(records[0]!.id)).sourceFiles).toEqual(['/moved/00010_hr.hea', '/moved/00010_hr.dat'])
  })

  it('unknown ids are not-found; malformed ids are refused before touching the disk', async () => {
    const store = new SignalStore(join(tmp.dir, 'a'))
    await expectCode(store.get('0'.repeat(64)), 'not-found')
    await expectCode(store.get('../../etc/passwd'), 'bad-id')
    expect(await store.has('../x')).toBe(false)
  })

  it('detects damaged samples (size or content) and damaged summaries', async () => {
    const dir = join(tmp.dir, 'c')
    const store = new SignalStore(dir, { durable: false })
    const [a, b, c] = records as [EcgRecord, EcgRecord, EcgRecord]
    await Promise.all([store.put(a), store.put(b), store.put(c)])
    const f32 = join(dir, `${a.id}.f32`)
    const bytes = readFileSync(f32)
    bytes[100] = bytes[100]! ^ 1
    writeFileSync(f32, bytes)
    await expectCode(store.get(a.id), 'corrupt')
    writeFileSync(join(dir, `${b.id}.f32`), readFileSync(join(dir, `${b.id}.f32`)).subarray(0, 1000))
    await expectCode(store.get(b.id), 'corrupt')
    writeFileSync(join(dir, `${c.id}.json`), '{"version":1,')
    await expectCode(store.get(c.id), 'corrupt')
  })

  it('a failed write leaves no half-saved record and no temp files', async () => {
    const dir = join(tmp.dir, 'fail')
    const r = records[0]!
    // The summary is written last; make its rename fail (a directory sits where it must go) after the samples landed.
    mkdirSync(join(dir, `${r.id}.json`), { recursive: true })
    const store = new SignalStore(dir)
    await expectCode(store.put(r), 'io-error')
    expect(await store.has(r.id)).toBe(false)
    expect(await store.list()).toEqual([])
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    // a parent that is a file: nothing can be created at all
    writeFileSync(join(tmp.dir, 'plainfile'), 'x')
    await expectCode(new SignalStore(join(tmp.dir, 'plainfile', 'signals')).put(r), 'io-error')
  })
})
