/**
 * Import throughput for the 500 PTB-XL records at 500 Hz (../shared/data/ptbxl/records500): records/s, ms/record
 * and peak RSS, for import alone, import + signal store (what 'records:importPaths' does), and import +
 * preprocessing with the shipped model's spec (src/shared/dsp) when that module is present.
 * Run: npx tsx bench/import-throughput.ts [passes=2]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EcgRecord } from '@shared/ecg'
import type { PreprocessSpec } from '@shared/preprocess-spec'
import { createImporterRegistry } from '../src/main/importers'
import { SignalStore } from '../src/main/records/signal-store'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const folder = resolve(root, '../shared/data/ptbxl/records500')
const passes = Number(process.argv[2] ?? 2)
if (!existsSync(folder)) {
  console.error(`PTB-XL data not found at ${folder} (see ../shared/README.md)`)
  process.exit(1)
}

type Preprocess = (signals: Float32Array[], leads: EcgRecord['leads'], rate: number, spec: PreprocessSpec) => unknown

async function loadPreprocess(): Promise<Preprocess | undefined> {
  try {
    const dsp = (await import('@shared/dsp')) as { preprocess?: Preprocess }
    return dsp.preprocess
  } catch {
    return undefined
  }
}

/** The first shipped model's preprocessing spec, else a 500 Hz / 10 s default. */
function shippedSpec(): { spec: PreprocessSpec; from: string } {
  const models = join(root, 'models')
  for (const id of existsSync(models) ? readdirSync(models).sort() : []) {
    for (const v of readdirSync(join(models, id)).sort()) {
      const m = join(models, id, v, 'manifest.json')
      if (!existsSync(m)) continue
      const spec = (JSON.parse(readFileSync(m, 'utf8')) as { input?: { preprocessing?: PreprocessSpec } }).input?.preprocessing
      if (spec) return { spec, from: `${id}/${v}` }
    }
  }
  const spec: PreprocessSpec = {
    version: 1,
    targetRateHz: 500,
    windowSamples: 5000,
    bandpass: { lowHz: 0.5, highHz: 40, order: 4 },
    notch: null,
    standardise: { kind: 'per-lead-zscore', eps: 1e-6 },
    windowing: { policy: 'windows', maxWindows: 6 },
  }
  return { spec, from: 'default 500 Hz spec' }
}

async function measure(label: string, each: (r: EcgRecord) => Promise<unknown>): Promise<void> {
  const registry = createImporterRegistry()
  for (let pass = 1; pass <= passes; pass++) {
    const t0 = performance.now()
    const out = await registry.importPathsWith([folder], {}, each)
    const ms = performance.now() - t0
    const ok = out.filter((o) => o.ok).length
    const rssMiB = process.resourceUsage().maxRSS / 1024
    console.log(
      `${label.padEnd(26)} pass ${pass}: ${ok}/${out.length} records  ${(ms / out.length).toFixed(2).padStart(6)} ms/record  ` +
        `${((out.length / ms) * 1000).toFixed(0).padStart(5)} records/s  peak RSS ${rssMiB.toFixed(0)} MiB`,
    )
  }
}

console.log(`node ${process.version}, ${passes} passes over ${folder}`)
await measure('import', async () => undefined)
const storeDir = mkdtempSync(join(tmpdir(), 'ecg-bench-store-'))
try {
  const store = new SignalStore(storeDir)
  await measure('import + store (fsync)', (r) => store.put(r))
} finally {
  rmSync(storeDir, { recursive: true, force: true })
}
const preprocess = await loadPreprocess()
if (preprocess) {
  const { spec, from } = shippedSpec()
  await measure('import + preprocess', async (r) => preprocess(r.signals, r.leads, r.samplingRateHz, spec))
  console.log(`(preprocess spec from ${from}: ${spec.targetRateHz} Hz, band-pass ${spec.bandpass ? `${spec.bandpass.lowHz}-${spec.bandpass.highHz} Hz` : 'none'})`)
} else {
  console.log('src/shared/dsp not present: import only (no import + preprocess figures)')
}
