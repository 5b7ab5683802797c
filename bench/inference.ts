/**
 * Inference benchmark on the 500-Hz PTB-XL records (../shared/data/ptbxl/records500): prints figures, asserts
 * nothing. Measures
 *  1. end to end per ECG, batch 1: import (read + parse) -> analysis in the inference worker (preprocessing,
 *     quality gate, QRS, tier + code models, decision) -> Grad-CAM alone, then Grad-CAM + 13-way lead
 *     occlusion: p50/p95 ms each, and the end-to-end totals with each;
 *  2. batched analysis (worker batches of --batch records): ms per ECG;
 *  3. the tier model alone on the same preprocessed windows: onnxruntime (this process) vs PyTorch
 *     (/usr/bin/python3, 2 threads: the training checkpoint when it matches the shipped file, else the
 *     pipeline's torch-ops ONNX runner), batch 1 and batched;
 *  4. the int8 variant (model.int8.onnx beside the model, when present): latency and accuracy change;
 *  5. peak memory (max RSS of this process, worker thread included).
 * Run: npx tsx bench/inference.ts [records=100] [--batch 16] [--scheme tier3|tier4]
 * Models from ECG_APP_ROOT/models (default: this repository's models/). Results also in bench/results/inference.json.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { preprocess } from '@shared/dsp'
import type { EcgRecord } from '@shared/ecg'
import { createImporterRegistry } from '../src/main/importers'
import { createInference } from '../src/main/inference/create'
import { OrtEngine } from '../src/main/inference/engine'
import { meanOverWindows, windowProbabilities } from '../src/main/inference/aggregate'
import { labelRecord, tierTarget } from '../src/main/cli/truth'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const appRoot = resolve(process.env.ECG_APP_ROOT ?? root)
const folder = resolve(root, '../shared/data/ptbxl/records500/00000')
const argv = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}
const count = Number(argv.find((a, i) => /^\d+$/.test(a) && !argv[i - 1]?.startsWith('--')) ?? 100)
const batch = Number(flag('batch') ?? 16)
const scheme = (flag('scheme') ?? 'tier3') as 'tier3' | 'tier4'
if (!existsSync(folder)) {
  console.error(`PTB-XL data not found at ${folder} (see ../shared/README.md)`)
  process.exit(1)
}

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? NaN
}
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-')
const results: Record<string, unknown> = { records: count, batch, scheme, cpu: process.arch, node: process.version }
const rows: string[][] = []
const row = (what: string, p50: number, p95: number, note = ''): void => {
  rows.push([what, fmt(p50), fmt(p95), note])
}

const files = readdirSync(folder).filter((f) => f.endsWith('_hr.hea')).sort().slice(0, count).map((f) => join(folder, f))
const userData = mkdtempSync(join(tmpdir(), 'bench-inference-'))
const inf = await createInference({ shippedDir: join(appRoot, 'models'), userDir: join(userData, 'models'), stateFile: join(userData, 'state.json'), batchSize: batch })
const tierId = `triage-${scheme}`
const importers = createImporterRegistry()
try {
  const models = await inf.service.models(tierId)
  results.models = [models.tier, models.codes].map((m) => `${m.manifest.id}@${m.manifest.version}`)
  results.executionProvider = inf.service.executionProvider

  // 1. end to end, batch 1 (first record warms up sessions and caches; not counted)
  const imp: number[] = []
  const ana: number[] = []
  const cam: number[] = []
  const gradcam: number[] = []
  const tot: number[] = []
  const totCam: number[] = []
  const records: EcgRecord[] = []
  for (let i = 0; i < files.length; i++) {
    const t0 = performance.now()
    const out = await importers.importPaths([files[i]!])
    const t1 = performance.now()
    const rec = out[0]?.ok ? out[0].value : undefined
    if (!rec) continue
    records.push(rec)
    const { results: r } = await inf.service.analyzeRecords(`b1-${i}`, [rec], { tierId })
    const t2 = performance.now()
    const res = r[0]
    const target = { role: 'tier' as const, classIndex: res?.ok ? res.result.tier.index : 0 }
    // Grad-CAM alone (features + head weights, one forward pass), then the full explanation with lead occlusion
    await inf.service.explainRecord(rec, target, { tierId, leadAttribution: false })
    const t3 = performance.now()
    await inf.service.explainRecord(rec, target, { tierId })
    const t4 = performance.now()
    if (i === 0) continue
    imp.push(t1 - t0)
    ana.push(t2 - t1)
    gradcam.push(t3 - t2)
    cam.push(t4 - t3)
    totCam.push(t3 - t0)
    tot.push(t2 - t0 + (t4 - t3))
  }
  row('import (read + parse), batch 1', pct(imp, 0.5), pct(imp, 0.95))
  row('analysis (both stages + gate), batch 1', pct(ana, 0.5), pct(ana, 0.95), 'worker: preprocess, quality, QRS, tier + codes, decision')
  row('Grad-CAM alone', pct(gradcam, 0.5), pct(gradcam, 0.95), 'head weights on the feature maps the analysis cached')
  row('Grad-CAM + lead occlusion', pct(cam, 0.5), pct(cam, 0.95), '1 + 12 occluded copies in one run')
  row('end to end with Grad-CAM, batch 1', pct(totCam, 0.5), pct(totCam, 0.95), 'import + analysis + Grad-CAM (the thesis target: 27 ms)')
  row('end to end with Grad-CAM + occlusion, batch 1', pct(tot, 0.5), pct(tot, 0.95))
  results.batch1 = { importMs: { p50: pct(imp, 0.5), p95: pct(imp, 0.95) }, analysisMs: { p50: pct(ana, 0.5), p95: pct(ana, 0.95) }, gradcamMs: { p50: pct(gradcam, 0.5), p95: pct(gradcam, 0.95) }, camOcclusionMs: { p50: pct(cam, 0.5), p95: pct(cam, 0.95) }, totalWithGradcamMs: { p50: pct(totCam, 0.5), p95: pct(totCam, 0.95) }, totalMs: { p50: pct(tot, 0.5), p95: pct(tot, 0.95) } }

  // 2. batched analysis (three passes, best is reported: the machine is shared)
  const passes: number[] = []
  for (let p = 0; p < 3; p++) {
    const t0 = performance.now()
    await inf.service.analyzeRecords(`batched-${p}`, records, { tierId })
    passes.push((performance.now() - t0) / records.length)
  }
  row(`analysis, batches of ${batch}, per ECG`, Math.min(...passes), Math.max(...passes), 'best / worst of 3 passes')
  results.batchedMsPerEcg = { best: Math.min(...passes), worst: Math.max(...passes) }

  // 3. tier model alone: onnxruntime here vs PyTorch on the same windows
  const spec = models.tier.manifest.input.preprocessing
  const W = spec.windowSamples
  const windows = new Float32Array(records.length * 12 * W)
  records.forEach((r, i) => windows.set(preprocess(r.signals, r.leads, r.samplingRateHz, spec).windows.subarray(0, 12 * W), i * 12 * W))
  const ort = new OrtEngine({ providers: ['cpu'] })
  const timeOrt = async (key: string, path: string, C = models.tier.manifest.classes.length): Promise<{ p50: number; p95: number; batched: number; logits: Float32Array }> => {
    await ort.open(key, path)
    const one: number[] = []
    for (let i = 0; i < records.length; i++) {
      const t0 = performance.now()
      await ort.run(key, 'ecg', windows.subarray(i * 12 * W, (i + 1) * 12 * W), [1, 12, W], ['logits'])
      if (i > 0) one.push(performance.now() - t0)
    }
    const logits = new Float32Array(records.length * C)
    const t0 = performance.now()
    for (let s = 0; s < records.length; s += batch) {
      const n = Math.min(batch, records.length - s)
      const out = await ort.run(key, 'ecg', windows.subarray(s * 12 * W, (s + n) * 12 * W), [n, 12, W], ['logits'])
      logits.set(out.logits!.data, s * C)
    }
    const batched = (performance.now() - t0) / records.length
    await ort.close(key)
    return { p50: pct(one, 0.5), p95: pct(one, 0.95), batched, logits }
  }
  const fp32 = await timeOrt('fp32', models.tier.modelPath)
  row('tier model, onnxruntime fp32, batch 1', fp32.p50, fp32.p95, `batched ${fmt(fp32.batched)} ms/ECG`)
  results.onnxruntimeFp32 = { p50: fp32.p50, p95: fp32.p95, batchedMsPerEcg: fp32.batched }

  const torch = pytorchReference(windows, records.length, W, spec.targetRateHz, models.tier.modelPath, models.tier.manifest.labelScheme, models.tier.manifest.architecture.kernelSize, models.tier.manifest.sha256)
  if (torch) {
    row(`tier model, PyTorch (${torch.engine}), batch 1`, torch.p50, torch.p95, `batched ${fmt(torch.batched)} ms/ECG; max |logit diff| vs onnxruntime ${torch.maxLogitDiff(fp32.logits).toExponential(1)}`)
    results.pytorch = { engine: torch.engine, p50: torch.p50, p95: torch.p95, batchedMsPerEcg: torch.batched }
  }

  // 4. int8 variant
  const entry = inf.registry.active('tier', tierId)
  if (entry?.int8Path) {
    const q = await timeOrt('int8', entry.int8Path)
    const C = models.tier.manifest.classes.length
    const keys = models.tier.manifest.classes.map((c) => c.key)
    let agree = 0
    let right32 = 0
    let right8 = 0
    let labelled = 0
    records.forEach((r, i) => {
      const p32 = meanOverWindows(windowProbabilities(fp32.logits.subarray(i * C, (i + 1) * C), 1, C, 'single-label'))
      const p8 = meanOverWindows(windowProbabilities(q.logits.subarray(i * C, (i + 1) * C), 1, C, 'single-label'))
      const a32 = p32.indexOf(Math.max(...p32))
      const a8 = p8.indexOf(Math.max(...p8))
      if (a32 === a8) agree++
      const y = tierTarget(labelRecord(r), scheme, keys)
      if (y === null) return
      labelled++
      if (a32 === y) right32++
      if (a8 === y) right8++
    })
    const acc32 = right32 / Math.max(1, labelled)
    const acc8 = right8 / Math.max(1, labelled)
    row('tier model, onnxruntime int8, batch 1', q.p50, q.p95, `batched ${fmt(q.batched)} ms/ECG; top-1 agreement with fp32 ${(100 * agree / records.length).toFixed(1)}%; accuracy ${acc32.toFixed(3)} -> ${acc8.toFixed(3)} (n=${labelled}, first window)`)
    results.int8 = { p50: q.p50, p95: q.p95, batchedMsPerEcg: q.batched, agreement: agree / records.length, accuracyFp32: acc32, accuracyInt8: acc8, n: labelled }
  } else rows.push(['int8 variant', '-', '-', 'no model.int8.onnx beside the tier model'])

  // the code model: fp32 vs int8 positives at the manifest thresholds, micro-F1 against the records' codes
  const codesEntry = inf.registry.active('codes')
  if (codesEntry?.int8Path && codesEntry.modelPath) {
    const cm = models.codes.manifest
    const C = cm.classes.length
    const keys = cm.classes.map((c) => c.key)
    const c32 = await timeOrt('codes-fp32', codesEntry.modelPath, C)
    const c8 = await timeOrt('codes-int8', codesEntry.int8Path, C)
    let same = 0
    const f1 = (logits: Float32Array): number => {
      let tp = 0
      let fp = 0
      let fn = 0
      records.forEach((r, i) => {
        const truth = new Set(labelRecord(r).bridged.codes)
        keys.forEach((k, c) => {
          const pos = 1 / (1 + Math.exp(-logits[i * C + c]! / (cm.temperature ?? 1))) >= (models.codes.thresholds[k] ?? 0.5)
          if (pos && truth.has(k)) tp++
          else if (pos) fp++
          else if (truth.has(k)) fn++
        })
      })
      return (2 * tp) / Math.max(1, 2 * tp + fp + fn)
    }
    keys.forEach((k, c) => records.forEach((_, i) => {
      const t = models.codes.thresholds[k] ?? 0.5
      if ((1 / (1 + Math.exp(-c32.logits[i * C + c]!)) >= t) === (1 / (1 + Math.exp(-c8.logits[i * C + c]!)) >= t)) same++
    }))
    const f32 = f1(c32.logits)
    const f8 = f1(c8.logits)
    row('code model, onnxruntime fp32, batch 1', c32.p50, c32.p95, `batched ${fmt(c32.batched)} ms/ECG`)
    row('code model, onnxruntime int8, batch 1', c8.p50, c8.p95, `batched ${fmt(c8.batched)} ms/ECG; decisions equal to fp32 ${(100 * same / (C * records.length)).toFixed(1)}%; micro-F1 ${f32.toFixed(3)} -> ${f8.toFixed(3)} (first window)`)
    results.codesInt8 = { fp32: { p50: c32.p50, p95: c32.p95 }, int8: { p50: c8.p50, p95: c8.p95 }, decisionAgreement: same / (C * records.length), microF1Fp32: f32, microF1Int8: f8 }
  }
  await ort.dispose()
} finally {
  await inf.dispose()
  rmSync(userData, { recursive: true, force: true })
}
const rss = process.resourceUsage().maxRSS / 1024
row('peak memory (max RSS, MiB)', rss, rss, 'this process incl. the inference worker thread')
results.peakRssMiB = rss

const widths = [0, 1, 2].map((c) => Math.max(...[['what', 'p50 ms', 'p95 ms'][c]!.length, ...rows.map((r) => r[c]!.length)]))
console.log(`inference benchmark: ${count} PTB-XL 500-Hz records, models ${(results.models as string[] | undefined)?.join(' + ')}, provider ${String(results.executionProvider)}`)
for (const r of [['what', 'p50 ms', 'p95 ms', 'note'], ...rows]) console.log(`${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}  ${r[3]}`)
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
writeFileSync(join(root, 'bench', 'results', 'inference.json'), JSON.stringify(results, null, 2))

/**
 * PyTorch timing of the same model on the same windows. Uses the training checkpoint when its recorded ONNX
 * hash matches the shipped file (the real nn.Module), else the pipeline's torch-ops interpreter of the ONNX
 * graph (training/ecgtriage/onnx_runner.py). Returns undefined when /usr/bin/python3 or torch is missing.
 */
function pytorchReference(windows: Float32Array, n: number, W: number, rateHz: number, modelPath: string, labelScheme: string, kernel: number, sha: string) {
  const python = '/usr/bin/python3'
  if (!existsSync(python)) {
    rows.push(['PyTorch reference', '-', '-', `${python} not found`])
    return undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-torch-'))
  writeFileSync(join(dir, 'x.f32'), windows)
  const run = join(root, 'training', 'runs', `${labelScheme}-r${rateHz}-k${kernel}`)
  const script = `
import json, sys, time, numpy as np, torch
sys.path.insert(0, ${JSON.stringify(join(root, 'training'))})
torch.set_num_threads(2)
x = np.fromfile(${JSON.stringify(join(dir, 'x.f32'))}, dtype=np.float32).reshape(${n}, 12, ${W})
engine, fwd = None, None
try:
    exp = json.load(open(${JSON.stringify(join(run, 'exported.json'))}))
    if exp.get('sha256') == ${JSON.stringify(sha)}:
        from ecgtriage.model import ResNet1DSE
        man = json.load(open(${JSON.stringify(join(dirname(modelPath), 'manifest.json'))}))
        m = ResNet1DSE(len(man['classes']), man['architecture']['kernelSize']).eval()
        m.load_state_dict(torch.load(${JSON.stringify(join(run, 'model.pt'))}))
        engine = 'nn.Module checkpoint'
        def fwd(a):
            with torch.no_grad():
                return m(torch.from_numpy(a))[0].numpy()
except (OSError, ValueError):
    pass
if fwd is None:
    from ecgtriage.onnx_runner import OnnxRunner
    r = OnnxRunner(${JSON.stringify(modelPath)})
    engine = 'torch ops over the ONNX graph'
    def fwd(a):
        return r.run(a)['logits']
one = []
logits = []
for i in range(${n}):
    t = time.perf_counter(); out = fwd(x[i:i+1]); one.append((time.perf_counter() - t) * 1000); logits.append(out[0])
t = time.perf_counter()
for s in range(0, ${n}, ${batch}):
    fwd(x[s:s+${batch}])
batched = (time.perf_counter() - t) * 1000 / ${n}
one = sorted(one[1:])
q = lambda p: one[min(len(one) - 1, int(p * (len(one) - 1) + 0.5))]
print(json.dumps({'engine': engine, 'p50': q(0.5), 'p95': q(0.95), 'batched': batched, 'logits': np.concatenate(logits).tolist()}))
`
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 })
  rmSync(dir, { recursive: true, force: true })
  if (r.status !== 0) {
    rows.push(['PyTorch reference', '-', '-', `failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`])
    return undefined
  }
  const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { engine: string; p50: number; p95: number; batched: number; logits: number[] }
  return {
    ...o,
    maxLogitDiff: (ours: Float32Array): number => o.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - ours[i]!)), 0),
  }
}
