import { describe, expect, it } from 'vitest'
import { cloneHead, dataLoss, fitTemperature, headLogits, lossAndGrad, type Head, type HeadData, type HeadKind } from '../../../src/main/finetune/head'
import { trainHead, DEFAULT_TRAIN_OPTIONS } from '../../../src/main/finetune/train'
import { classCounts, prng, stratifiedSplit, toHeadData, type LabelledEmbeddings } from '../../../src/main/finetune/dataset'

function randomHead(C: number, D: number, rnd: () => number): Head {
  return { W: Float32Array.from({ length: C * D }, () => rnd() - 0.5), b: Float32Array.from({ length: C }, () => rnd() - 0.5), classes: C, inFeatures: D }
}

function randomData(kind: HeadKind, n: number, C: number, D: number, rnd: () => number): HeadData {
  const X = Float32Array.from({ length: n * D }, () => 2 * rnd() - 1)
  const targets = kind === 'softmax' ? Int32Array.from({ length: n }, () => Math.floor(rnd() * C)) : Uint8Array.from({ length: n * C }, () => (rnd() < 0.3 ? 1 : 0))
  const weights = Float64Array.from({ length: n }, () => 0.5 + rnd())
  const d: HeadData = { X, n, targets, weights }
  if (kind === 'sigmoid') d.posWeight = Float64Array.from({ length: C }, () => 1 + 3 * rnd())
  return d
}

/**
 * Central finite differences in float64: the head stores float32, so we perturb a float64 copy of the
 * parameters by evaluating the objective through a Float64-backed head.
 */
function numericGrad(kind: HeadKind, head: Head, data: HeadData, lambda: number, reference: Head): { gW: number[]; gb: number[] } {
  const h = 1e-3
  const f = (W: Float32Array, b: Float32Array): number => lossAndGrad({ ...head, W, b }, data, { kind, lambda, reference }).loss
  const gW: number[] = []
  const gb: number[] = []
  for (let k = 0; k < head.W.length; k++) {
    const plus = head.W.slice()
    const minus = head.W.slice()
    plus[k] = plus[k]! + h
    minus[k] = minus[k]! - h
    // use the float32-rounded step actually taken
    gW.push((f(plus, head.b) - f(minus, head.b)) / (plus[k]! - minus[k]!))
  }
  for (let c = 0; c < head.b.length; c++) {
    const plus = head.b.slice()
    const minus = head.b.slice()
    plus[c] = plus[c]! + h
    minus[c] = minus[c]! - h
    gb.push((f(head.W, plus) - f(head.W, minus)) / (plus[c]! - minus[c]!))
  }
  return { gW, gb }
}

describe('head objective gradient vs finite differences', () => {
  for (const kind of ['softmax', 'sigmoid'] as const) {
    it(`${kind}: class weights + L2 toward the reference head`, () => {
      const rnd = prng(kind === 'softmax' ? 1 : 2)
      const head = randomHead(3, 5, rnd)
      const reference = randomHead(3, 5, rnd)
      const data = randomData(kind, 11, 3, 5, rnd)
      const analytic = lossAndGrad(head, data, { kind, lambda: 0.3, reference })
      const numeric = numericGrad(kind, head, data, 0.3, reference)
      for (let k = 0; k < numeric.gW.length; k++) expect(analytic.gW[k]).toBeCloseTo(numeric.gW[k]!, 4)
      for (let c = 0; c < numeric.gb.length; c++) expect(analytic.gb[c]).toBeCloseTo(numeric.gb[c]!, 4)
      // the gradient is not trivially zero
      expect(Math.max(...Array.from(analytic.gW, Math.abs))).toBeGreaterThan(1e-3)
    })
  }
  it('softmax loss matches a hand-computed case', () => {
    // one case, logits [0, ln 3] -> p = [0.25, 0.75]; target 1 -> loss = -ln 0.75
    const Z = Float64Array.from([0, Math.log(3)])
    const data: HeadData = { X: new Float32Array(0), n: 1, targets: Int32Array.from([1]), weights: Float64Array.from([1]) }
    expect(dataLoss('softmax', Z, 2, data)).toBeCloseTo(-Math.log(0.75), 12)
    // sigmoid, logit 0 -> p 0.5: loss ln 2 for either target, positive term scaled by posWeight 3
    const s: HeadData = { X: new Float32Array(0), n: 1, targets: Uint8Array.from([1, 0]), weights: Float64Array.from([1]), posWeight: Float64Array.from([3, 3]) }
    expect(dataLoss('sigmoid', Float64Array.from([0, 0]), 2, s)).toBeCloseTo(3 * Math.log(2) + Math.log(2), 12)
  })
  it('logits are X W^T + b', () => {
    const head: Head = { W: Float32Array.from([1, 2, 3, 4, 5, 6]), b: Float32Array.from([0.5, -1]), classes: 2, inFeatures: 3 }
    expect(Array.from(headLogits(head, Float32Array.from([1, 0, -1]), 1))).toEqual([1 - 3 + 0.5, 4 - 6 - 1])
  })
})

describe('head training', () => {
  function separable(n: number, seed: number): LabelledEmbeddings {
    const rnd = prng(seed)
    const D = 4
    const X = new Float32Array(n * D)
    const targets = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const y = i % 3
      targets[i] = y
      for (let d = 0; d < D; d++) X[i * D + d] = (d === y ? 2 : 0) + rnd() - 0.5
    }
    return { kind: 'softmax', X, n, dim: D, classes: 3, targets }
  }
  it('learns a separable problem from a useless head, stops early, keeps a finite temperature', () => {
    const data = separable(90, 3)
    const split = stratifiedSplit(data.targets, 0.2, 42)
    const counts = classCounts({ ...data, n: split.train.length, targets: Int32Array.from(split.train, (i) => data.targets[i]!) })
    const train = toHeadData(data, split.train, counts, split.train.length)
    const val = toHeadData(data, split.val, counts, split.train.length)
    const initial: Head = { W: new Float32Array(12), b: new Float32Array(3), classes: 3, inFeatures: 4 }
    const epochs: number[] = []
    const r = trainHead('softmax', initial, train, val, { ...DEFAULT_TRAIN_OPTIONS, lambda: 0, learningRate: 0.05, maxEpochs: 2000, patience: 20 }, { onEpoch: (e) => epochs.push(e.epoch) })
    const P = headLogits(r.head, val.X, val.n)
    let correct = 0
    for (let i = 0; i < val.n; i++) {
      const row = Array.from(P.subarray(i * 3, i * 3 + 3))
      if (row.indexOf(Math.max(...row)) === val.targets[i]) correct++
    }
    expect(correct / val.n).toBeGreaterThanOrEqual(0.95)
    expect(r.history[r.history.length - 1]!.loss).toBeLessThan(r.history[0]!.loss / 4)
    expect(epochs.length).toBe(r.history.length)
    expect(r.temperature).toBeGreaterThan(0)
    expect(r.bestEpoch).toBeLessThanOrEqual(r.epochs)
  })
  it('a strong L2 pull keeps the head at the reference', () => {
    const data = separable(30, 4)
    const all = Array.from({ length: 30 }, (_, i) => i)
    const train = toHeadData(data, all, classCounts(data), 30)
    const initial = randomHead(3, 4, prng(5))
    const r = trainHead('softmax', initial, train, null, { ...DEFAULT_TRAIN_OPTIONS, lambda: 1e4, maxEpochs: 200, temperatureScaling: false })
    for (let k = 0; k < initial.W.length; k++) expect(Math.abs(r.head.W[k]! - initial.W[k]!)).toBeLessThan(0.02)
    const free = trainHead('softmax', initial, train, null, { ...DEFAULT_TRAIN_OPTIONS, lambda: 0, maxEpochs: 200, temperatureScaling: false })
    const moved = Math.max(...Array.from(free.head.W, (w, k) => Math.abs(w - initial.W[k]!)))
    expect(moved).toBeGreaterThan(0.5)
  })
  it('cancel stops at the next epoch', () => {
    const data = separable(30, 6)
    const train = toHeadData(data, Array.from({ length: 30 }, (_, i) => i), classCounts(data), 30)
    let calls = 0
    const r = trainHead('softmax', randomHead(3, 4, prng(1)), train, null, DEFAULT_TRAIN_OPTIONS, { shouldStop: () => ++calls > 5 })
    expect(r.stopped).toBe('cancelled')
    expect(r.history).toHaveLength(5)
  })
  it('temperature scaling recovers a known temperature', () => {
    // labels drawn from softmax(z / 2.5): the NLL-optimal temperature for logits z is close to 2.5
    const rnd = prng(9)
    const n = 4000
    const Z = new Float64Array(n * 2)
    const targets = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const z = 6 * (rnd() - 0.5)
      Z[i * 2 + 1] = z
      targets[i] = rnd() < 1 / (1 + Math.exp(-z / 2.5)) ? 1 : 0
    }
    const t = fitTemperature('softmax', Z, 2, { X: new Float32Array(0), n, targets, weights: new Float64Array(n).fill(1) })
    expect(t).toBeGreaterThan(2.1)
    expect(t).toBeLessThan(2.9)
  })
  it('stratified split is deterministic and keeps every class of 3+ cases in validation', () => {
    const strata = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    const a = stratifiedSplit(strata, 0.2, 7)
    expect(stratifiedSplit(strata, 0.2, 7)).toEqual(a)
    expect(new Set(a.val.map((i) => strata[i]))).toEqual(new Set([0, 1]))
    expect(a.train.length + a.val.length).toBe(10)
    expect(cloneHead(randomHead(2, 2, prng(1))).classes).toBe(2)
  })
})
