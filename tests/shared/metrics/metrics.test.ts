import { describe, expect, it } from 'vitest'
import {
  accuracy,
  alertVolume,
  argmaxRows,
  atLeast,
  averagePrecision,
  binaryAt,
  classReport,
  confusionMatrix,
  cumulativeFrom,
  decideTiers,
  multiClassAuc,
  multiLabelReport,
  oneHot,
  prCurve,
  rocAuc,
  rocCurve,
  thresholdForSensitivity,
  thresholdMaxF1,
  thresholdYouden,
  trapezoid,
} from '@shared/metrics'

const arr = (a: ArrayLike<number>): number[] => Array.from(a)

/** Reference AUC: probability a random positive outscores a random negative, ties count half (Mann-Whitney). */
function mannWhitney(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let wins = 0
  let pairs = 0
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue
      pairs++
      if (s[i]! > s[j]!) wins += 1
      else if (s[i] === s[j]) wins += 0.5
    }
  }
  return wins / pairs
}

function lcg(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

describe('confusion matrix and class report', () => {
  // hand-computed: rows true, columns predicted
  const yTrue = Int32Array.from([0, 0, 1, 1, 2, 2, 2])
  const yPred = Int32Array.from([0, 1, 1, 1, 2, 0, 2])
  it('counts', () => {
    expect(arr(confusionMatrix(yTrue, yPred, 3).counts)).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 2])
  })
  it('per-class precision/recall/F1/support, macro, weighted, accuracy', () => {
    const r = classReport(confusionMatrix(yTrue, yPred, 3))
    expect(r.perClass.map((c) => c.precision)).toEqual([0.5, 2 / 3, 1].map((v) => expect.closeTo(v, 12)))
    expect(r.perClass.map((c) => c.recall)).toEqual([0.5, 1, 2 / 3].map((v) => expect.closeTo(v, 12)))
    expect(r.perClass.map((c) => c.f1)).toEqual([0.5, 0.8, 0.8].map((v) => expect.closeTo(v, 12)))
    expect(r.perClass.map((c) => c.support)).toEqual([2, 2, 3])
    expect(r.macro.f1).toBeCloseTo(0.7, 12)
    expect(r.weighted.f1).toBeCloseTo(5 / 7, 12)
    expect(r.accuracy).toBeCloseTo(5 / 7, 12)
    expect(accuracy(yTrue, yPred)).toBeCloseTo(5 / 7, 12)
  })
  it('a class never predicted and never present scores 0, not NaN', () => {
    const r = classReport(confusionMatrix([0, 1], [0, 1], 3))
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 })
    expect(r.macro.f1).toBeCloseTo(2 / 3, 12)
  })
  it('rejects out-of-range labels and length mismatch with the place named', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/yTrue\[1\].*label 3/)
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/1 true labels but 2/)
  })
  it('argmax rows picks the first maximum', () => {
    expect(arr(argmaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0], 3))).toEqual([1, 0])
  })
})

describe('ROC and AUC', () => {
  it('matches the sklearn documentation example', () => {
    const r = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    expect(arr(r.fpr)).toEqual([0, 0, 0.5, 0.5, 1])
    expect(arr(r.tpr)).toEqual([0, 0.5, 0.5, 1, 1])
    expect(arr(r.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1])
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12)
  })
  it('handles ties as one diagonal step (0.875 by hand, not 0.75 or 1)', () => {
    const y = [0, 1, 0, 1]
    const s = [0.5, 0.5, 0.2, 0.8]
    const r = rocCurve(y, s, false)
    expect(arr(r.fpr)).toEqual([0, 0, 0.5, 1])
    expect(arr(r.tpr)).toEqual([0, 0.5, 1, 1])
    expect(rocAuc(y, s)).toBeCloseTo(0.875, 12)
  })
  it('drop_intermediate removes only collinear points', () => {
    const y = [1, 1, 1, 0, 0]
    const s = [0.9, 0.8, 0.7, 0.2, 0.1]
    expect(arr(rocCurve(y, s, false).tpr)).toEqual([0, 1 / 3, 2 / 3, 1, 1, 1])
    const d = rocCurve(y, s)
    expect(arr(d.tpr)).toEqual([0, 1 / 3, 1, 1])
    expect(arr(d.fpr)).toEqual([0, 0, 0, 1])
    expect(trapezoid(d.fpr, d.tpr)).toBe(1)
  })
  it('equals the Mann-Whitney statistic on random data with many ties', () => {
    const rnd = lcg(7)
    const y = Array.from({ length: 300 }, () => (rnd() < 0.3 ? 1 : 0))
    const s = y.map((v) => Math.round((rnd() + 0.4 * v) * 20) / 20) // coarse scores: many ties
    expect(rocAuc(y, s)).toBeCloseTo(mannWhitney(y, s), 12)
  })
  it('AUC is NaN (undefined) with a single class', () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN()
  })
  it('rejects non-binary labels and non-finite scores', () => {
    expect(() => rocCurve([0, 2], [0.1, 0.2])).toThrow(/label at 1 is 2/)
    expect(() => rocCurve([0, 1], [0.1, NaN])).toThrow(/score at 1 is not finite/)
  })
  it('per-class, macro and micro one-vs-rest AUC', () => {
    const labels = [0, 1, 2, 2, 1, 0]
    const probs = [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.1, 0.1, 0.8, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.5, 0.3, 0.2]
    const y = oneHot(labels, 3)
    const r = multiClassAuc(y, probs, 3)
    for (let c = 0; c < 3; c++) {
      const yc = labels.map((l) => (l === c ? 1 : 0))
      const sc = labels.map((_, i) => probs[i * 3 + c]!)
      expect(r.perClass[c]).toBeCloseTo(mannWhitney(yc, sc), 12)
    }
    expect(r.macro).toBeCloseTo((r.perClass[0]! + r.perClass[1]! + r.perClass[2]!) / 3, 12)
    expect(r.micro).toBeCloseTo(mannWhitney(y, probs), 12)
  })
})

describe('PR curve and average precision', () => {
  it('matches the sklearn documentation example', () => {
    const p = prCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    expect(arr(p.precision)).toEqual([0.5, 2 / 3, 0.5, 1, 1].map((v) => expect.closeTo(v, 12)))
    expect(arr(p.recall)).toEqual([1, 1, 0.5, 0.5, 0])
    expect(arr(p.thresholds)).toEqual([0.1, 0.35, 0.4, 0.8])
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12)
  })
})

describe('binary operating point', () => {
  // 3 positives, 5 negatives; hand-computed at 0.5: TP 2 (0.9, 0.6), FN 1, FP 1 (0.7), TN 4
  const y = [1, 1, 1, 0, 0, 0, 0, 0]
  const s = [0.9, 0.6, 0.3, 0.7, 0.2, 0.1, 0.4, 0.05]
  it('sensitivity, specificity, PPV, NPV, F1, alert volume', () => {
    const m = binaryAt(y, s, 0.5)
    expect([m.tp, m.fp, m.tn, m.fn]).toEqual([2, 1, 4, 1])
    expect(m.sensitivity).toBeCloseTo(2 / 3, 12)
    expect(m.specificity).toBeCloseTo(0.8, 12)
    expect(m.ppv).toBeCloseTo(2 / 3, 12)
    expect(m.npv).toBeCloseTo(0.8, 12)
    expect(m.f1).toBeCloseTo(2 / 3, 12)
    expect(m.alertVolume).toBeCloseTo(3 / 8, 12)
    expect(alertVolume(s, 0.5)).toBeCloseTo(3 / 8, 12)
    expect(binaryAt(y, s, 0.6).tp).toBe(2) // score == threshold is flagged
  })
  it('sensitivity >= X takes the highest threshold that meets X', () => {
    expect(thresholdForSensitivity(y, s, 1).threshold).toBe(0.3)
    expect(thresholdForSensitivity(y, s, 0.6).threshold).toBe(0.6)
    expect(thresholdForSensitivity(y, s, 0.3).threshold).toBe(0.9)
    expect(() => thresholdForSensitivity([0, 0], [0.1, 0.2], 0.9)).toThrow(/no positive cases/)
  })
  it('max F1 (0.75 at 0.3) and Youden J (0.6 at 0.3)', () => {
    const f = thresholdMaxF1(y, s)
    expect(f.threshold).toBe(0.3)
    expect(f.f1).toBeCloseTo(0.75, 12)
    const j = thresholdYouden(y, s)
    expect(j.threshold).toBe(0.3)
    expect(j.sensitivity + j.specificity - 1).toBeCloseTo(0.6, 12)
  })
  it('Youden prefers the higher threshold on ties', () => {
    // J = 0 at both 0.8 (nothing right) and ... only higher threshold kept when equal
    const j = thresholdYouden([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6])
    expect(j.threshold).toBe(0.9) // J(0.9)=0.5, J(0.7)=0.5 -> 0.9
  })
})

describe('tier helpers', () => {
  const probs = [0.5, 0.3, 0.2, 0.1, 0.2, 0.7]
  it('cumulative probabilities', () => {
    expect(arr(cumulativeFrom(probs, 3, 2))).toEqual([0.2, 0.7].map((v) => expect.closeTo(v, 12)))
    expect(arr(cumulativeFrom(probs, 3, 1))).toEqual([0.5, 0.9].map((v) => expect.closeTo(v, 12)))
    expect(arr(atLeast([0, 1, 2], 1))).toEqual([0, 1, 1])
  })
  it('decides the most severe tier whose cumulative probability reaches its threshold', () => {
    expect(arr(decideTiers(probs, 3, [NaN, 0.5, 0.25]))).toEqual([1, 2])
    expect(arr(decideTiers(probs, 3, [NaN, 0.85, 0.8]))).toEqual([0, 1])
  })
})

describe('multi-label report', () => {
  it('per-class, micro, macro, subset accuracy', () => {
    // 3 cases x 2 codes
    const y = [1, 0, 0, 1, 1, 1]
    const s = [0.9, 0.2, 0.6, 0.8, 0.4, 0.7]
    const r = multiLabelReport(y, s, [0.5, 0.5])
    // code 0: flagged cases 0,1 -> TP1 FP1 FN1 ; code 1: flagged 1,2 -> TP2
    expect([r.perClass[0]!.tp, r.perClass[0]!.fp, r.perClass[0]!.fn]).toEqual([1, 1, 1])
    expect([r.perClass[1]!.tp, r.perClass[1]!.fp, r.perClass[1]!.fn]).toEqual([2, 0, 0])
    expect(r.micro.f1).toBeCloseTo(2 * 3 / (2 * 3 + 1 + 1), 12)
    expect(r.macroF1).toBeCloseTo((0.5 + 1) / 2, 12)
    expect(r.weightedF1).toBeCloseTo((0.5 * 2 + 1 * 2) / 4, 12)
    expect(r.subsetAccuracy).toBeCloseTo(1 / 3, 12)
  })
})
