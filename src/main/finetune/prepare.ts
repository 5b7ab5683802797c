/**
 * Checks a labelled training set against a model before any work starts, so bad input gives one clear message
 * and nothing runs: too few cases, a class with no examples, codes the model does not have.
 */
import type { LabelItem } from '@shared/contract/clinician'
import { ClinicianError } from '../thresholds/errors'
import { truthFor, type Truth } from '../thresholds/evaluator'
import type { ModelRef } from '../thresholds/ports'

export const MIN_LABELLED = 12

export interface PreparedLabels extends Truth {
  /** Code models: classes with no positive training case, kept at the shipped head (1 = frozen). */
  frozen: Uint8Array | null
}

export function prepareLabels(model: ModelRef, train: readonly LabelItem[], testCount: number, minLabelled = MIN_LABELLED): PreparedLabels {
  const m = model.manifest
  const t = truthFor(model, train)
  const scheme = m.role === 'tier' ? m.labelScheme : 'code'
  if (t.recordIds.length < minLabelled) {
    throw new ClinicianError(
      'too-few-labels',
      `fine-tuning ${m.id} needs at least ${minLabelled} labelled training cases with a ${scheme} label; there are ${t.recordIds.length} (plus ${testCount} in the frozen test split, never trained on). Label more cases first.`,
    )
  }
  const C = m.classes.length
  if (m.role === 'tier') {
    const counts = new Array<number>(C).fill(0)
    for (const k of t.truth) counts[k]! += 1
    const empty = m.classes.filter((_, k) => counts[k] === 0).map((c) => `'${c.key}'`)
    if (empty.length) {
      throw new ClinicianError('class-without-examples', `fine-tuning ${m.id}: class ${empty.join(', ')} has no labelled training case; every tier needs at least one (counts: ${m.classes.map((c, k) => `${c.key} ${counts[k]}`).join(', ')})`)
    }
    return { ...t, frozen: null }
  }
  if (t.unknownCodes.length) {
    throw new ClinicianError('unknown-codes', `fine-tuning ${m.id}: the labels use code(s) ${t.unknownCodes.join(', ')} that the model does not predict; remove or map them (the model's codes: ${m.classes.map((c) => c.key).join(', ')})`)
  }
  const positives = new Array<number>(C).fill(0)
  for (let i = 0; i < t.truth.length; i++) positives[i % C]! += t.truth[i]!
  if (positives.every((p) => p === 0)) throw new ClinicianError('class-without-examples', `fine-tuning ${m.id}: no labelled case has any of the model's codes`)
  return { ...t, frozen: Uint8Array.from(positives, (p) => (p === 0 ? 1 : 0)) }
}
