/**
 * The binary classification curve shared by ROC and PR: cumulative true/false positives at every distinct
 * score, highest score first. Equal scores form one point (the way sklearn's _binary_clf_curve handles ties),
 * so a tie between a positive and a negative is a diagonal step, never an optimistic staircase.
 */

export interface BinaryCurve {
  /** (K) distinct scores, descending; a case is called positive when score >= threshold. */
  thresholds: Float64Array
  /** (K) cumulative true positives at each threshold. */
  tps: Float64Array
  /** (K) cumulative false positives at each threshold. */
  fps: Float64Array
  positives: number
  negatives: number
}

export function checkBinaryInputs(yTrue: ArrayLike<number>, scores: ArrayLike<number>, where: string): void {
  if (yTrue.length !== scores.length) throw new RangeError(`${where}: ${yTrue.length} labels but ${scores.length} scores`)
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]
    if (y !== 0 && y !== 1) throw new RangeError(`${where}: label at ${i} is ${String(y)}, expected 0 or 1`)
    if (!Number.isFinite(scores[i] as number)) throw new RangeError(`${where}: score at ${i} is not finite (${String(scores[i])})`)
  }
}

/** (N) labels in {0,1}, (N) scores -> curve over distinct scores. */
export function binaryCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  checkBinaryInputs(yTrue, scores, 'binaryCurve')
  const n = yTrue.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number))
  const thr: number[] = []
  const tps: number[] = []
  const fps: number[] = []
  let tp = 0
  let fp = 0
  for (let k = 0; k < n; k++) {
    const i = order[k]!
    if (yTrue[i] === 1) tp++
    else fp++
    const next = order[k + 1]
    // close a point only at the last case of a run of equal scores
    if (next === undefined || scores[next] !== scores[i]) {
      thr.push(scores[i] as number)
      tps.push(tp)
      fps.push(fp)
    }
  }
  return { thresholds: Float64Array.from(thr), tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives: tp, negatives: fp }
}
