/**
 * `evaluate` in TypeScript (src/shared/metrics, onnxruntime) reproduces the Python pipeline's report
 * (reports/evaluation.json, written by training/ecgtriage/evaluate.py) for the shipped models on the same data:
 * the internal cohort (PTB-XL fold 10) of every model in the report.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compareWithPython, evaluate } from '../../../src/main/cli/evaluate'
import { DATA, REPO_ROOT, requireData } from '../inference/real-data'

const REPORT = join(REPO_ROOT, 'reports', 'evaluation.json')

describe('evaluate matches the Python report', () => {
  requireData()
  const userData = mkdtempSync(join(tmpdir(), 'ecg-eval-'))
  process.env.ECG_USER_DATA_DIR = userData // shipped versions only, whatever the developer activated locally
  process.env.ECG_APP_ROOT = REPO_ROOT
  afterAll(() => rmSync(userData, { recursive: true, force: true }))

  it('reports/evaluation.json exists (cd training && /usr/bin/python3 -m ecgtriage.evaluate)', () => {
    expect(existsSync(REPORT), `missing ${REPORT}`).toBe(true)
  })

  it('internal cohort, every model of the report: same n and metrics to 1e-9', async () => {
    const py = JSON.parse(readFileSync(REPORT, 'utf8')) as { models: Record<string, { version: string; cohorts: { internal: { summary: Record<string, number> } } }> }
    const out: string[] = []
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) }
    // every shipped model in one pass (one import of the 500 records)
    const report = await evaluate({ command: 'evaluate', dataset: resolve(DATA, 'ptbxl/records100'), cohort: 'internal', format: 'json' }, io)
    const cmp = compareWithPython(report, REPORT)
    expect(Object.keys(report).sort()).toEqual(Object.keys(py.models).sort())
    for (const [id, m] of Object.entries(py.models)) {
      expect(report[id]!.version).toBe(m.version)
      const rows = cmp.rows.filter((r) => r.model === id && r.cohort === 'internal')
      expect(rows.map((r) => r.metric).sort()).toEqual(Object.keys(m.cohorts.internal.summary).sort())
      for (const r of rows) expect(r.diff, `${id} ${r.metric}: TS ${r.ts} vs Python ${r.python}`).toBeLessThan(1e-9)
    }
    expect(cmp.match).toBe(true)
  }, 120_000)
})
