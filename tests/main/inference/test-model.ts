/** Test helper: build and export seeded ResNet1D-SE models with the training pipeline (fixtures/make_test_model.py). */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const PYTHON = '/usr/bin/python3'

export interface TestModelJob {
  /** Models root: the model lands in <root>/<id>/<version>/. */
  root: string
  scheme: 'tier3' | 'tier4' | 'aha'
  version: string
  /** Head bias per class key, e.g. { normal: 8 } to force the model's answer (with a small headScale). */
  bias?: Record<string, number>
  headScale?: number
  /** Stage widths (8, 16, 32, 64) instead of (64 ... 512): same graph, 1/64 of the bytes (registry tests). */
  small?: boolean
  /** Autograd Grad-CAM of these classes on (windows, 12, W) float32 windows read from `input`. */
  gradcam?: { input: string; windows: number; classes: number[]; out: string }
}

/** Exports every job's model in one Python process; returns the model folders. */
export function makeTestModels(jobs: TestModelJob[]): string[] {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install python3-torch and python3-onnx (scripts/install-system-deps.sh)`)
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'fixtures', 'make_test_model.py'), JSON.stringify(jobs)], { encoding: 'utf8', timeout: 180_000 })
  if (r.status !== 0) throw new Error(`test model export failed: ${r.stderr || r.stdout}`)
  return r.stdout.trim().split('\n')
}
