import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabelStore, splitOf } from '../../../src/main/annotations/label-store'

describe('local labelled set', () => {
  it('assigns each record a split once (hash of its id), keeps it across updates, and skips no-op writes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecg-labels-')), 'labels.json')
    const store = new LabelStore(file)
    const ids = Array.from({ length: 200 }, (_, i) => `rec-${i}`)
    const r = await store.put(ids.map((recordId) => ({ recordId, tier3: 'normal', source: 'source-label' as const })))
    expect(r.changed).toBe(200)
    // about 30% test; the exact split is a pure function of the id
    expect(r.test).toBeGreaterThan(40)
    expect(r.test).toBeLessThan(80)
    for (const it of await store.list()) expect(it.split).toBe(splitOf(it.recordId, 0.3))
    const mtime = statSync(file).mtimeMs
    const again = await store.put(ids.map((recordId) => ({ recordId, tier3: 'normal', source: 'source-label' as const })))
    expect(again.changed).toBe(0)
    expect(statSync(file).mtimeMs).toBe(mtime)
    // an over-read corrects a source label; the split does not move; omitted fields are kept
    await store.put([{ recordId: 'rec-7', codes: ['50'], source: 'source-label' }])
    await store.put([{ recordId: 'rec-7', tier3: 'urgent', source: 'over-read' }])
    const reloaded = await new LabelStore(file).list()
    expect(reloaded.find((i) => i.recordId === 'rec-7')).toMatchObject({ tier3: 'urgent', codes: ['50'], source: 'over-read', split: splitOf('rec-7', 0.3) })
  })

  it('a corrupt labels file is reported by name and never overwritten', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ecg-labels-')), 'labels.json')
    writeFileSync(file, '{"schemaVersion": 1, "testFraction": 0.3, "items": [{"recordId": 5}]}')
    const store = new LabelStore(file)
    await expect(store.put([{ recordId: 'a', tier3: 'normal', source: 'over-read' }])).rejects.toThrow(/labels\.json: unexpected content at items\.0\.recordId/)
    expect(readFileSync(file, 'utf8')).toContain('"recordId": 5')
  })
})
