/**
 * The CLI as a user runs it: a child process (tsx src/main/cli/index.ts) on real records and a bad file, with
 * models exported by the training pipeline (forced answers) in a temporary app root.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zAnalysisResult } from '@shared/contract/analysis'
import { ahaFromScp, parseScpCodes, tierOfBridged } from '@shared/labels/catalog'
import { DATA, ptbxlPath, REPO_ROOT, requireData } from '../inference/real-data'
import { makeTestModels } from '../inference/test-model'

interface Run {
  code: number
  stdout: string
  stderr: string
}

describe('headless CLI', () => {
  requireData()
  const dir = mkdtempSync(join(tmpdir(), 'ecg-cli-'))
  const env = { ...process.env, ECG_APP_ROOT: join(dir, 'app'), ECG_USER_DATA_DIR: join(dir, 'user') }
  const cli = (args: string[]): Promise<Run> =>
    new Promise((res) => {
      const child = spawn(process.execPath, [resolve(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), resolve(REPO_ROOT, 'src/main/cli/index.ts'), ...args], { cwd: REPO_ROOT, env })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }))
    })
  const bad = join(dir, 'notes.txt')
  const rec1 = ptbxlPath(1)
  const rec17 = ptbxlPath(17)

  beforeAll(() => {
    makeTestModels([
      { root: join(dir, 'app', 'models'), scheme: 'tier3', version: '1.0.0', small: true, headScale: 0.01, bias: { normal: 8 } },
      { root: join(dir, 'app', 'models'), scheme: 'aha', version: '1.0.0', small: true, headScale: 0.01, bias: { '1': 8, '22': -8, '50': -8, '104': -8, '999': -8 } },
    ])
    writeFileSync(bad, 'not an ECG\n')
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints a table; a bad file gets its error line and the batch goes on (exit 0)', async () => {
    const r = await cli(['triage', rec1, bad, rec17])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^FILE\s+TIER\s+CONF\s+TOP CODES\s+FLAGS/)
    const row1 = lines.find((l) => l.includes('00001_hr.hea'))!
    expect(row1).toMatch(/\snormal\s+1\.00\s+1 Normal ECG 1\.00/)
    expect(row1).toMatch(/\s6[0-9]$/) // heart rate of record 1 (64 bpm)
    expect(lines.find((l) => l.includes('notes.txt'))).toMatch(/ERROR\s+\S*notes\.txt: .{10,}/)
    expect(lines.find((l) => l.includes('00017_hr.hea'))).toMatch(/irregular$/) // atrial flutter/fibrillation record
    expect(r.stdout).toMatch(/2 analysed, 1 failed; models triage-tier3@1\.0\.0, aha-codes@1\.0\.0; execution provider cpu/)
  })

  it('--format json gives one validated result per file and the error for the bad one', async () => {
    const r = await cli(['triage', '--format', 'json', rec1, bad])
    expect(r.code, r.stderr).toBe(0)
    const rows = JSON.parse(r.stdout) as Array<{ ok: boolean; file: string; result?: unknown; error?: string }>
    expect(rows.map((x) => x.ok)).toEqual([true, false])
    const res = zAnalysisResult.parse(rows[0]!.result)
    expect(res.tier.key).toBe('normal')
    expect(res.codes.find((c) => c.code === '1')?.positive).toBe(true)
    expect(rows[1]!.error).toMatch(/notes\.txt: .{10,}/)
  })

  it('--format csv', async () => {
    const r = await cli(['triage', '--format=csv', rec1, bad])
    expect(r.code, r.stderr).toBe(0)
    const [head, a, b] = r.stdout.trim().split('\n')
    expect(head).toBe('file,record,ok,tier,model_tier,confidence,needs_human_read,positive_codes,flags,heart_rate_bpm,rr_irregularity,error')
    expect(a).toMatch(/00001_hr\.hea,00001_hr,true,normal,normal,0\.99\d\d,false,1:1\.000,,6\d\.\d,0\.0\d\d,$/)
    expect(b).toMatch(/notes\.txt,,false,,,,,,,,,\S*notes\.txt: .{10,}/)
  })

  it('usage errors exit 2 with the usage text', async () => {
    for (const args of [['triage'], ['triage', rec1, '--format', 'xml'], ['frobnicate']]) {
      const r = await cli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/^error: /)
      expect(r.stderr).toMatch(/usage:/)
    }
  })

  it('a missing model is a clear error, not a crash (exit 2)', async () => {
    const r = await cli(['triage', '--scheme', 'tier4', rec1])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no usable tier model 'triage-tier4' \(no version is installed\)/)
  })

  it('evaluate computes the metrics on the internal cohort (PTB-XL fold 10) of a dataset folder', async () => {
    // a small PTB-XL layout: six records (three of fold 10) and the database table two levels up
    const ids = [1, 2, 9, 38, 40, 57] // 9, 38, 40 and 57 are in fold 10
    const db = readFileSync(resolve(DATA, 'ptbxl/ptbxl_database.csv'), 'utf8')
    const root = join(dir, 'ptbxl')
    mkdirSync(join(root, 'records500/00000'), { recursive: true })
    writeFileSync(join(root, 'ptbxl_database.csv'), db)
    for (const id of ids) for (const ext of ['hea', 'dat']) cpSync(ptbxlPath(id).replace(/\.hea$/, `.${ext}`), join(root, `records500/00000/${String(id).padStart(5, '0')}_hr.${ext}`))
    // expected truth from the database, independently of the CLI: fold-10 records and their tiers
    const rows = db.split('\n').slice(1).filter(Boolean)
    const fold10 = ids.filter((id) => {
      const row = rows.find((r) => r.startsWith(`${id},`))!
      return row.split(',').at(-3) === '10'
    })
    expect(fold10.length).toBeGreaterThan(0)
    const tiers = fold10.map((id) => {
      const row = rows.find((r) => r.startsWith(`${id},`))!
      const scp = parseScpCodes(/"(\{[^"]*\})"/.exec(row)![1]!)
      return tierOfBridged(ahaFromScp(scp, null), 'tier3').key
    })
    const r = await cli(['evaluate', root, '--model', 'triage-tier3', '--format', 'json', '--cohort', 'internal'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { models: Record<string, { cohorts: Record<string, { summary: Record<string, number> }> }> }
    const s = out.models['triage-tier3']!.cohorts.internal!.summary
    const mapped = tiers.filter((t) => t !== 'unmapped')
    expect(s.n).toBe(mapped.length)
    // the model always says 'normal': accuracy is the share of normal records
    expect(s.accuracy).toBeCloseTo(mapped.filter((t) => t === 'normal').length / mapped.length, 10)
    expect(s.decisionRuleAccuracy).toBeCloseTo(s.accuracy!, 10)
  })
})
