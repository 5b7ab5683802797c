/**
 * From labelled embeddings to training tensors: class balancing weights and a deterministic stratified
 * held-out split. Pure functions.
 */
import type { HeadData, HeadKind } from './head'

/** Seeded PRNG (mulberry32) so a split is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Stratified split of case indices by `strata[i]` (the class for single-label cases, the rarest positive class
 * for multi-label ones): each stratum gives round(fraction * size) cases to validation, at least one when it has
 * three or more cases, so every class with a few examples is also seen in validation.
 */
export function stratifiedSplit(strata: ArrayLike<number>, fraction: number, seed: number): { train: number[]; val: number[] } {
  const groups = new Map<number, number[]>()
  for (let i = 0; i < strata.length; i++) {
    const s = strata[i] as number
    const g = groups.get(s) ?? []
    g.push(i)
    groups.set(s, g)
  }
  const rnd = prng(seed)
  const train: number[] = []
  const val: number[] = []
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const g = groups.get(key)!
    for (let i = g.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[g[i], g[j]] = [g[j]!, g[i]!]
    }
    let k = Math.round(fraction * g.length)
    if (g.length >= 3) k = Math.max(1, k)
    if (k >= g.length) k = g.length - 1
    val.push(...g.slice(0, k))
    train.push(...g.slice(k))
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) }
}

/** Labelled cases for one model: softmax targets are class indices (N); sigmoid targets are multi-hot (N, C). */
export interface LabelledEmbeddings {
  kind: HeadKind
  /** (N, D) */
  X: Float32Array
  n: number
  dim: number
  classes: number
  targets: Int32Array | Uint8Array
}

/** Per-class counts: softmax -> cases per class; sigmoid -> positives per class. (C) */
export function classCounts(data: LabelledEmbeddings): number[] {
  const counts = new Array<number>(data.classes).fill(0)
  if (data.kind === 'softmax') for (let i = 0; i < data.n; i++) counts[data.targets[i]!]! += 1
  else for (let i = 0; i < data.n * data.classes; i++) counts[i % data.classes]! += data.targets[i]!
  return counts
}

/** The stratum of each case (see stratifiedSplit). (N) */
export function strataOf(data: LabelledEmbeddings): Int32Array {
  const out = new Int32Array(data.n)
  if (data.kind === 'softmax') {
    out.set(data.targets)
    return out
  }
  const counts = classCounts(data)
  for (let i = 0; i < data.n; i++) {
    let best = -1
    for (let c = 0; c < data.classes; c++) {
      if (data.targets[i * data.classes + c] && (best < 0 || counts[c]! < counts[best]!)) best = c
    }
    out[i] = best
  }
  return out
}

/**
 * The subset `idx` as HeadData with class-balancing weights computed on the TRAINING counts:
 * softmax: w = N / (C_present * n_class) ("balanced"); sigmoid: positive-term weight n_neg / n_pos capped at 10
 * (uncapped, one positive among hundreds would dominate the loss).
 */
export function toHeadData(data: LabelledEmbeddings, idx: readonly number[], trainCounts: readonly number[], trainN: number): HeadData {
  const { dim: D, classes: C } = data
  const X = new Float32Array(idx.length * D)
  const targets = data.kind === 'softmax' ? new Int32Array(idx.length) : new Uint8Array(idx.length * C)
  const weights = new Float64Array(idx.length)
  const present = trainCounts.filter((c) => c > 0).length
  idx.forEach((src, j) => {
    X.set(data.X.subarray(src * D, (src + 1) * D), j * D)
    if (data.kind === 'softmax') {
      const y = data.targets[src]!
      targets[j] = y
      weights[j] = trainCounts[y]! > 0 ? trainN / (present * trainCounts[y]!) : 1
    } else {
      targets.set(data.targets.subarray(src * C, (src + 1) * C), j * C)
      weights[j] = 1
    }
  })
  const out: HeadData = { X, n: idx.length, targets, weights }
  if (data.kind === 'sigmoid') {
    out.posWeight = Float64Array.from(trainCounts, (pos) => (pos > 0 ? Math.min(10, (trainN - pos) / pos) : 1))
  }
  return out
}
