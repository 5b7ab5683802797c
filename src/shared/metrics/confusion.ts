/**
 * Confusion matrix and the per-class report derived from it (single-label, C classes).
 * Pure functions over typed arrays; no DOM, no Node.
 */

export interface ConfusionMatrix {
  /** Number of classes C. */
  n: number
  /** (C, C) row-major: counts[t * C + p] = cases of true class t predicted as p. */
  counts: Float64Array
}

export interface ClassScores {
  precision: number
  recall: number
  f1: number
  support: number
}

export interface ClassReport {
  perClass: ClassScores[]
  macro: Omit<ClassScores, 'support'>
  weighted: Omit<ClassScores, 'support'>
  accuracy: number
  total: number
}

function checkLabel(v: number, n: number, where: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= n) throw new RangeError(`${where}: label ${v} is not a class index in [0, ${n})`)
}

/** (N) true, (N) predicted class indices -> (C, C) counts. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): ConfusionMatrix {
  if (yTrue.length !== yPred.length) throw new RangeError(`confusionMatrix: ${yTrue.length} true labels but ${yPred.length} predictions`)
  if (!Number.isInteger(nClasses) || nClasses < 1) throw new RangeError(`confusionMatrix: nClasses must be a positive integer, got ${nClasses}`)
  const counts = new Float64Array(nClasses * nClasses)
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] as number
    const p = yPred[i] as number
    checkLabel(t, nClasses, `confusionMatrix yTrue[${i}]`)
    checkLabel(p, nClasses, `confusionMatrix yPred[${i}]`)
    counts[t * nClasses + p]! += 1
  }
  return { n: nClasses, counts }
}

/** 0/0 is reported as 0, like sklearn's zero_division=0, so an empty class never poisons an average with NaN. */
export function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b
}

export function f1From(precision: number, recall: number): number {
  return safeDiv(2 * precision * recall, precision + recall)
}

/** (C, C) counts -> per-class precision/recall/F1/support, macro and support-weighted averages, accuracy. */
export function classReport(cm: ConfusionMatrix): ClassReport {
  const { n, counts } = cm
  const perClass: ClassScores[] = []
  let total = 0
  let correct = 0
  for (let c = 0; c < n; c++) {
    let tp = 0
    let rowSum = 0 // true class c
    let colSum = 0 // predicted c
    for (let k = 0; k < n; k++) {
      rowSum += counts[c * n + k]!
      colSum += counts[k * n + c]!
    }
    tp = counts[c * n + c]!
    total += rowSum
    correct += tp
    const precision = safeDiv(tp, colSum)
    const recall = safeDiv(tp, rowSum)
    perClass.push({ precision, recall, f1: f1From(precision, recall), support: rowSum })
  }
  const avg = (pick: (s: ClassScores) => number, weighted: boolean): number => {
    let num = 0
    let den = 0
    for (const s of perClass) {
      const w = weighted ? s.support : 1
      num += w * pick(s)
      den += w
    }
    return safeDiv(num, den)
  }
  return {
    perClass,
    macro: { precision: avg((s) => s.precision, false), recall: avg((s) => s.recall, false), f1: avg((s) => s.f1, false) },
    weighted: { precision: avg((s) => s.precision, true), recall: avg((s) => s.recall, true), f1: avg((s) => s.f1, true) },
    accuracy: safeDiv(correct, total),
    total,
  }
}

/** (N) true, (N) predicted -> fraction equal. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new RangeError(`accuracy: ${yTrue.length} true labels but ${yPred.length} predictions`)
  let ok = 0
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++
  return safeDiv(ok, yTrue.length)
}

/** (N, C) row-major scores -> (N) argmax class index (first maximum wins on ties). */
export function argmaxRows(scores: ArrayLike<number>, nClasses: number): Int32Array {
  if (scores.length % nClasses !== 0) throw new RangeError(`argmaxRows: ${scores.length} values is not a multiple of ${nClasses} classes`)
  const n = scores.length / nClasses
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    let bestV = scores[i * nClasses] as number
    for (let c = 1; c < nClasses; c++) {
      const v = scores[i * nClasses + c] as number
      if (v > bestV) {
        bestV = v
        best = c
      }
    }
    out[i] = best
  }
  return out
}
