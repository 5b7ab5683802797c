import { describe, expect, it } from 'vitest'
import { workerTrainingRunner } from '../../../src/main/finetune/trainer'
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/main/finetune/train'
import { classCounts, prng, toHeadData, type LabelledEmbeddings } from '../../../src/main/finetune/dataset'
import type { EpochReport } from '../../../src/main/finetune/train'

function problem(n: number): LabelledEmbeddings {
  const rnd = prng(11)
  const X = new Float32Array(n * 4)
  const targets = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    targets[i] = i % 2
    for (let d = 0; d < 4; d++) X[i * 4 + d] = (d === i % 2 ? 1.5 : 0) + rnd() - 0.5
  }
  return { kind: 'softmax', X, n, dim: 4, classes: 2, targets }
}

describe('training in a worker thread', () => {
  it('trains off the main thread, reports epochs, returns the head', async () => {
    const data = problem(40)
    const all = Array.from({ length: 40 }, (_, i) => i)
    const train = toHeadData(data, all, classCounts(data), 40)
    const epochs: EpochReport[] = []
    const h = workerTrainingRunner(
      { kind: 'softmax', initial: { W: new Float32Array(8), b: new Float32Array(2), classes: 2, inFeatures: 4 }, train, val: null, options: { ...DEFAULT_TRAIN_OPTIONS, maxEpochs: 50, lambda: 0, learningRate: 0.05 }, reportEvery: 10 },
      (r) => epochs.push(r),
    )
    const r = await h.result
    expect(r.epochs).toBe(50)
    expect(r.head.W).toBeInstanceOf(Float32Array)
    expect(epochs.map((e) => e.epoch)).toEqual([10, 20, 30, 40, 50])
    expect(epochs[4]!.loss).toBeLessThan(epochs[0]!.loss)
  })

  it('cancel stops a long job early', async () => {
    const data = problem(400)
    const all = Array.from({ length: 400 }, (_, i) => i)
    const train = toHeadData(data, all, classCounts(data), 400)
    let h: ReturnType<typeof workerTrainingRunner> | null = null
    h = workerTrainingRunner(
      { kind: 'softmax', initial: { W: new Float32Array(8), b: new Float32Array(2), classes: 2, inFeatures: 4 }, train, val: null, options: { ...DEFAULT_TRAIN_OPTIONS, maxEpochs: 1_000_000 } },
      (r) => {
        if (r.epoch === 3) h?.cancel()
      },
    )
    const r = await h.result
    expect(r.stopped).toBe('cancelled')
    expect(r.epochs).toBeLessThan(1_000_000)
  })
})
