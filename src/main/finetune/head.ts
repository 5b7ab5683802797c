/**
 * The linear classification head and its training objective, as small pure functions over typed arrays.
 * logits = X @ W^T + b, X (N, D) embeddings, W (C, D), b (C).
 * Objective: weighted mean of per-case losses + (lambda / 2) * (||W - W0||^2 + ||b - b0||^2), where (W0, b0) is
 * the shipped head: pulling toward it, not toward zero, keeps a few local labels from erasing what the model
 * learnt on its training set.
 */

export type HeadKind = 'softmax' | 'sigmoid'

export interface Head {
  /** (C, D) row-major */
  W: Float32Array
  /** (C) */
  b: Float32Array
  classes: number
  inFeatures: number
}

export interface HeadData {
  /** (N, D) row-major embeddings */
  X: Float32Array
  n: number
  /** softmax: (N) class index per case; sigmoid: (N, C) multi-hot 0/1 */
  targets: Int32Array | Uint8Array
  /** (N) per-case weight (class balancing); the loss is sum(w * l) / sum(w) */
  weights: Float64Array
  /** sigmoid only, (C): weight of the positive term per class (n_neg / n_pos, capped) */
  posWeight?: Float64Array
}

export interface Objective {
  kind: HeadKind
  /** L2 strength toward the reference head; 0 disables it. */
  lambda: number
  reference: Head
  /** (C) 1 = keep this class's row at the reference (e.g. a code with no local positives). */
  frozen?: Uint8Array
}

export function cloneHead(h: Head): Head {
  return { W: h.W.slice(), b: h.b.slice(), classes: h.classes, inFeatures: h.inFeatures }
}

/** (N, D) x head -> (N, C) logits */
export function headLogits(head: Head, X: Float32Array, n: number): Float64Array {
  const { classes: C, inFeatures: D } = head
  if (X.length !== n * D) throw new RangeError(`headLogits: X has ${X.length} values, expected ${n} x ${D}`)
  const Z = new Float64Array(n * C)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) {
      let s = head.b[c]!
      for (let d = 0; d < D; d++) s += X[i * D + d]! * head.W[c * D + d]!
      Z[i * C + c] = s
    }
  }
  return Z
}

/** (N, C) logits / T -> (N, C) row softmax */
export function softmaxRows(Z: ArrayLike<number>, C: number, temperature = 1): Float64Array {
  const P = new Float64Array(Z.length)
  for (let i = 0; i < Z.length / C; i++) {
    let max = -Infinity
    for (let c = 0; c < C; c++) max = Math.max(max, (Z[i * C + c] as number) / temperature)
    let sum = 0
    for (let c = 0; c < C; c++) {
      const e = Math.exp((Z[i * C + c] as number) / temperature - max)
      P[i * C + c] = e
      sum += e
    }
    for (let c = 0; c < C; c++) P[i * C + c]! /= sum
  }
  return P
}

/** elementwise logistic of logits / T, (N, C) -> (N, C) */
export function sigmoidAll(Z: ArrayLike<number>, temperature = 1): Float64Array {
  const P = new Float64Array(Z.length)
  for (let i = 0; i < Z.length; i++) P[i] = 1 / (1 + Math.exp(-(Z[i] as number) / temperature))
  return P
}

/** log(1 + exp(x)) without overflow */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))
}

/**
 * Data term only (no regulariser): weighted mean cross-entropy of (N, C) logits / T.
 * Also its derivative with respect to the logits when `dZ` is given ((N, C), filled in place).
 */
export function dataLoss(kind: HeadKind, Z: Float64Array, C: number, data: HeadData, temperature = 1, dZ?: Float64Array): number {
  const { n, targets, weights } = data
  let wsum = 0
  for (let i = 0; i < n; i++) wsum += weights[i]!
  if (!(wsum > 0)) throw new RangeError('dataLoss: case weights sum to zero')
  let loss = 0
  if (kind === 'softmax') {
    const P = softmaxRows(Z, C, temperature)
    for (let i = 0; i < n; i++) {
      const y = targets[i]!
      const w = weights[i]! / wsum
      loss -= w * Math.log(Math.max(P[i * C + y]!, 1e-300))
      if (dZ) for (let c = 0; c < C; c++) dZ[i * C + c] = (w * (P[i * C + c]! - (c === y ? 1 : 0))) / temperature
    }
  } else {
    for (let i = 0; i < n; i++) {
      const w = weights[i]! / wsum
      for (let c = 0; c < C; c++) {
        const z = Z[i * C + c]! / temperature
        const y = targets[i * C + c]!
        const pw = data.posWeight?.[c] ?? 1
        // -[pw*y*log s(z) + (1-y)*log(1-s(z))] = pw*y*softplus(-z) + (1-y)*softplus(z)
        loss += w * (pw * y * softplus(-z) + (1 - y) * softplus(z))
        if (dZ) {
          const s = 1 / (1 + Math.exp(-z))
          dZ[i * C + c] = (w * (s * (pw * y + 1 - y) - pw * y)) / temperature
        }
      }
    }
  }
  return loss
}

export interface LossGrad {
  loss: number
  /** (C, D) */
  gW: Float64Array
  /** (C) */
  gb: Float64Array
}

/** Full objective and its exact gradient with respect to (W, b). */
export function lossAndGrad(head: Head, data: HeadData, obj: Objective): LossGrad {
  const { classes: C, inFeatures: D } = head
  const Z = headLogits(head, data.X, data.n)
  const dZ = new Float64Array(Z.length)
  let loss = dataLoss(obj.kind, Z, C, data, 1, dZ)
  const gW = new Float64Array(C * D)
  const gb = new Float64Array(C)
  for (let i = 0; i < data.n; i++) {
    for (let c = 0; c < C; c++) {
      const g = dZ[i * C + c]!
      if (g === 0) continue
      gb[c]! += g
      for (let d = 0; d < D; d++) gW[c * D + d]! += g * data.X[i * D + d]!
    }
  }
  if (obj.lambda > 0) {
    let reg = 0
    for (let k = 0; k < C * D; k++) {
      const diff = head.W[k]! - obj.reference.W[k]!
      reg += diff * diff
      gW[k]! += obj.lambda * diff
    }
    for (let c = 0; c < C; c++) {
      const diff = head.b[c]! - obj.reference.b[c]!
      reg += diff * diff
      gb[c]! += obj.lambda * diff
    }
    loss += (obj.lambda / 2) * reg
  }
  if (obj.frozen) {
    for (let c = 0; c < C; c++) {
      if (!obj.frozen[c]) continue
      gb[c] = 0
      gW.fill(0, c * D, (c + 1) * D)
    }
  }
  return { loss, gW, gb }
}

/**
 * Temperature scaling: the T > 0 minimising the unweighted NLL of (N, C) logits / T on a validation split
 * (golden-section search on log T in [1/20, 20]). Calibrates probabilities; argmax and ROC order are unchanged.
 */
export function fitTemperature(kind: HeadKind, Z: Float64Array, C: number, data: HeadData): number {
  const flat: HeadData = { ...data, weights: new Float64Array(data.n).fill(1), posWeight: undefined }
  const f = (logT: number): number => dataLoss(kind, Z, C, flat, Math.exp(logT))
  let lo = Math.log(1 / 20)
  let hi = Math.log(20)
  const g = (Math.sqrt(5) - 1) / 2
  let a = hi - g * (hi - lo)
  let bb = lo + g * (hi - lo)
  let fa = f(a)
  let fb = f(bb)
  for (let it = 0; it < 60; it++) {
    if (fa < fb) {
      hi = bb
      bb = a
      fb = fa
      a = hi - g * (hi - lo)
      fa = f(a)
    } else {
      lo = a
      a = bb
      fa = fb
      bb = lo + g * (hi - lo)
      fb = f(bb)
    }
  }
  return Math.exp((lo + hi) / 2)
}
