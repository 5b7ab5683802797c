/**
 * WFDB header (.hea) parser, after the WFDB "header(5)" specification: a record line, one line per signal,
 * and '#' comment lines (PhysioNet/CinC put #Age/#Sex/#Dx there). Pure: text in, structure out.
 */
import { EcgImportError } from '@shared/errors'
import { splitLines } from './text'

export interface WfdbSignal {
  /** Signal file name as written (relative to the header's folder). */
  fileName: string
  format: number
  samplesPerFrame: number
  skew: number
  /** Bytes to skip at the start of the signal file (the "+24" of CinC's "16+24"). */
  byteOffset: number
  /** ADC units per physical unit (WFDB default 200 when absent or zero). */
  gain: number
  /** ADC value of 0 physical units. */
  baseline: number
  units: string
  adcResolution: number
  adcZero: number
  initialValue?: number
  checksum?: number
  description: string
}

export interface WfdbHeader {
  recordName: string
  samplingRateHz: number
  /** Samples per signal; undefined when the header leaves it out (then the signal file's size decides). */
  length?: number
  /** Base time and date as written (WFDB: "hh:mm:ss dd/mm/yyyy"; CinC writes "dd-Mon-yyyy hh:mm:ss"). */
  start: string[]
  signals: WfdbSignal[]
  /** Comment lines without the leading '#', trimmed. */
  comments: string[]
}

const RECORD_LINE = /^(\S+?)(\/\d+)?\s+(\d+)(?:\s|$)/

function contentLines(text: string): string[] {
  return splitLines(text).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}

/** Cheap content test used for sniffing: a WFDB record line followed by something shaped like a signal line. */
export function looksLikeWfdbHeader(text: string): boolean {
  const lines = contentLines(text)
  const m = RECORD_LINE.exec(lines[0] ?? '')
  if (!m) return false
  const nsig = Number(m[3])
  if (nsig === 0) return false
  const sig = (lines[1] ?? '').split(/\s+/)
  return sig.length >= 2 && /^\d/.test(sig[1] ?? '')
}

function num(file: string, raw: string, what: string, integer = false): number {
  const v = Number(raw)
  if (raw === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new EcgImportError('malformed-header', file, `${what} "${raw}" is not a ${integer ? 'whole ' : ''}number`)
  }
  return v
}

function parseSignalLine(file: string, line: string, index: number): WfdbSignal {
  const f = line.split(/\s+/)
  const where = `signal ${index + 1}`
  const fmt = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(f[1] ?? '')
  if (!fmt) throw new EcgImportError('malformed-header', file, `${where}: format field "${f[1] ?? ''}" is not understood`)
  const adcResolution = f[3] !== undefined ? num(file, f[3], `${where} ADC resolution`, true) : 0
  const adcZero = f[4] !== undefined ? num(file, f[4], `${where} ADC zero`, true) : 0
  let gain = 200
  let baseline = adcZero
  let units = 'mV'
  if (f[2] !== undefined) {
    const g = /^([-+0-9.eE]+)(?:\(([-+]?\d+)\))?(?:\/(\S+))?$/.exec(f[2])
    if (!g) throw new EcgImportError('malformed-header', file, `${where}: gain field "${f[2]}" is not understood`)
    const parsedGain = num(file, g[1]!, `${where} gain`)
    gain = parsedGain === 0 ? 200 : parsedGain
    if (g[2] !== undefined) baseline = Number(g[2])
    if (g[3] !== undefined) units = g[3]
  }
  return {
    fileName: f[0]!,
    format: Number(fmt[1]),
    samplesPerFrame: fmt[2] !== undefined ? Number(fmt[2]) : 1,
    skew: fmt[3] !== undefined ? Number(fmt[3]) : 0,
    byteOffset: fmt[4] !== undefined ? Number(fmt[4]) : 0,
    gain,
    baseline,
    units,
    adcResolution,
    adcZero,
    ...(f[5] !== undefined ? { initialValue: num(file, f[5], `${where} initial value`, true) } : {}),
    ...(f[6] !== undefined ? { checksum: num(file, f[6], `${where} checksum`, true) } : {}),
    description: f.slice(8).join(' '),
  }
}

export function parseWfdbHeader(file: string, text: string): WfdbHeader {
  const lines = contentLines(text)
  const rec = lines[0]
  const m = rec !== undefined ? RECORD_LINE.exec(rec) : null
  if (!rec || !m) throw new EcgImportError('malformed-header', file, 'no WFDB record line ("name nsig fs nsamp") found')
  if (m[2] !== undefined) {
    throw new EcgImportError('multi-segment', file, `multi-segment record (${m[1]}${m[2]}) is not supported; import the single-segment records instead`)
  }
  const r = rec.split(/\s+/)
  const nsig = Number(m[3])
  const fsField = r[2]?.split('/')[0]?.split('(')[0]
  const samplingRateHz = fsField !== undefined ? num(file, fsField, 'sampling rate') : 250
  const length = r[3] !== undefined ? num(file, r[3], 'number of samples', true) : undefined
  if (lines.length - 1 < nsig) {
    throw new EcgImportError('malformed-header', file, `record line announces ${nsig} signals but ${lines.length - 1} signal lines follow`)
  }
  const signals = lines.slice(1, 1 + nsig).map((l, i) => parseSignalLine(file, l, i))
  const comments = splitLines(text).map((l) => l.trim()).filter((l) => l.startsWith('#')).map((l) => l.slice(1).trim())
  return {
    recordName: m[1]!,
    samplingRateHz,
    ...(length !== undefined && length > 0 ? { length } : {}),
    start: r.slice(4),
    signals,
    comments,
  }
}

/** Physical units to millivolts factor, or undefined for units an ECG should not have. */
export function unitsToMv(units: string): number | undefined {
  switch (units.toLowerCase()) {
    case 'mv':
      return 1
    case 'uv':
    case 'µv':
    case 'μv':
      return 1e-3
    case 'v':
      return 1e3
    default:
      return undefined
  }
}

/** "#Key: value" comment lines as a map (CinC: Age, Sex, Dx, Rx, Hx, Sx). */
export function commentFields(comments: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const c of comments) {
    const m = /^([A-Za-z][\w ]*?)\s*:\s*(.*)$/.exec(c)
    if (m && !out.has(m[1]!)) out.set(m[1]!, m[2]!.trim())
  }
  return out
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** Base date/time tokens in either order -> ISO 8601 ("2020-05-12T12:33:59"), or undefined without a date. */
export function startToIso(tokens: string[]): string | undefined {
  let date: string | undefined
  let time = ''
  for (const t of tokens) {
    const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(t)
    const dm = /^(\d{1,2})[/-]([A-Za-z]{3}|\d{1,2})[/-](\d{4})$/.exec(t)
    if (tm) time = `T${tm[1]!.padStart(2, '0')}:${tm[2]}:${tm[3] ?? '00'}`
    else if (dm) {
      const month = /^\d+$/.test(dm[2]!) ? Number(dm[2]) : MONTHS.indexOf(dm[2]!.toLowerCase()) + 1
      if (month >= 1 && month <= 12) date = `${dm[3]}-${String(month).padStart(2, '0')}-${dm[1]!.padStart(2, '0')}`
    }
  }
  return date !== undefined ? date + time : undefined
}
