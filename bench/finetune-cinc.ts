/**
 * External-data fine-tuning: the shipped triage model (trained on PTB-XL) evaluated on CinC 2020/21 records
 * (six other sources), its head fine-tuned on part of them, evaluated again on the rest. Labels: SNOMED CT
 * -> AHA -> tier with the label catalog (records whose tier is 'unmapped' are left out). Runs the whole app
 * wiring (composeServices: importers, signal store, inference worker, clinician loop) in a temp directory.
 * Run: npx tsx bench/finetune-cinc.ts [modelId=triage-tier3] [testFraction=0.4] [maxEpochs=400]
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Evaluation, LabelItem } from '@shared/contract/clinician'
import { ahaFromSnomed, tierOfBridged } from '@shared/labels/catalog'
import { composeServices } from '../src/main/app/compose'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const cinc = resolve(root, '../shared/data/cinc')
const modelId = process.argv[2] ?? 'triage-tier3'
const testFraction = Number(process.argv[3] ?? 0.4)
const maxEpochs = Number(process.argv[4] ?? 400)
if (!existsSync(cinc)) throw new Error(`CinC data not found at ${cinc}: the bench needs ../shared/data/cinc beside the repository`)

const userDataDir = mkdtempSync(join(tmpdir(), 'bench-ft-cinc-'))
// a larger frozen test split than the app default (0.3): with 70 records, 30% leaves very few urgent cases
mkdirSync(join(userDataDir, 'clinician'), { recursive: true })
writeFileSync(join(userDataDir, 'clinician', 'labels.json'), JSON.stringify({ schemaVersion: 1, testFraction, items: [] }))

const t0 = performance.now()
const s = await composeServices({ userDataDir, appRoot: root, electron: false })
const h = s.handlers
try {
  const imported = await h['records:importPaths']({ paths: [cinc] })
  const ok = imported.outcomes.filter((o): o is Extract<typeof o, { ok: true }> => o.ok)
  const scheme = modelId === 'triage-tier4' ? 'tier4' : 'tier3'
  const items: LabelItem[] = []
  let unmapped = 0
  for (const o of ok) {
    const snomed = o.value.labels.filter((l) => l.system === 'snomed').map((l) => l.code)
    const tier = tierOfBridged(ahaFromSnomed(snomed), scheme).key
    if (tier === 'unmapped') unmapped++
    else items.push({ recordId: o.value.id, [scheme]: tier, source: 'source-label' })
  }
  const actor = { user: 'bench', role: 'cardiologist' as const }
  const split = await h['clinician:labels:put']({ items, actor })
  console.log(`CinC: ${ok.length}/${imported.outcomes.length} records imported, ${items.length} with a ${scheme} label (${unmapped} unmapped, left out); frozen split ${split.train} train / ${split.test} test`)

  const before = await h['clinician:evaluate']({ modelId, split: 'test' })
  const tStart = performance.now()
  await h['finetune:start']({ jobId: 'bench', modelId, actor, options: { maxEpochs } })
  let st = await h['finetune:status']({ jobId: 'bench' })
  while (!['done', 'failed', 'cancelled'].includes(st.state)) {
    await new Promise((r) => setTimeout(r, 200))
    st = await h['finetune:status']({ jobId: 'bench' })
  }
  const ftMs = performance.now() - tStart
  if (st.state !== 'done' || !st.candidate) throw new Error(`fine-tuning ${st.state}: ${st.message ?? ''}`)
  const cmp = await h['finetune:compare']({ modelId, version: st.candidate.version })
  const ev = (st.candidate.audit.evidence ?? {}) as Record<string, unknown>

  const line = (name: string, e: Evaluation): string => {
    const top = e.targets[e.targets.length - 1]!
    const f = (v: number | null): string => (v === null ? '  n/a' : v.toFixed(3))
    return `${name.padEnd(28)} acc ${f(e.summary.accuracy)}  macroF1 ${f(e.summary.macroF1)}  weightedF1 ${f(e.summary.weightedF1)}  macroAUC ${f(e.summary.macroAuc)}  ${top.key} sens ${top.positives ? f(top.atThreshold.sensitivity) : '  n/a'} (${top.atThreshold.tp}/${top.positives})  alerts ${f(top.atThreshold.alertVolume)}`
  }
  console.log(`\nExternal test set: ${before.recordIds.length} CinC records never trained on (${before.skipped.length} skipped)`)
  console.log(line(`before ${modelId}@${before.modelVersion}`, before))
  console.log(line(`after  ${cmp.candidate.modelVersion}`, cmp.candidate))
  console.log(`\nlabelled cases used: ${String(ev['trainRecords'])} train + ${String(ev['validationRecords'])} validation; epochs ${String(ev['epochs'])} (best ${String(ev['bestEpoch'])}, ${String(ev['stopped'])}); temperature ${Number(ev['temperature']).toFixed(3)}`)
  console.log(`class counts (train): ${JSON.stringify(ev['classCounts'])}`)
  console.log(`operating point: ${String((ev['thresholds'] as { calibration?: string } | undefined)?.calibration)}`)
  console.log(`activation floor check: ${cmp.check.message}`)
  console.log(`timing: fine-tune job ${(ftMs / 1000).toFixed(1)} s (embeddings + training + write + self-check); whole bench ${((performance.now() - t0) / 1000).toFixed(1)} s`)
} finally {
  await s.dispose()
}
