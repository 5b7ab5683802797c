/** Records IPC handlers through the real dispatcher (zod validation) and the composition-root wiring. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { zRecord } from '@shared/contract/common'
import { channels } from '@shared/contract'
import { createDispatcher } from '../../../src/main/ipc/dispatch'
import { createImporterRegistry } from '../../../src/main/importers'
import { createRecordHandlers } from '../../../src/main/records/handlers'
import { SignalStore } from '../../../src/main/records/signal-store'
import type { EcgHandlers } from '@shared/contract'
import { dataRoot, tempDir } from '../importers/helpers'

const data = dataRoot()
const tmp = tempDir('ecg-handlers-')
afterAll(() => tmp.cleanup())

function setup(openDialog?: (o: { directory: boolean }) => Promise<string[]>) {
  const store = new SignalStore(join(tmp.dir, 'signals'), { durable: false })
  const handlers = createRecordHandlers({ registry: createImporterRegistry(), store, ...(openDialog ? { openDialog } : {}) })
  return { store, dispatch: createDispatcher(handlers as unknown as EcgHandlers) }
}

describe('records handlers', () => {
  it("'records:importPaths' stores each record and answers with summaries that satisfy the contract", async () => {
    const { store, dispatch } = setup()
    const res = (await dispatch('records:importPaths', { paths: [join(data, 'sph'), join(data, 'nope.hea')] })) as { outcomes: unknown[] }
    channels['records:importPaths'].response.parse(res)
    const ok = res.outcomes.filter((o): o is { ok: true; value: { id: string; name: string } } => (o as { ok: boolean }).ok)
    expect(ok.map((o) => o.value.name)).toEqual(['SPH00001', 'SPH00002', 'SPH00003', 'SPH00004'])
    expect(res.outcomes.find((o) => !(o as { ok: boolean }).ok)).toMatchObject({ ok: false, code: 'io-error' })
    expect(ok.every((o) => !('signals' in o.value))).toBe(true)
    for (const o of ok) expect(await store.has(o.value.id)).toBe(true)

    const rec = await dispatch('records:get', { id: ok[2]!.value.id })
    const parsed = zRecord.parse(rec)
    expect(parsed.name).toBe('SPH00003')
    expect(parsed.signals.length).toBe(12)
    expect(parsed.signals[0]!.length).toBe(parsed.length)
  })

  it("'records:importFiles' pairs uploaded companions and stores the record", async () => {
    const { store, dispatch } = setup()
    const dir = join(data, 'ptbxl/records100/00000')
    const files = ['00020_lr.hea', '00020_lr.dat'].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }))
    const res = (await dispatch('records:importFiles', { files })) as { outcomes: { ok: boolean; value?: { id: string } }[] }
    expect(res.outcomes.length).toBe(1)
    expect(res.outcomes[0]!.ok).toBe(true)
    expect((await store.get(res.outcomes[0]!.value!.id)).samplingRateHz).toBe(100)
  })

  it("'records:get' refuses malformed ids at the contract and reports unknown ones as not-found", async () => {
    const { dispatch } = setup()
    await expect(dispatch('records:get', { id: '../../etc/passwd' })).rejects.toThrow(/Invalid request/)
    await expect(dispatch('records:get', { id: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' })
  })

  it("'dialog:openPaths' uses the injected dialog, and says unsupported without one", async () => {
    expect(await setup().dispatch('dialog:openPaths', {})).toEqual({ supported: false, paths: [] })
    const calls: boolean[] = []
    const withDialog = setup(async ({ directory }) => (calls.push(directory), ['/picked']))
    expect(await withDialog.dispatch('dialog:openPaths', { directory: true })).toEqual({ supported: true, paths: ['/picked'] })
    expect(calls).toEqual([true])
  })

  it('a record that imports but cannot be saved is that record’s io-error, not a crashed batch', async () => {
    const store = new SignalStore(join(tmp.dir, 'signals2'), { durable: false })
    store.put = async () => {
      throw new Error('disk full')
    }
    const handlers = createRecordHandlers({ registry: createImporterRegistry(), store })
    const res = await handlers['records:importPaths']({ paths: [join(data, 'sph/SPH00001.h5')] })
    expect(res.outcomes[0]).toMatchObject({ ok: false, code: 'io-error' })
    expect(!res.outcomes[0]!.ok && res.outcomes[0]!.message).toMatch(/imported but not saved: disk full/)
  })
})
