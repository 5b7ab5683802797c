/** Display settings (paper layout, speed, gain, units) and their allowed values. */
export type LayoutKind = '3x4+II' | '6x2' | '12x1'
export type Speed = 12.5 | 25 | 50
export type Gain = 5 | 10 | 20
export type AmplitudeUnit = 'mV' | 'uV'

export const LAYOUTS: readonly LayoutKind[] = ['3x4+II', '6x2', '12x1']
export const SPEEDS: readonly Speed[] = [12.5, 25, 50]
export const GAINS: readonly Gain[] = [5, 10, 20]
export const UNITS: readonly AmplitudeUnit[] = ['mV', 'uV']

export interface DisplaySettings {
  layout: LayoutKind
  speed: Speed
  gain: Gain
  amplitudeUnit: AmplitudeUnit
  heatmapOpacity: number
}

export const DEFAULT_DISPLAY: DisplaySettings = { layout: '3x4+II', speed: 25, gain: 10, amplitudeUnit: 'mV', heatmapOpacity: 0.45 }

/** Keep only valid values from a stored (possibly older or hand-edited) settings object. */
export function sanitiseDisplay(raw: unknown): DisplaySettings {
  const r = (raw ?? {}) as Partial<Record<keyof DisplaySettings, unknown>>
  const pick = <T>(v: unknown, allowed: readonly T[], d: T): T => (allowed.includes(v as T) ? (v as T) : d)
  const op = typeof r.heatmapOpacity === 'number' && r.heatmapOpacity >= 0 && r.heatmapOpacity <= 1 ? r.heatmapOpacity : DEFAULT_DISPLAY.heatmapOpacity
  return {
    layout: pick(r.layout, LAYOUTS, DEFAULT_DISPLAY.layout),
    speed: pick(r.speed, SPEEDS, DEFAULT_DISPLAY.speed),
    gain: pick(r.gain, GAINS, DEFAULT_DISPLAY.gain),
    amplitudeUnit: pick(r.amplitudeUnit, UNITS, DEFAULT_DISPLAY.amplitudeUnit),
    heatmapOpacity: op,
  }
}

/** Format an amplitude in mV in the chosen unit. */
export function formatAmplitude(mv: number, unit: AmplitudeUnit): string {
  return unit === 'uV' ? `${Math.round(mv * 1000)} µV` : `${mv.toFixed(2)} mV`
}
