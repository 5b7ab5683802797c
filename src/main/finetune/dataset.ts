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

/**
 * Window-level training data from record-level labels: every window of a record is an example with the record's
 * label, weighted 1/W so each record counts once whatever its length. The split is made on records (windows of
 * one record never straddle train and validation).
 * perRecord[r].embedding (W_r, D); targets per record -> train/val HeadData over windows.
 */
export function windowedSplit(
  kind: HeadKind,
  perRecord: ReadonlyArray<{ embedding: Float32Array; windows: number }>,
  recordTargets: Int32Array | Uint8Array,
  classes: number,
  dim: number,
  valFraction: number,
  seed: number,
): { train: HeadData; val: HeadData | null; trainRecords: number[]; valRecords: number[]; trainCounts: number[] } {
  const nRec = perRecord.length
  const recordLevel: LabelledEmbeddings = { kind, X: new Float32Array(0), n: nRec, dim, classes, targets: recordTargets }
  const split = valFraction > 0 ? stratifiedSplit(strataOf(recordLevel), valFraction, seed) : { train: Array.from({ length: nRec }, (_, i) => i), val: [] }
  const trainTargets = kind === 'softmax' ? Int32Array.from(split.train, (r) => recordTargets[r]!) : Uint8Array.from(split.train.flatMap((r) => Array.from(recordTargets.subarray(r * classes, (r + 1) * classes))))
  const trainCounts = classCounts({ ...recordLevel, n: split.train.length, targets: trainTargets })
  const build = (records: number[]): HeadData => {
    const total = records.reduce((a, r) => a + perRecord[r]!.windows, 0)
    const X = new Float32Array(total * dim)
    const windowTargets = kind === 'softmax' ? new Int32Array(total) : new Uint8Array(total * classes)
    const per: number[] = []
    let w = 0
    for (const r of records) {
      const rec = perRecord[r]!
      X.set(rec.embedding.subarray(0, rec.windows * dim), w * dim)
      for (let k = 0; k < rec.windows; k++, w++) {
        if (kind === 'softmax') windowTargets[w] = recordTargets[r]!
        else windowTargets.set(recordTargets.subarray(r * classes, (r + 1) * classes), w * classes)
        per.push(1 / rec.windows)
      }
    }
    const data = toHeadData({ kind, X, n: total, dim, classes, targets: windowTargets }, Array.from({ length: total }, (_, i) => i), trainCounts, split.train.length)
    for (let i = 0; i < total; i++) data.weights[i]! *= per[i]!
    return data
  }
  return { train: build(split.train), val: split.val.length ? build(split.val) : null, trainRecords: split.train, valRecords: split.val, trainCounts }
}
