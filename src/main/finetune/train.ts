/**
 * Full-batch Adam on the head objective with early stopping on the validation loss and optional temperature
 * scaling. Synchronous and pure (no I/O): it runs inside the fine-tuning worker thread, and in tests directly.
 */
import { cloneHead, dataLoss, fitTemperature, headLogits, lossAndGrad, type Head, type HeadData, type HeadKind } from './head'

export interface TrainOptions {
  /** L2 pull toward the shipped head. */
  lambda: number
  learningRate: number
  maxEpochs: number
  /** Stop after this many epochs without a better validation loss. */
  patience: number
  temperatureScaling: boolean
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { lambda: 1e-2, learningRate: 1e-2, maxEpochs: 400, patience: 30, temperatureScaling: true }

export interface EpochReport {
  epoch: number
  loss: number
  valLoss: number | null
}

export interface TrainResult {
  head: Head
  temperature: number
  epochs: number
  bestEpoch: number
  stopped: 'early-stopping' | 'max-epochs' | 'cancelled'
  history: EpochReport[]
}

export interface TrainHooks {
  onEpoch?(report: EpochReport): void
  /** Polled once per epoch; true aborts with stopped = 'cancelled'. */
  shouldStop?(): boolean
}

export function trainHead(kind: HeadKind, initial: Head, train: HeadData, val: HeadData | null, opts: TrainOptions, hooks: TrainHooks = {}, frozen?: Uint8Array): TrainResult {
  const reference = cloneHead(initial)
  const head = cloneHead(initial)
  const obj = { kind, lambda: opts.lambda, reference, ...(frozen ? { frozen } : {}) }
  const C = head.classes
  const sizes = [head.W.length, head.b.length]
  const m = sizes.map((s) => new Float64Array(s))
  const v = sizes.map((s) => new Float64Array(s))
  const beta1 = 0.9
  const beta2 = 0.999
  const eps = 1e-8
  const valLossOf = (h: Head): number | null => (val && val.n > 0 ? dataLoss(kind, headLogits(h, val.X, val.n), C, val) : null)
  let best = cloneHead(head)
  let bestVal = valLossOf(head) ?? Infinity
  let bestEpoch = 0
  const history: EpochReport[] = []
  let stopped: TrainResult['stopped'] = 'max-epochs'
  let epoch = 0
  for (epoch = 1; epoch <= opts.maxEpochs; epoch++) {
    if (hooks.shouldStop?.()) {
      stopped = 'cancelled'
      break
    }
    const { loss, gW, gb } = lossAndGrad(head, train, obj)
    const params = [head.W, head.b]
    const grads = [gW, gb]
    for (let p = 0; p < 2; p++) {
      const P = params[p]!
      const G = grads[p]!
      const M = m[p]!
      const V = v[p]!
      for (let k = 0; k < P.length; k++) {
        M[k] = beta1 * M[k]! + (1 - beta1) * G[k]!
        V[k] = beta2 * V[k]! + (1 - beta2) * G[k]! * G[k]!
        const mHat = M[k]! / (1 - beta1 ** epoch)
        const vHat = V[k]! / (1 - beta2 ** epoch)
        P[k] = P[k]! - (opts.learningRate * mHat) / (Math.sqrt(vHat) + eps)
      }
    }
    const valLoss = valLossOf(head)
    const report = { epoch, loss, valLoss }
    history.push(report)
    hooks.onEpoch?.(report)
    if (valLoss === null) {
      best = cloneHead(head)
      bestEpoch = epoch
    } else if (valLoss < bestVal - 1e-9) {
      bestVal = valLoss
      best = cloneHead(head)
      bestEpoch = epoch
    } else if (epoch - bestEpoch >= opts.patience) {
      stopped = 'early-stopping'
      break
    }
  }
  let temperature = 1
  if (opts.temperatureScaling && val && val.n > 0 && stopped !== 'cancelled') {
    temperature = fitTemperature(kind, headLogits(best, val.X, val.n), C, val)
  }
  return { head: best, temperature, epochs: Math.min(epoch, opts.maxEpochs), bestEpoch, stopped, history }
}
