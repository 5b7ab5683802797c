/**
 * Per-window logits -> one record's calibrated probabilities, the same way the inference engine aggregates.
 * Pure.
 */
import type { Aggregation } from './ports'

/** (W, C) logits, temperature -> (C) probabilities. Softmax for tier models, sigmoid for code models. */
export function recordProbabilities(logits: ArrayLike<number>, C: number, role: 'tier' | 'codes', temperature: number, aggregation: Aggregation): Float64Array {
  const W = logits.length / C
  if (!Number.isInteger(W) || W < 1) throw new RangeError(`recordProbabilities: ${logits.length} logits is not W x ${C}`)
  const out = new Float64Array(C)
  const row = new Float64Array(C)
  const rule = aggregation === 'engine' ? (role === 'codes' ? 'max-probability' : 'mean-probability') : aggregation
  if (rule === 'mean-logit') {
    for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) row[c]! += (logits[w * C + c] as number) / W
    return activate(row, role, temperature)
  }
  for (let w = 0; w < W; w++) {
    for (let c = 0; c < C; c++) row[c] = logits[w * C + c] as number
    const p = activate(row, role, temperature)
    for (let c = 0; c < C; c++) out[c] = rule === 'max-probability' ? (w === 0 ? p[c]! : Math.max(out[c]!, p[c]!)) : out[c]! + p[c]! / W
  }
  return out
}

function activate(z: Float64Array, role: 'tier' | 'codes', T: number): Float64Array {
  const p = new Float64Array(z.length)
  if (role === 'codes') {
    for (let c = 0; c < z.length; c++) p[c] = 1 / (1 + Math.exp(-z[c]! / T))
    return p
  }
  let max = -Infinity
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c]! / T)
  let s = 0
  for (let c = 0; c < z.length; c++) {
    p[c] = Math.exp(z[c]! / T - max)
    s += p[c]!
  }
  for (let c = 0; c < z.length; c++) p[c]! /= s
  return p
}

/** (W, C) embeddings x head -> (W, C) logits; used to score a candidate head on cached embeddings. */
export function logitsFromEmbeddings(embedding: Float32Array, W: Float32Array, b: Float32Array, C: number, D: number): Float32Array {
  const n = embedding.length / D
  const out = new Float32Array(n * C)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) {
      let s = b[c]!
      for (let d = 0; d < D; d++) s += embedding[i * D + d]! * W[c * D + d]!
      out[i * C + c] = s
    }
  }
  return out
}
