/**
 * SPH (Shandong Provincial Hospital, Liu et al. 2022) records: one HDF5 file per ECG with a dataset `ecg` of
 * shape (12, N), float16 millivolts in standard lead order, 500 Hz; labels and demographics in a metadata.csv
 * beside the files (or one folder up: the full dataset keeps records/ and metadata.csv side by side).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EcgRecord, PatientInfo, SourceLabel } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import { STANDARD_LEADS } from '@shared/leads'
import { assembleRecord, parseAge, parseSex, singleFileIdentity, type RawChannel } from './assemble'
import { csvIndex } from './csv-table'
import { decodeFloat16, float16Bits } from './float16'
import { decodeText, stem } from './text'
import type { ImportContext, Importer, SourceFile } from './types'

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
const SPH_RATE_HZ = 500

/** HDF5 puts its signature at 0 or, after a user block, at 512, 1024, 2048, ... */
export function isHdf5(head: Uint8Array): boolean {
  for (let at = 0; at + 8 <= head.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => head[at + i] === b)) return true
  }
  return false
}

/** "22;23" / "50+346;1" -> AHA labels, '+' attaching modifiers to the statement before it. */
export function parseAhaCodes(raw: string): SourceLabel[] {
  return raw
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [code, ...modifiers] = s.split('+').map((p) => p.trim())
      return modifiers.length > 0 ? { system: 'aha' as const, code: code!, modifiers } : { system: 'aha' as const, code: code! }
    })
}

type H5Lib = (typeof import('h5wasm/node'))['default']
type H5Module = Awaited<H5Lib['ready']>
let ready: Promise<{ lib: H5Lib; mod: H5Module }> | undefined

/**
 * h5wasm is loaded on the first HDF5 file, not at start-up: its WebAssembly heap costs ~0.5 GB of resident
 * memory, which a session that never opens an HDF5 file should not pay.
 */
async function h5(): Promise<{ lib: H5Lib; mod: H5Module }> {
  ready ??= import('h5wasm/node').then(async ({ default: lib }) => {
    const mod = await lib.ready
    // Turn HDF5's stderr diagnostics into thrown errors, which become typed import errors below.
    mod.activate_throwing_error_handler()
    return { lib, mod }
  })
  return ready
}

/** (rows, cols) dataset -> (12, N) millivolt channels in standard order. */
async function readEcg(fileName: string, path: string): Promise<Float32Array[]> {
  const { lib, mod } = await h5()
  let f: InstanceType<H5Lib['File']>
  try {
    f = new lib.File(path, 'r')
  } catch (e) {
    throw new EcgImportError('malformed-header', fileName, `not a readable HDF5 file (${String((e as Error).message ?? e).split('\n')[0]})`)
  }
  try {
    const ds = f.get('ecg')
    if (!(ds instanceof lib.Dataset)) throw new EcgImportError('unsupported-format', fileName, 'HDF5 file has no dataset "ecg" (SPH layout expected)')
    const md = ds.metadata
    const shape = md.shape ?? []
    if (md.type !== 1 || ![2, 4, 8].includes(md.size)) {
      throw new EcgImportError('unsupported-format', fileName, `dataset "ecg" must hold floating-point millivolts (found type class ${md.type}, ${md.size} bytes)`)
    }
    if (shape.length !== 2) throw new EcgImportError('wrong-lead-count', fileName, `dataset "ecg" has shape (${shape.join(', ')}); (12, N) expected`)
    const [rows, cols] = shape as [number, number]
    const transposed = rows !== 12 && cols === 12
    if (rows !== 12 && !transposed) throw new EcgImportError('wrong-lead-count', fileName, `dataset "ecg" has shape (${rows}, ${cols}); (12, N) expected`)
    let flat: Float32Array | Float64Array
    if (md.size === 2) {
      // h5wasm has no float16 array type: read the raw bytes through its module and decode them here.
      const nbytes = md.total_size * 2
      const ptr = mod._malloc(nbytes)
      if (ptr === 0) throw new EcgImportError('too-large', fileName, `cannot allocate ${nbytes} bytes for dataset "ecg"`)
      try {
        mod.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr))
        flat = decodeFloat16(float16Bits(mod.HEAPU8.slice(ptr, ptr + nbytes), md.littleEndian))
      } finally {
        mod._free(ptr)
      }
    } else {
      flat = ds.value as Float32Array | Float64Array
    }
    const n = transposed ? rows : cols
    // (12, N) row-major, or (N, 12) when transposed -> 12 x (N,)
    return STANDARD_LEADS.map((_, lead) => {
      const out = new Float32Array(n)
      for (let t = 0; t < n; t++) out[t] = flat[transposed ? t * 12 + lead : lead * n + t] as number
      return out
    })
  } finally {
    f.close()
  }
}

export class SphHdf5Importer implements Importer {
  readonly format = 'sph-hdf5' as const

  sniff(head: Uint8Array): boolean {
    return isHdf5(head)
  }

  async read(file: SourceFile, ctx: ImportContext): Promise<EcgRecord> {
    const bytes = await file.read()
    let signals: Float32Array[]
    if (file.path !== undefined) signals = await readEcg(file.name, file.path)
    else {
      // Uploaded bytes: h5wasm in Node reads the host file system only, so go through a private temp file.
      const dir = await mkdtemp(join(tmpdir(), 'ecg-h5-'))
      try {
        const tmp = join(dir, 'upload.h5')
        await writeFile(tmp, bytes)
        signals = await readEcg(file.name, tmp)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }
    const facts = await sphFacts(file, ctx)
    const channels: RawChannel[] = STANDARD_LEADS.map((label, i) => ({ label, samples: signals[i]! }))
    return assembleRecord({
      ...singleFileIdentity(file, bytes, this.format),
      samplingRateHz: facts.rate,
      channels,
      patient: facts.patient,
      ...(facts.recordedAt !== undefined ? { recordedAt: facts.recordedAt } : {}),
      labels: facts.labels,
      meta: facts.meta,
    })
  }
}

interface SphFacts {
  rate: number
  labels: SourceLabel[]
  patient: PatientInfo
  recordedAt?: string
  meta: Record<string, string>
}

async function sphFacts(file: SourceFile, ctx: ImportContext): Promise<SphFacts> {
  const none: SphFacts = { rate: SPH_RATE_HZ, labels: [], patient: {}, meta: { labelSource: 'none (no metadata.csv found)' } }
  const csv = await ctx.sidecar(file, 'metadata.csv', 1)
  if (!csv) return none
  const table = await ctx.memo(`sph:${csv.name}`, async () => csvIndex(decodeText(await csv.read()) ?? '', 'ECG_ID').rows)
  const row = table.get(file.baseName) ?? table.get(stem(file.baseName))
  if (!row) return { ...none, meta: { labelSource: `none (${file.baseName} not in ${csv.name})` } }
  const patient: PatientInfo = {}
  if (row.Patient_ID?.trim()) patient.id = row.Patient_ID.trim()
  const age = parseAge(row.Age)
  if (age !== undefined) patient.age = age
  const sex = parseSex(row.Sex)
  if (sex !== undefined) patient.sex = sex
  const fs = Number(row.fs)
  const meta: Record<string, string> = { labelSource: csv.name }
  if (row.SNOMEDCTCode?.trim()) meta.snomed = row.SNOMEDCTCode.trim()
  const date = row.Date?.trim()
  return {
    rate: row.fs?.trim() && Number.isFinite(fs) ? fs : SPH_RATE_HZ,
    labels: parseAhaCodes(row.AHA_Code ?? ''),
    patient,
    ...(date ? { recordedAt: date } : {}),
    meta,
  }
}
