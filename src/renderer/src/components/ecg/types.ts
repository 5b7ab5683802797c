/** Public types of the ECG paper viewer, for the components that embed it. */
export type { PaperLayoutKind, SpeedMmPerS, GainMmPerMv } from '../../ecg-render/layout'
export type { MeasureEvent, CaliperKind } from '../../ecg-render/caliper'

export interface EcgHeatmap {
  /** Grad-CAM over the record's time axis, values in [0, 1] (e.g. Explanation.cam, one value per sample). */
  cam: Float32Array
  /** Layer opacity 0..1; changing it only restyles the layer, nothing is redrawn. */
  opacity: number
  /** What the map explains, e.g. "AFIB" or "Tier: urgent"; shown in the legend. */
  label: string
  /** Seconds of record the CAM spans; defaults to the record duration (longest signal / samplingRateHz). */
  durationS?: number
}
