import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrtEngine } from '../../../src/main/inference/engine'
import { defaultProviders, openWithFallback } from '../../../src/main/inference/providers'
import { makeTestModels } from './test-model'

describe('execution providers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-providers-'))
  let modelPath: string
  beforeAll(() => {
    modelPath = join(makeTestModels([{ root: dir, scheme: 'tier3', version: '1.0.0', small: true }])[0]!, 'model.onnx')
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('tries accelerators by platform and always ends with cpu', () => {
    expect(defaultProviders('linux', true)).toEqual(['cuda', 'cpu'])
    expect(defaultProviders('linux', false)).toEqual(['cpu'])
    expect(defaultProviders('win32', true)).toEqual(['cuda', 'dml', 'cpu'])
    expect(defaultProviders('win32', false)).toEqual(['dml', 'cpu'])
    expect(defaultProviders('darwin', false)).toEqual(['coreml', 'cpu'])
  })

  it('falls back to cpu when the preferred providers fail to open the model, and records why', async () => {
    // 'cuda' fails here without the CUDA add-on library (or a GPU); the made-up name fails everywhere
    const engine = new OrtEngine({ providers: ['no-such-accelerator', 'cpu'] })
    const info = await engine.open('m', modelPath)
    expect(info.provider).toBe('cpu')
    expect(info.failedProviders.map((f) => f.provider)).toEqual(['no-such-accelerator'])
    expect(info.failedProviders[0]!.error.length).toBeGreaterThan(0)
    const out = await engine.run('m', 'ecg', new Float32Array(12 * 1000), [1, 12, 1000], ['logits'])
    expect(out.logits!.dims).toEqual([1, 3])
    await engine.dispose()
  })

  it('reports every failed provider when none works', async () => {
    const engine = new OrtEngine({ providers: ['no-such-accelerator', 'another-missing-one'] })
    await expect(engine.open('m', modelPath)).rejects.toThrow(/no execution provider could open the model \(no-such-accelerator: .*; another-missing-one: /)
  })

  it('the fallback helper stops at the first provider that opens', async () => {
    const tried: string[] = []
    const r = await openWithFallback(['a', 'b', 'c'], async (p) => {
      tried.push(p)
      if (p === 'a') throw new Error('driver missing')
      return p
    })
    expect(r).toEqual({ session: 'b', provider: 'b', failed: [{ provider: 'a', error: 'driver missing' }] })
    expect(tried).toEqual(['a', 'b'])
  })
})
