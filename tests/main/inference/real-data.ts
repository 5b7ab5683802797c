/** Test helper: the shared real-data folder (../shared/data beside the repository) and record loading. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { EcgRecord } from '@shared/ecg'
import { createImporterRegistry } from '../../../src/main/importers'

export const REPO_ROOT = resolve(import.meta.dirname, '../../..')
export const DATA = resolve(REPO_ROOT, '../shared/data')

/** Throws (the test fails, never silently passes) when the shared data folder is missing. */
export function requireData(): string {
  if (!existsSync(resolve(DATA, 'ptbxl/records500/00000'))) {
    throw new Error(`real ECG data missing: expected PTB-XL records under ${DATA}/ptbxl/records500/00000 (the shared data folder beside the repository)`)
  }
  return DATA
}

export function ptbxlPath(id: number, rate: 500 | 100 = 500): string {
  const name = `${String(id).padStart(5, '0')}_${rate === 500 ? 'hr' : 'lr'}.hea`
  return resolve(requireData(), `ptbxl/records${rate}/00000/${name}`)
}

export async function loadRecords(paths: string[]): Promise<EcgRecord[]> {
  const outcomes = await createImporterRegistry().importPaths(paths)
  return outcomes.map((o) => {
    if (!o.ok) throw new Error(`import failed: ${o.message}`)
    return o.value
  })
}

export async function loadPtbxl(ids: number[], rate: 500 | 100 = 500): Promise<EcgRecord[]> {
  return loadRecords(ids.map((id) => ptbxlPath(id, rate)))
}

/** A copy of a record with its signals transformed (the original stays untouched). */
export function corrupt(r: EcgRecord, f: (x: Float32Array, lead: string, i: number) => Float32Array): EcgRecord {
  return { ...r, id: `${r.id}-corrupt`, signals: r.signals.map((x, i) => f(Float32Array.from(x), r.leads[i]!, i)) }
}

/** Deterministic standard normal noise (Box-Muller over a small LCG), so corrupted copies are reproducible. */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 1) / 4294967297
  }
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
}
