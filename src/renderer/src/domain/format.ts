/** Display formatting shared by the worklist, case view and report. */
import { t, tMaybe } from '../i18n'
import type { CaseRow, RecordSummary } from '../db/types'

export function tierLabel(key: string | undefined): string {
  return key === undefined ? t('tier.unknown') : tMaybe(`tier.${key}`, key)
}

export function percent(p: number | undefined): string {
  return p === undefined ? '—' : `${Math.round(p * 100)}%`
}

export function patientLine(s: RecordSummary): string {
  const p = s.patient
  const parts = [p.sex, p.age !== undefined ? `${p.age} y` : undefined, p.id].filter((x): x is string => Boolean(x))
  return parts.length ? parts.join(' · ') : t('patient.unknown')
}

export function recordingLine(s: RecordSummary): string {
  const when = s.recordedAt ? ` · ${s.recordedAt.slice(0, 16).replace('T', ' ')}` : ''
  return `${s.name} · ${s.format} · ${s.samplingRateHz} Hz · ${s.durationS.toFixed(1)} s${when}`
}

export function heartRateText(bpm: number | null | undefined): string {
  return bpm === null || bpm === undefined ? t('hr.unknown') : t('hr.bpm', { bpm: Math.round(bpm) })
}

/** The tier the worklist shows: the clinician's once reviewed, else the AI's. */
export function effectiveTier(c: CaseRow): string | undefined {
  return c.review?.tierKey ?? c.tierKey
}

/** CSS class for a tier badge by severity rank. */
export function tierClass(key: string | undefined): string {
  switch (key) {
    case 'urgent':
    case 'critical':
      return 'tier-urgent'
    case 'major':
      return 'tier-major'
    case 'non-urgent':
    case 'minor':
      return 'tier-minor'
    case 'normal':
      return 'tier-normal'
    default:
      return 'tier-unknown'
  }
}

export function localTime(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : ''
}
