/** Test helpers: the shared data folder, the Python reference readers, temp folders and WFDB writers. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { EcgRecord } from '@shared/ecg'
import type { ImportOutcome } from '@shared/errors'

export const repoRoot = resolve(__dirname, '../../..')
export const PYTHON = '/usr/bin/python3'

/** ../shared/data beside the repository; a missing folder fails the test loudly, never skips it. */
export function dataRoot(): string {
  const dir = resolve(repoRoot, '../shared/data')
  if (!existsSync(dir)) throw new Error(`real ECG data not found at ${dir}: these tests need ../shared/data (see shared/README.md)`)
  return dir
}

export function tempDir(prefix = 'ecg-import-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface ReferenceRecord {
  name: string
  leads: string[]
  n: number
  fs?: number
  file: string
  [k: string]: unknown
}

/** Run tests/reference/<script> on `inputs`; returns its manifest and a reader for each record's signals. */
export function runReference(script: string, inputs: string[]): { records: ReferenceRecord[]; signals: (r: ReferenceRecord) => Float32Array[] } {
  const { dir, cleanup } = tempDir('ecg-ref-')
  const res = spawnSync(PYTHON, [join(repoRoot, 'tests/reference', script), dir], { input: JSON.stringify(inputs), maxBuffer: 256 * 2 ** 20 })
  if (res.status !== 0) {
    cleanup()
    throw new Error(`${script} failed (${res.status}): ${res.stderr?.toString() ?? res.error?.message}`)
  }
  const records = JSON.parse(res.stdout.toString()) as ReferenceRecord[]
  const cache = new Map<string, Float32Array[]>()
  for (const r of records) {
    const buf = readFileSync(join(dir, r.file))
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice()
    cache.set(r.file, r.leads.map((_, i) => all.subarray(i * r.n, (i + 1) * r.n)))
  }
  cleanup()
  return { records, signals: (r) => cache.get(r.file)! }
}

export function okValues(outcomes: ImportOutcome<EcgRecord>[]): EcgRecord[] {
  const failed = outcomes.filter((o) => !o.ok)
  if (failed.length > 0) throw new Error(`unexpected import failures:\n${failed.map((f) => (f.ok ? '' : `${f.code}: ${f.message}`)).join('\n')}`)
  return outcomes.map((o) => (o.ok ? o.value : (undefined as never)))
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)))
  return m
}

/** A WFDB header: one signal line per lead, with initial value and checksum computed from `adc` (leads, N). */
export function wfdbHeader(opts: {
  name: string
  fs: number | string
  leads: string[]
  adc: Int32Array[]
  format: string
  gain?: string
  fileName?: string | ((lead: number) => string)
}): string {
  const fileOf = (i: number): string => (typeof opts.fileName === 'function' ? opts.fileName(i) : (opts.fileName ?? `${opts.name}.dat`))
  const n = opts.adc[0]!.length
  const lines = [`${opts.name} ${opts.leads.length} ${opts.fs} ${n}`]
  opts.leads.forEach((lead, i) => {
    const adc = opts.adc[i]!
    lines.push(`${fileOf(i)} ${opts.format} ${opts.gain ?? '1000.0(0)/mV'} 16 0 ${adc[0]} ${checksum16(adc)} 0 ${lead}`)
  })
  return lines.join('\n') + '\n'
}

/** Random integer ADC samples, deterministic: (leads, n) in [-amp, amp]. */
export function randomAdc(leads: number, n: number, amp: number, seed = 1): Int32Array[] {
  let a = seed >>> 0
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: leads }, () => Int32Array.from({ length: n }, () => Math.round((rnd() * 2 - 1) * amp)))
}

/** Signed sum mod 2^16 of one lead, written independently of the importer's checksum code. */
export function checksum16(values: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i] as number
  const m = ((s % 65536) + 65536) % 65536
  return m >= 32768 ? m - 65536 : m
}

/** Interleave per-lead integer samples into WFDB frame order: (leads, N) -> (N * leads,). */
export function interleave(leads: Int32Array[]): Int32Array {
  const n = leads[0]!.length
  const out = new Int32Array(n * leads.length)
  for (let t = 0; t < n; t++) for (let l = 0; l < leads.length; l++) out[t * leads.length + l] = leads[l]![t]!
  return out
}

/** Independent encoders for the formats under test (the inverse bit layouts of WFDB signal(5)). */
export function encode(format: number, s: Int32Array): Uint8Array {
  if (format === 212) {
    const out = new Uint8Array(Math.ceil((s.length * 3) / 2))
    for (let p = 0; p < s.length; p += 2) {
      const a = s[p]! & 0xfff
      const b = p + 1 < s.length ? s[p + 1]! & 0xfff : 0
      const o = (p / 2) * 3
      out[o] = a & 0xff
      out[o + 1] = ((a >> 8) & 0x0f) | ((b >> 4) & 0xf0)
      if (o + 2 < out.length) out[o + 2] = b & 0xff
    }
    return out
  }
  const width = { 16: 2, 61: 2, 160: 2, 80: 1, 24: 3, 32: 4 }[format as 16]
  const out = new Uint8Array(s.length * width)
  const dv = new DataView(out.buffer)
  s.forEach((v, i) => {
    if (format === 16) dv.setInt16(2 * i, v, true)
    else if (format === 61) dv.setInt16(2 * i, v, false)
    else if (format === 160) dv.setUint16(2 * i, v + 32768, true)
    else if (format === 80) dv.setUint8(i, v + 128)
    else if (format === 32) dv.setInt32(4 * i, v, true)
    else if (format === 24) {
      dv.setUint8(3 * i, v & 0xff)
      dv.setUint8(3 * i + 1, (v >> 8) & 0xff)
      dv.setUint8(3 * i + 2, (v >> 16) & 0xff)
    }
  })
  return out
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

/** MATLAB v4 file with one int16 matrix `name` of (rows, cols), column-major: what CinC .mat files are. */
export function mat4Int16(name: string, rows: number, cols: number, colMajor: Int16Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\0`)
  const out = new Uint8Array(20 + nameBytes.length + rows * cols * 2)
  const dv = new DataView(out.buffer)
  ;[30, rows, cols, 0, nameBytes.length].forEach((v, i) => dv.setInt32(4 * i, v, true)) // 30 = LE, int16, full matrix
  out.set(nameBytes, 20)
  colMajor.forEach((v, i) => dv.setInt16(20 + nameBytes.length + 2 * i, v, true))
  return out
}

const AECG_LEAD: Record<string, string> = { aVR: 'AVR', aVL: 'AVL', aVF: 'AVF' }

/** An HL7 aECG document for `record`, digits in `scaleUv` microvolt steps (namespace prefix optional). */
export function aecgXml(record: EcgRecord, opts: { scaleUv?: number; prefix?: string; leads?: string[] } = {}): string {
  const p = opts.prefix ? `${opts.prefix}:` : ''
  const scale = opts.scaleUv ?? 1
  const step = 1 / record.samplingRateHz
  const seq = (code: string, value: string): string =>
    `<${p}component><${p}sequence><${p}code code="${code}" codeSystem="2.16.840.1.113883.6.24"/>${value}</${p}sequence></${p}component>`
  const leads = record.leads
    .filter((l) => !opts.leads || opts.leads.includes(l))
    .map((l) => {
      const x = record.signals[record.leads.indexOf(l)]!
      const digits = Array.from(x, (v) => Math.round((v * 1000) / scale)).join(' ')
      return seq(`MDC_ECG_LEAD_${AECG_LEAD[l] ?? l}`, `<${p}value xsi:type="SLIST_PQ"><${p}origin value="0" unit="uV"/><${p}scale value="${scale}" unit="uV"/><${p}digits>${digits}</${p}digits></${p}value>`)
    })
  const ns = opts.prefix ? `xmlns:${opts.prefix}="urn:hl7-org:v3"` : 'xmlns="urn:hl7-org:v3"'
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- written by the importer tests from ${record.name} -->
<${p}AnnotatedECG ${ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" type="Observation">
  <${p}id root="61d1a24f-b47e-41aa-ae95-f8ac302f4eeb"/>
  <${p}code code="93000" codeSystem="2.16.840.1.113883.6.12"/>
  <${p}effectiveTime><${p}low value="20021122091000.000"/><${p}high value="20021122091010.000"/></${p}effectiveTime>
  <${p}componentOf><${p}timepointEvent><${p}componentOf><${p}subjectAssignment><${p}subject><${p}trialSubject>
    <${p}id extension="SUBJ-42"/>
    <${p}subjectDemographicPerson><${p}administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><${p}birthTime value="19600704"/></${p}subjectDemographicPerson>
  </${p}trialSubject></${p}subject></${p}subjectAssignment></${p}componentOf></${p}timepointEvent></${p}componentOf>
  <${p}component><${p}series>
    <${p}code code="RHYTHM" codeSystem="2.16.840.1.113883.5.4"/>
    <${p}component><${p}sequenceSet>
      ${seq('TIME_ABSOLUTE', `<${p}value xsi:type="GLIST_TS"><${p}head value="20021122091000.000"/><${p}increment value="${step}" unit="s"/></${p}value>`)}
      ${leads.join('\n      ')}
    </${p}sequenceSet></${p}component>
    <${p}derivation><${p}derivedSeries><${p}code code="REPRESENTATIVE_BEAT"/><${p}component><${p}sequenceSet>
      ${seq('TIME_RELATIVE', `<${p}value xsi:type="GLIST_PQ"><${p}head value="0" unit="s"/><${p}increment value="0.004" unit="s"/></${p}value>`)}
      ${seq('MDC_ECG_LEAD_I', `<${p}value xsi:type="SLIST_PQ"><${p}origin value="0" unit="uV"/><${p}scale value="5" unit="uV"/><${p}digits>1 2 3</${p}digits></${p}value>`)}
    </${p}sequenceSet></${p}component></${p}derivedSeries></${p}derivation>
  </${p}series></${p}component>
</${p}AnnotatedECG>
`
}
