/**
 * Grad-CAM for the exported ResNet1D: last residual stage A (512, T') -> global average pooling -> dropout
 * (identity at inference) -> Linear(W, b). The class score is y_c = sum_k W[c,k] * (1/T') sum_t A[k,t] + b_c,
 * so the Grad-CAM channel weights are alpha_k = (1/T') sum_t dy_c/dA[k,t] = W[c,k] / T'. Grad-CAM
 * ReLU(sum_k alpha_k A[k,t]) is therefore the class activation map ReLU(sum_k W[c,k] A[k,t]) scaled by the
 * positive constant 1/T'. We compute it from the exported 'features' output and the head weights read from
 * the ONNX file: no gradients, no second model, and it equals the PyTorch autograd Grad-CAM exactly after
 * normalisation (tests/main/inference/cam.test.ts checks this against PyTorch fixtures).
 */

/** cam[t] = sum_k weight[c,k] * features[k,t]. features (K, T) row-major, weight (C, K) -> (T) */
export function classActivation(features: Float32Array, channels: number, steps: number, weight: Float32Array, classIndex: number): Float32Array {
  if (features.length !== channels * steps) throw new RangeError(`features: ${features.length} values for (${channels}, ${steps})`)
  if (weight.length % channels !== 0 || (classIndex + 1) * channels > weight.length) throw new RangeError(`class ${classIndex} outside head weight (${weight.length / channels}, ${channels})`)
  const out = new Float32Array(steps)
  const wOff = classIndex * channels
  for (let k = 0; k < channels; k++) {
    const w = weight[wOff + k]!
    if (w === 0) continue
    const row = k * steps
    for (let t = 0; t < steps; t++) out[t]! += w * features[row + t]!
  }
  return out
}

/** In-place ReLU. (T) -> (T) */
export function reluInPlace(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) if (!(x[i]! > 0)) x[i] = 0
  return x
}

/**
 * Linear interpolation to `outLength` samples with half-pixel centres (PyTorch F.interpolate(mode='linear',
 * align_corners=False)): output sample i sits at input position (i + 0.5) * in/out - 0.5, clamped. (T) -> (N)
 */
export function resampleLinear(x: Float32Array, outLength: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(outLength)
  const n = x.length
  if (n === 0 || outLength === 0) return out
  if (n === 1) return out.fill(x[0]!)
  const scale = n / outLength
  for (let i = 0; i < outLength; i++) {
    const pos = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), n - 1)
    const i0 = Math.floor(pos)
    const i1 = Math.min(i0 + 1, n - 1)
    const f = pos - i0
    out[i] = x[i0]! * (1 - f) + x[i1]! * f
  }
  return out
}

/** Divide by the maximum so the map spans [0, 1]; an all-zero map stays zero. (N) -> (N) */
export function normaliseUnit<T extends Float32Array>(x: T): T {
  let max = 0
  for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!
  if (max > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! / max
  return x
}

/**
 * Place per-window maps (each W samples at the model rate) on the record's time axis at the model rate,
 * averaging where windows overlap (only the last, end-aligned window can overlap), then crop to
 * `recordLength` (padding beyond the record end is dropped). windows[i] (W), starts[i] -> (recordLength)
 */
export function placeWindows(windows: readonly Float32Array[], starts: readonly number[], recordLength: number): Float32Array<ArrayBuffer> {
  const sum = new Float32Array(recordLength)
  const count = new Uint16Array(recordLength)
  windows.forEach((w, i) => {
    const s = starts[i] ?? 0
    for (let t = 0; t < w.length; t++) {
      const j = s + t
      if (j < 0 || j >= recordLength) continue
      sum[j]! += w[t]!
      count[j]! += 1
    }
  })
  for (let j = 0; j < recordLength; j++) if (count[j]! > 0) sum[j] = sum[j]! / count[j]!
  return sum
}

export interface CamInput {
  /** Per window: features (K, T') row-major. */
  features: readonly Float32Array[]
  channels: number
  steps: number
  /** Head weight (C, K) row-major. */
  weight: Float32Array
  classIndex: number
  /** Model window length in samples at the model rate. */
  windowSamples: number
  windowStarts: readonly number[]
  modelRateHz: number
  recordRateHz: number
  recordLength: number
}

/**
 * The full map for one class over a record: CAM per window -> ReLU -> upsample to the window -> place on the
 * record axis at the model rate -> resample to the record's rate and length -> normalise to [0, 1].
 * Raw (unnormalised) window maps are combined so windows keep their relative strength.
 */
export function recordCam(input: CamInput): Float32Array<ArrayBuffer> {
  const perWindow = input.features.map((f) =>
    resampleLinear(reluInPlace(classActivation(f, input.channels, input.steps, input.weight, input.classIndex)), input.windowSamples),
  )
  const lengthAtModelRate = Math.max(1, Math.round((input.recordLength * input.modelRateHz) / input.recordRateHz))
  const placed = placeWindows(perWindow, input.windowStarts, lengthAtModelRate)
  const atRecordRate = lengthAtModelRate === input.recordLength ? placed : resampleLinear(placed, input.recordLength)
  return normaliseUnit(atRecordRate)
}
