/**
 * The README's first command with the models this repository ships: `npm run triage -- <records>` on real records
 * of three formats (PTB-XL WFDB, SPH HDF5, CinC MATLAB), JSON output, every result traceable to the shipped files.
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zAnalysisResult } from '@shared/contract/analysis'
import { LABEL_MAPPING_VERSION } from '@shared/labels/catalog'
import { zManifest } from '@shared/manifest'
import { DATA, ptbxlPath, REPO_ROOT, requireData } from '../inference/real-data'

const shipped = (id: string) => {
  const dir = join(REPO_ROOT, 'models', id)
  const version = readdirSync(dir).sort().pop()!
  return zManifest.parse(JSON.parse(readFileSync(join(dir, version, 'manifest.json'), 'utf8')))
}

describe('triage with the shipped models', () => {
  requireData()
  it('analyses PTB-XL, SPH and CinC records; results carry the shipped models, thresholds and provider', async () => {
    const files = [ptbxlPath(1), ptbxlPath(17), resolve(DATA, 'sph/SPH00001.h5'), resolve(DATA, 'cinc/CPSC_CPSC-Extra/A0005.hea')]
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
      // the user's own model settings must not leak in: an empty user data folder
      const env = { ...process.env, ECG_USER_DATA_DIR: join(REPO_ROOT, '.tmp', 'shipped-test-user-data'), ECG_APP_ROOT: REPO_ROOT }
      const child = spawn(process.execPath, [resolve(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), resolve(REPO_ROOT, 'src/main/cli/index.ts'), 'triage', '--format', 'json', ...files], { cwd: REPO_ROOT, env })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('close', (c) => res({ code: c ?? -1, stdout: out, stderr: err }))
    })
    expect(code, stderr).toBe(0)
    const rows = JSON.parse(stdout) as Array<{ ok: boolean; result?: unknown; error?: string }>
    expect(rows.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok'])
    const tier = shipped('triage-tier3')
    const codes = shipped('aha-codes')
    for (const row of rows) {
      const r = zAnalysisResult.parse(row.result)
      expect(r.provenance.models).toEqual([
        { id: tier.id, version: tier.version, sha256: tier.sha256, role: 'tier' },
        { id: codes.id, version: codes.version, sha256: codes.sha256, role: 'codes' },
      ])
      expect(r.provenance.labelMappingVersion).toBe(LABEL_MAPPING_VERSION)
      expect(r.provenance.thresholds['tier:urgent']).toBe(tier.thresholds.urgent)
      expect(['cpu', 'cuda', 'dml', 'coreml']).toContain(r.provenance.executionProvider)
      expect(r.tier.classKeys).toEqual(['normal', 'non-urgent', 'urgent'])
      expect(r.tier.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      expect(r.codes).toHaveLength(codes.classes.length)
      expect(r.heartRate.bpm).toBeGreaterThan(30)
    }
    const a0005 = zAnalysisResult.parse(rows[3]!.result)
    expect(a0005.provenance.windows).toBe(3) // 25-s record: three 10-s windows
  })
})
