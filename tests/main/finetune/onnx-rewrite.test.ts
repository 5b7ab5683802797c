import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { OnnxRewriteError, readFloatInitializer, replaceInitializers, scanFields } from '../../../src/main/finetune/onnx-rewrite'
import { makeTinyModel } from './tiny-model'

const C = 3
const T = 500
let original: Uint8Array

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-onnx-rw-'))
  original = new Uint8Array(readFileSync(makeTinyModel(dir, C, T)))
})

async function run(model: Uint8Array, x: Float32Array, batch: number): Promise<{ logits: Float32Array; embedding: Float32Array }> {
  const session = await ort.InferenceSession.create(model)
  const out = await session.run({ ecg: new ort.Tensor('float32', x, [batch, 12, T]) })
  await session.release()
  return { logits: out.logits!.data as Float32Array, embedding: out.embedding!.data as Float32Array }
}

describe('ONNX head rewrite', () => {
  it('reads the head PyTorch wrote: W (C, D), b (C), logits == embedding W^T + b', async () => {
    const W = readFloatInitializer(original, 'head.weight')
    const b = readFloatInitializer(original, 'head.bias')
    expect(W.dims).toEqual([C, 16])
    expect(b.dims).toEqual([C])
    const x = Float32Array.from({ length: 12 * T }, (_, i) => Math.sin(i / 7))
    const { logits, embedding } = await run(original, x, 1)
    for (let c = 0; c < C; c++) {
      let z = b.data[c]!
      for (let d = 0; d < 16; d++) z += embedding[d]! * W.data[c * 16 + d]!
      expect(logits[c]).toBeCloseTo(z, 4)
    }
  })

  it("the rewritten model's logits equal embedding @ W'^T + b' for the new head; everything else unchanged", async () => {
    const W2 = Float32Array.from({ length: C * 16 }, (_, i) => ((i * 37) % 11) / 5 - 1)
    const b2 = Float32Array.from([0.3, -2, 1.5])
    const rewritten = replaceInitializers(original, new Map([
      ['head.weight', { dims: [C, 16], data: W2 }],
      ['head.bias', { dims: [C], data: b2 }],
    ]))
    expect(Array.from(readFloatInitializer(rewritten, 'head.weight').data)).toEqual(Array.from(W2))
    // the backbone is byte-identical
    expect(Array.from(readFloatInitializer(rewritten, 'conv.weight').data)).toEqual(Array.from(readFloatInitializer(original, 'conv.weight').data))
    const x = Float32Array.from({ length: 2 * 12 * T }, (_, i) => Math.cos(i / 13) + (i % 5) / 10)
    const before = await run(original, x, 2)
    const after = await run(rewritten, x, 2)
    expect(Array.from(after.embedding)).toEqual(Array.from(before.embedding))
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < C; c++) {
        let z = b2[c]!
        for (let d = 0; d < 16; d++) z += after.embedding[i * 16 + d]! * W2[c * 16 + d]!
        expect(after.logits[i * C + c]).toBeCloseTo(z, 4)
        expect(Math.abs(after.logits[i * C + c]! - before.logits[i * C + c]!)).toBeGreaterThan(1e-3)
      }
    }
    // fields outside the graph (ir_version, opset, producer) survive in order
    const outer = (m: Uint8Array) => scanFields(m).filter((f) => f.field !== 7).map((f) => Array.from(m.subarray(f.start, f.end)).join(','))
    expect(outer(rewritten)).toEqual(outer(original))
  })

  it('refuses wrong shapes, unknown names, non-finite values and garbage with a clear error', () => {
    expect(() => replaceInitializers(original, new Map([['head.weight', { dims: [16, C], data: new Float32Array(C * 16) }]]))).toThrow(/dims \[3, 16\], replacement has \[16, 3\]/)
    expect(() => replaceInitializers(original, new Map([['nope', { dims: [1], data: new Float32Array(1) }]]))).toThrow(/not found in the model: nope/)
    expect(() => replaceInitializers(original, new Map([['head.bias', { dims: [C], data: Float32Array.from([0, NaN, 0]) }]]))).toThrow(/non-finite/)
    expect(() => replaceInitializers(original.subarray(0, original.length - 9), new Map())).toThrow(OnnxRewriteError)
  })
})
