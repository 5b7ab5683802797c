/**
 * Preprocessing throughput: ms per 12-lead 10 s record (12 x 5000 at 500 Hz) through the full pipeline,
 * for a 500 Hz model (500 -> 500) and a 100 Hz model (500 -> 100), plus the 1000 -> 500 Hz case.
 * Uses the first PTB-XL 500 Hz records from ../shared/data; synthetic signals when the data is missing.
 * Run: npx tsx bench/preprocess-throughput.ts [records=100]
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STANDARD_LEADS } from '@shared/leads'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { describeSpec, preprocess } from '@shared/dsp'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const nRecords = Number(process.argv[2] ?? 100)

/** PTB-XL record NNNNN_hr: WFDB format 16, 12 leads interleaved, 1000 adu/mV, baseline 0. (12, 5000) */
function loadPtbxl(id: number): Float32Array[] | null {
  const file = resolve(root, '../shared/data/ptbxl/records500/00000', `${String(id).padStart(5, '0')}_hr.dat`)
  if (!existsSync(file)) return null
  const buf = readFileSync(file)
  const n = buf.length / 24
  const leads = STANDARD_LEADS.map(() => new Float32Array(n))
  for (let k = 0; k < n; k++) for (let l = 0; l < 12; l++) leads[l]![k] = buf.readInt16LE(2 * (k * 12 + l)) / 1000
  return leads
}

function synthetic(seed: number, n: number, fs: number): Float32Array[] {
  return STANDARD_LEADS.map((_, l) => Float32Array.from({ length: n }, (_v, i) => Math.sin((2 * Math.PI * (1.2 + l / 10) * i) / fs + seed) + 0.1 * Math.sin(i * 0.9 + l)))
}

const base: PreprocessSpec = {
  version: 1,
  targetRateHz: 500,
  windowSamples: 5000,
  bandpass: { lowHz: 0.5, highHz: 40, order: 4 },
  notch: { freqHz: 50, q: 30 },
  standardise: { kind: 'per-lead-zscore', eps: 1e-8 },
  windowing: { policy: 'windows', maxWindows: 6 },
}
const to100: PreprocessSpec = { ...base, targetRateHz: 100, windowSamples: 1000, notch: null }

const loaded = Array.from({ length: nRecords }, (_, i) => loadPtbxl(i + 1))
const real = loaded.every((r) => r !== null)
const records = real ? (loaded as Float32Array[][]) : loaded.map((_, i) => synthetic(i, 5000, 500))
console.log(`${records.length} records, 12 x 5000 at 500 Hz (${real ? 'PTB-XL from ../shared/data' : 'synthetic: ../shared/data missing'})`)

function bench(label: string, recs: Float32Array[][], rate: number, spec: PreprocessSpec): void {
  for (const r of recs.slice(0, 5)) preprocess(r, [...STANDARD_LEADS], rate, spec) // warm-up (JIT, filter design caches)
  const times: number[] = []
  for (const r of recs) {
    const t0 = performance.now()
    preprocess(r, [...STANDARD_LEADS], rate, spec)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const mean = times.reduce((s, t) => s + t, 0) / times.length
  const p = (q: number): string => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2)
  console.log(`${label.padEnd(14)} mean ${mean.toFixed(2)} ms/record  median ${p(0.5)}  p95 ${p(0.95)}  (${(1000 / mean).toFixed(0)} records/s)`)
  console.log(`${''.padEnd(14)} ${describeSpec(spec)}`)
}

bench('500 -> 500 Hz', records, 500, base)
bench('500 -> 100 Hz', records, 500, to100)
bench('1000 -> 500 Hz', records.slice(0, 30).map((_, i) => synthetic(i, 10000, 1000)), 1000, base)
