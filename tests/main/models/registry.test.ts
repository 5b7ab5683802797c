/**
 * Model registry: verification and refusal (corrupt bytes, truncated file, hash mismatch, wrong input shape in the
 * manifest, missing file, broken manifest), coexisting versions, persisted activation, shipped files untouched.
 * Uses a model exported by the training pipeline's own export code (tests/main/inference/test-model.ts).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrtEngine } from '../../../src/main/inference/engine'
import { ModelRegistry, compareVersions, type ModelEntry } from '../../../src/main/models/registry'
import { sha256File } from '../../../src/main/models/verify'
import { makeTestModels } from '../inference/test-model'

/** The manifest as raw JSON, to be broken on purpose. */
interface ManifestJson {
  version: string
  sha256: string
  thresholds: Record<string, number>
  input: { shape: unknown[]; preprocessing: { windowSamples: number } }
}

describe('model registry', () => {
  const root = mkdtempSync(join(tmpdir(), 'ecg-registry-'))
  const src = join(root, 'src')
  const shipped = join(root, 'shipped')
  const user = join(root, 'user')
  // activation tests use their own small tree so that re-scanning stays fast
  const shipped2 = join(root, 'shipped2')
  const user2 = join(root, 'user2')
  const engine = new OrtEngine({ providers: ['cpu'] })
  let k = 0
  const probe = async (p: string) => {
    const key = `probe${k++}`
    const info = await engine.open(key, p)
    await engine.close(key)
    return info
  }
  const registry = (): ModelRegistry => new ModelRegistry({ shippedDir: shipped, userDir: user, stateFile: join(root, 'state.json'), probe })
  const registry2 = (): ModelRegistry => new ModelRegistry({ shippedDir: shipped2, userDir: user2, stateFile: join(root, 'state2.json'), probe })
  let first: ModelRegistry
  let entries: ModelEntry[]
  const find = (id: string, version: string): ModelEntry => entries.find((e) => e.id === id && e.version === version)!
  const modelFile = (id: string, v: string, dir = shipped) => join(dir, id, v, 'model.onnx')
  const manifestFile = (id: string, v: string) => join(shipped, id, v, 'manifest.json')
  const editManifest = (id: string, v: string, f: (m: ManifestJson) => void): void => {
    const m = JSON.parse(readFileSync(manifestFile(id, v), 'utf8'))
    f(m)
    writeFileSync(manifestFile(id, v), JSON.stringify(m))
  }
  /** Copy the good model to shipped/<id>/<version> with the manifest's version rewritten. */
  const copyAs = (id: string, from: string, v: string, dest = shipped): void => {
    cpSync(join(src, id, from), join(dest, id, v), { recursive: true })
    const p = join(dest, id, v, 'manifest.json')
    const m = JSON.parse(readFileSync(p, 'utf8'))
    m.version = v
    writeFileSync(p, JSON.stringify(m))
  }
  let shippedHashBefore: string

  beforeAll(async () => {
    makeTestModels([
      { root: src, scheme: 'tier3', version: '1.0.0', small: true },
      { root: src, scheme: 'tier4', version: '1.0.0', small: true },
    ])
    copyAs('triage-tier3', '1.0.0', '1.0.0')
    copyAs('triage-tier3', '1.0.0', '1.1.0')
    copyAs('triage-tier4', '1.0.0', '1.0.0')
    // corrupt bytes: a run in the middle of the weights overwritten
    copyAs('triage-tier3', '1.0.0', '2.0.0')
    const buf = readFileSync(modelFile('triage-tier3', '2.0.0'))
    buf.fill(0xff, buf.length >> 1, (buf.length >> 1) + 256)
    writeFileSync(modelFile('triage-tier3', '2.0.0'), buf)
    // corrupt bytes with the manifest hash updated to match: only parsing / the runtime can refuse it
    copyAs('triage-tier3', '1.0.0', '2.1.0')
    const b2 = readFileSync(modelFile('triage-tier3', '2.1.0'))
    b2.fill(0xff, 0, 64)
    writeFileSync(modelFile('triage-tier3', '2.1.0'), b2)
    const sha = await sha256File(modelFile('triage-tier3', '2.1.0'))
    editManifest('triage-tier3', '2.1.0', (m) => { m.sha256 = sha })
    // truncated file
    copyAs('triage-tier3', '1.0.0', '2.2.0')
    truncateSync(modelFile('triage-tier3', '2.2.0'), 100_000)
    // hash mismatch: intact file, manifest names another hash
    copyAs('triage-tier3', '1.0.0', '2.3.0')
    editManifest('triage-tier3', '2.3.0', (m) => { m.sha256 = '0'.repeat(64) })
    // wrong input shape in the manifest
    copyAs('triage-tier3', '1.0.0', '2.4.0')
    editManifest('triage-tier3', '2.4.0', (m) => { m.input.shape = ['batch', 12, 500]; m.input.preprocessing.windowSamples = 500 })
    // missing file
    copyAs('triage-tier3', '1.0.0', '2.5.0')
    rmSync(modelFile('triage-tier3', '2.5.0'))
    // manifest not valid JSON / not the schema / folder and manifest disagree
    copyAs('triage-tier3', '1.0.0', '2.6.0')
    writeFileSync(manifestFile('triage-tier3', '2.6.0'), '{"schemaVersion": 1,')
    copyAs('triage-tier3', '1.0.0', '2.7.0')
    editManifest('triage-tier3', '2.7.0', (m) => { delete m.thresholds.urgent })
    copyAs('triage-tier3', '1.0.0', '2.8.0')
    editManifest('triage-tier3', '2.8.0', (m) => { m.version = '9.9.9' })
    // a local fine-tuned version and a local copy that reuses a shipped version number
    copyAs('triage-tier3', '1.0.0', '1.1.0-local.1', user)
    copyAs('triage-tier3', '1.0.0', '1.0.0', user)
    for (const [id, v] of [['triage-tier3', '1.0.0'], ['triage-tier3', '1.1.0'], ['triage-tier4', '1.0.0']] as const) copyAs(id, '1.0.0', v, shipped2)
    copyAs('triage-tier3', '1.0.0', '1.1.0-local.1', user2)
    cpSync(join(shipped, 'triage-tier3', '2.0.0'), join(shipped2, 'triage-tier3', '2.0.0'), { recursive: true })
    shippedHashBefore = await sha256File(modelFile('triage-tier3', '1.0.0', shipped2))
    first = registry()
    entries = await first.scan()
  }, 120_000)
  afterAll(async () => {
    await engine.dispose()
    rmSync(root, { recursive: true, force: true })
  })

  it('accepts intact models, shipped and local, several versions per id', () => {
    for (const [id, v] of [['triage-tier3', '1.0.0'], ['triage-tier3', '1.1.0'], ['triage-tier4', '1.0.0'], ['triage-tier3', '1.1.0-local.1']] as const) {
      expect(find(id, v), `${id}@${v}: ${find(id, v)?.message}`).toMatchObject({ status: 'ok' })
    }
    expect(find('triage-tier3', '1.1.0-local.1').shipped).toBe(false)
  })
  it('refuses corrupt bytes (hash mismatch)', () => {
    expect(find('triage-tier3', '2.0.0')).toMatchObject({ status: 'refused', message: expect.stringMatching(/SHA-256 .* does not match/) })
  })
  it('refuses corrupt bytes even when the manifest hash was updated to match', () => {
    const e = find('triage-tier3', '2.1.0')
    expect(e.status).toBe('refused')
    expect(e.message).toMatch(/not a valid ONNX model|cannot open/)
  })
  it('refuses a truncated file and says so', () => {
    expect(find('triage-tier3', '2.2.0')).toMatchObject({ status: 'refused', message: expect.stringMatching(/truncated or corrupt/) })
  })
  it('refuses a hash mismatch', () => {
    expect(find('triage-tier3', '2.3.0').message).toMatch(/does not match the manifest's 000000000000/)
  })
  it('refuses a manifest whose input shape differs from the graph', () => {
    expect(find('triage-tier3', '2.4.0').message).toMatch(/input 'ecg' has shape \(batch, 12, 1000\) but the manifest says \(batch, 12, 500\)/)
  })
  it('refuses a missing model file', () => {
    expect(find('triage-tier3', '2.5.0').message).toMatch(/model\.onnx: model file is missing/)
  })
  it('refuses broken manifests with the place named', () => {
    expect(find('triage-tier3', '2.6.0').message).toMatch(/manifest\.json: not valid JSON/)
    expect(find('triage-tier3', '2.7.0').message).toMatch(/no threshold for tier 'urgent'/)
    expect(find('triage-tier3', '2.8.0').message).toMatch(/says triage-tier3@9\.9\.9 but lies in triage-tier3\/2\.8\.0/)
  })
  it('refuses a local version that reuses a shipped number', () => {
    const dup = entries.filter((e) => e.id === 'triage-tier3' && e.version === '1.0.0')
    expect(dup.map((e) => [e.shipped, e.status])).toEqual([[true, 'ok'], [false, 'refused']])
  })
  it('lists every model for the UI, refused ones with their reason', () => {
    const infos = first.list()
    expect(infos).toHaveLength(entries.length)
    expect(infos.filter((i) => i.status === 'refused')).toHaveLength(10)
    expect(infos.filter((i) => i.status === 'refused').every((i) => (i.message ?? '').length > 10)).toBe(true)
  })
  it('defaults to the newest usable shipped version of the 3-tier model; refused versions never become active', async () => {
    const r = first
    expect(r.active('tier')?.version).toBe('1.1.0') // 2.x are all refused
    expect(r.active('tier')?.id).toBe('triage-tier3')
    await expect(r.activate('triage-tier3', '2.0.0')).rejects.toThrow(/refused/)
    await expect(r.activate('triage-tier3', '7.0.0')).rejects.toThrow(/no model/)
  })
  it('activation is persisted, switches the tier role between schemes, and never touches shipped files', async () => {
    const r = registry2()
    await r.scan()
    await r.activate('triage-tier3', '1.1.0-local.1')
    await r.activate('triage-tier4', '1.0.0')
    const again = registry2()
    await again.scan()
    expect(again.active('tier')).toMatchObject({ id: 'triage-tier4', version: '1.0.0' })
    expect(again.activeVersion('triage-tier3')?.version).toBe('1.1.0-local.1')
    expect(again.active('tier', 'triage-tier3')?.version).toBe('1.1.0-local.1')
    const active = again.list().filter((i) => i.active)
    expect(active.map((i) => `${i.id}@${i.version}`)).toEqual(['triage-tier4@1.0.0'])
    expect(await sha256File(modelFile('triage-tier3', '1.0.0', shipped2))).toBe(shippedHashBefore)
    expect(readFileSync(join(root, 'state2.json'), 'utf8')).toMatch(/1\.1\.0-local\.1/)
  })
  it('orders versions semantically', () => {
    expect(['1.10.0', '1.2.0', '1.2.0-local.1', '0.9.9'].sort(compareVersions)).toEqual(['0.9.9', '1.2.0-local.1', '1.2.0', '1.10.0'])
  })
})
