/**
 * Writes a fine-tuned head as a NEW model version in the user models dir: the parent's ONNX with the head
 * initializers replaced, and a manifest naming its parent, data and metrics. Staged in a sibling directory and
 * renamed into place, so a failure leaves nothing behind; the shipped model is only ever read.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { zManifest, type ModelManifest } from '@shared/manifest'
import { ClinicianError } from '../thresholds/errors'
import type { ModelRef } from '../thresholds/ports'
import type { Head } from './head'
import { readFloatInitializer, replaceInitializers } from './onnx-rewrite'

/** '1.0.0' -> '1.0.0-ft.N' and '1.0.0-ft.2' -> '1.0.0-ft.N', N one more than any existing ft version of that base. */
export function nextFinetuneVersion(parent: string, existing: readonly string[]): string {
  const base = parent.replace(/-ft\.\d+$/, '')
  const used = existing.map((v) => new RegExp(`^${base.replace(/\./g, '\\.')}-ft\\.(\\d+)$`).exec(v)?.[1]).filter((n): n is string => n !== undefined).map(Number)
  return `${base}-ft.${Math.max(0, ...used) + 1}`
}

/** The head as stored in the ONNX file, returned as W (C, D) and b (C); nn.Linear may be exported transposed. */
export function readHeadFrom(bytes: Uint8Array, m: ModelManifest): Head & { transposed: boolean } {
  const C = m.classes.length
  const D = m.head.inFeatures
  const w = readFloatInitializer(bytes, m.head.weightInitializer)
  const b = readFloatInitializer(bytes, m.head.biasInitializer)
  if (b.data.length !== C) throw new ClinicianError('bad-input', `${m.id}@${m.version}: head bias has ${b.data.length} values for ${C} classes`)
  if (w.dims.length === 2 && w.dims[0] === C && w.dims[1] === D) return { W: w.data, b: b.data, classes: C, inFeatures: D, transposed: false }
  if (w.dims.length === 2 && w.dims[0] === D && w.dims[1] === C) {
    const W = new Float32Array(C * D) // (D, C) -> (C, D)
    for (let d = 0; d < D; d++) for (let c = 0; c < C; c++) W[c * D + d] = w.data[d * C + c]!
    return { W, b: b.data, classes: C, inFeatures: D, transposed: true }
  }
  throw new ClinicianError('bad-input', `${m.id}@${m.version}: head weight has dims (${w.dims.join(', ')}), expected (${C}, ${D})`)
}

export interface NewVersion {
  parent: ModelRef
  head: Head
  temperature: number
  /** The new version's default operating points (see FinetuneService: recalibrated for the new head). */
  thresholds: Record<string, number>
  version: string
  createdAt: string
  training: ModelManifest['training']
  metrics: Record<string, unknown>
}

export async function writeFinetunedVersion(userModelsDir: string, v: NewVersion): Promise<{ dir: string; manifest: ModelManifest }> {
  const parentBytes = new Uint8Array(await readFile(v.parent.onnxPath))
  const pm = v.parent.manifest
  const stored = readHeadFrom(parentBytes, pm)
  const C = pm.classes.length
  const D = pm.head.inFeatures
  let W = v.head.W
  if (stored.transposed) {
    W = new Float32Array(C * D) // (C, D) -> (D, C) as the file stores it
    for (let c = 0; c < C; c++) for (let d = 0; d < D; d++) W[d * C + c] = v.head.W[c * D + d]!
  }
  const bytes = replaceInitializers(
    parentBytes,
    new Map([
      [pm.head.weightInitializer, { dims: stored.transposed ? [D, C] : [C, D], data: W }],
      [pm.head.biasInitializer, { dims: [C], data: v.head.b }],
    ]),
  )
  const manifest = zManifest.parse({
    ...pm,
    version: v.version,
    parentVersion: pm.version,
    createdAt: v.createdAt,
    temperature: v.temperature,
    thresholds: v.thresholds,
    training: v.training,
    metrics: v.metrics,
    intendedUse: `${pm.intendedUse} Locally fine-tuned head (classification layer only) on clinician-labelled cases of this site; parent ${pm.id}@${pm.version}.`,
    file: 'model.onnx',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  })
  const finalDir = join(userModelsDir, pm.id, v.version)
  if (existsSync(finalDir)) throw new ClinicianError('bad-input', `${finalDir} already exists; versions are never overwritten`)
  const staging = join(dirname(userModelsDir), 'models-staging', `${pm.id}-${v.version}-${process.pid}-${Date.now()}`)
  try {
    await mkdir(staging, { recursive: true })
    await writeFile(join(staging, 'model.onnx'), bytes)
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
    await mkdir(dirname(finalDir), { recursive: true })
    await rename(staging, finalDir)
  } catch (err) {
    await rm(staging, { recursive: true, force: true })
    throw err
  }
  return { dir: finalDir, manifest }
}

/** Remove a version directory this process just wrote (failed self-check); never touches shipped models. */
export async function removeVersion(userModelsDir: string, id: string, version: string): Promise<void> {
  const dir = join(userModelsDir, id, version)
  if (!dir.startsWith(userModelsDir)) return
  await rm(dir, { recursive: true, force: true })
  const left = await readdir(join(userModelsDir, id)).catch(() => [])
  if (left.length === 0) await rm(join(userModelsDir, id), { recursive: true, force: true })
}
