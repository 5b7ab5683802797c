/**
 * Test helpers: locate ../shared/data (failing loudly when absent), read raw WFDB format-16 / CinC MATLAB v4
 * records without the app's importers, and ask scipy (tests/reference/dsp_reference.py) for reference values.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { normaliseLeadName, type LeadName } from '@shared/leads'
import type { PreprocessSpec } from '@shared/preprocess-spec'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const PYTHON = '/usr/bin/python3'

/** Absolute path of a file under ../shared/data; throws (fails the test) when the data is not there. */
export function dataPath(rel: string): string {
  const root = resolve(repoRoot, '../shared/data')
  if (!existsSync(root)) throw new Error(`real ECG data missing: expected ${root} (see ../shared/README.md); these tests need it`)
  const p = resolve(root, rel)
  if (!existsSync(p)) throw new Error(`real ECG record missing: ${p}`)
  return p
}

export interface RawRecord {
  signals: Float64Array[] // (L, n) mV
  leads: LeadName[]
  rateHz: number
}

/** WFDB header fields we need: rate, length, per-signal gain, baseline (defaults to ADC zero), lead name. */
function parseHeader(text: string, file: string): { rate: number; n: number; gain: number[]; base: number[]; leads: LeadName[]; offset: number } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'))
  const head = lines[0]!.trim().split(/\s+/)
  const nsig = Number(head[1])
  const gain: number[] = []
  const base: number[] = []
  const leads: LeadName[] = []
  let offset = 0
  for (const line of lines.slice(1, 1 + nsig)) {
    const f = line.trim().split(/\s+/)
    const fmt = f[1]!.split('+')
    if (fmt[0] !== '16') throw new Error(`${file}: only format 16 supported here, got ${f[1]}`)
    offset = Number(fmt[1] ?? 0)
    const m = /^([\d.]+)(?:\((-?\d+)\))?/.exec(f[2]!.split('/')[0]!)
    if (!m) throw new Error(`${file}: bad gain field ${f[2]}`)
    gain.push(Number(m[1]))
    base.push(m[2] !== undefined ? Number(m[2]) : Number(f[4]))
    const lead = normaliseLeadName(f[8]!)
    if (!lead) throw new Error(`${file}: unknown lead ${f[8]}`)
    leads.push(lead)
  }
  return { rate: Number(head[2]), n: Number(head[3]), gain, base, leads, offset }
}

/** Reads <stem>.hea plus its .dat (WFDB format 16) or .mat (MATLAB v4 int16 matrix `val`, L x n). */
export function readRecord(dataFile: string): RawRecord {
  const hea = parseHeader(readFileSync(dataFile.replace(/\.(dat|mat)$/, '.hea'), 'utf8'), dataFile)
  const buf = readFileSync(dataFile)
  const L = hea.leads.length
  let start = 0
  if (dataFile.endsWith('.mat')) {
    // MATLAB v4 header: type (30 = int16 full matrix), rows, cols, imag flag, name length, then the name
    const type = buf.readInt32LE(0)
    const rows = buf.readInt32LE(4)
    const cols = buf.readInt32LE(8)
    if (type !== 30 || rows !== L || cols !== hea.n) throw new Error(`${dataFile}: expected int16 ${L}x${hea.n} matrix, got type ${type} ${rows}x${cols}`)
    start = 20 + buf.readInt32LE(16)
  } else {
    start = hea.offset
  }
  if (buf.length < start + L * hea.n * 2) throw new Error(`${dataFile}: truncated`)
  const signals = hea.leads.map(() => new Float64Array(hea.n))
  // column-major L x n (MAT) and WFDB frames are the same layout: sample-major, leads interleaved
  for (let k = 0; k < hea.n; k++) {
    for (let l = 0; l < L; l++) signals[l]![k] = (buf.readInt16LE(start + 2 * (k * L + l)) - hea.base[l]!) / hea.gain[l]!
  }
  return { signals, leads: hea.leads, rateHz: hea.rate }
}

export interface RefArray {
  shape: number[]
  data: Float64Array
}

const decode = (o: { shape: number[]; b64: string }): RefArray => {
  const b = Buffer.from(o.b64, 'base64')
  return { shape: o.shape, data: new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) }
}
export const encode = (a: ArrayLike<number>): { shape: number[]; b64: string } => {
  const f = Float64Array.from(a)
  return { shape: [f.length], b64: Buffer.from(f.buffer).toString('base64') }
}

/** Runs the scipy reference on a batch of jobs; array fields come back decoded, others as JSON. */
export function reference(jobs: object[]): Array<Record<string, unknown>> {
  const r = spawnSync(PYTHON, [resolve(repoRoot, 'tests/reference/dsp_reference.py')], {
    input: JSON.stringify({ jobs }),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  })
  if (r.error) throw new Error(`cannot run ${PYTHON} (scipy reference): ${r.error.message}`)
  if (r.status !== 0) throw new Error(`scipy reference failed (exit ${r.status}): ${r.stderr}`)
  const out = JSON.parse(r.stdout) as { results: Array<Record<string, unknown>> }
  return out.results.map((res) =>
    Object.fromEntries(
      Object.entries(res).map(([k, v]) => [k, v && typeof v === 'object' && 'b64' in v ? decode(v as { shape: number[]; b64: string }) : v]),
    ),
  )
}

export const arr = (r: Record<string, unknown>, key: string): RefArray => {
  const v = r[key]
  if (!v || typeof v !== 'object' || !('data' in v)) throw new Error(`reference result has no array '${key}'`)
  return v as RefArray
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

/** The 500 Hz test spec: 0.5-40 Hz order-4 band-pass, 50 Hz notch, 10 s windows. */
export const SPEC_500: PreprocessSpec = {
  version: 1,
  targetRateHz: 500,
  windowSamples: 5000,
  bandpass: { lowHz: 0.5, highHz: 40, order: 4 },
  notch: { freqHz: 50, q: 30 },
  standardise: { kind: 'per-lead-zscore', eps: 1e-8 },
  windowing: { policy: 'windows', maxWindows: 6 },
}
