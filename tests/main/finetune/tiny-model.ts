/** Test helper: export a tiny torch model to ONNX with /usr/bin/python3 (see fixtures/make_tiny_model.py). */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const PYTHON = '/usr/bin/python3'

export function makeTinyModel(dir: string, classes: number, samples: number): string {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install python3-torch and python3-onnx (scripts/install-system-deps.sh)`)
  const script = join(import.meta.dirname, 'fixtures', 'make_tiny_model.py')
  const r = spawnSync(PYTHON, [script, dir, String(classes), String(samples)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`tiny model export failed: ${r.stderr || r.stdout}`)
  return join(dir, 'model.onnx')
}
