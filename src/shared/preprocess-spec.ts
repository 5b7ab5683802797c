/**
 * The preprocessing specification, as data. It is written into every model manifest by the Python
 * pipeline (training/ecgtriage/preprocess.py) and executed by the TypeScript implementation
 * (src/shared/dsp/pipeline.ts) so that the app feeds a model exactly what it was trained on.
 * Steps run in this order: resample -> band-pass -> notch -> standardise -> window.
 */
export interface PreprocessSpec {
  version: 1
  /** Rate the model expects; records are resampled to it (polyphase FIR, Kaiser window, as scipy.signal.resample_poly). */
  targetRateHz: number
  /** Samples per lead fed to the model (e.g. 10 s at targetRateHz). */
  windowSamples: number
  /** Zero-phase Butterworth band-pass (second-order sections applied forward and backward, as scipy.signal.sosfiltfilt). */
  bandpass: { lowHz: number; highHz: number; order: number } | null
  /** Optional zero-phase IIR notch at mains frequency (scipy.signal.iirnotch, Q given). */
  notch: { freqHz: 50 | 60; q: number } | null
  /** Per-lead standardisation over the whole resampled, filtered record (not per window): (x - mean) / (std + eps), population std. */
  standardise: { kind: 'per-lead-zscore'; eps: number } | { kind: 'none' }
  /**
   * How a record longer or shorter than the window becomes model input:
   * - 'windows': consecutive non-overlapping windows (hop = windowSamples) covering the record, the last one
   *   aligned to the end; a shorter record is zero-padded at the end (after standardisation) and marked padded.
   */
  windowing: { policy: 'windows'; maxWindows: number }
}
