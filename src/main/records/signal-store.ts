/**
 * Content-addressed store of imported recordings: `<dir>/<id>.json` (the summary) and `<id>.f32` (the samples,
 * float32 little-endian, lead-major: leads.length x length).
 *
 * Why raw signals live here and not in the renderer's IndexedDB (Dexie holds cases and results only):
 * - size: a 10-s 12-lead record is ~240 KB of samples, a long CinC/PTB record several MB; thousands of them would
 *   bloat IndexedDB and every structured clone across the IPC boundary;
 * - sharing: main-side inference, Grad-CAM and fine-tuning read the samples directly, without a renderer round trip;
 * - permanence: the source files may be moved or deleted after import; cases must still open.
 * The id is the SHA-256 of the source bytes, so re-importing the same files finds the stored copy.
 *
 * Writes are atomic (temp file, fsync, rename) and the summary is written last, so a crash never leaves a record
 * that `has()` reports but `get()` cannot read.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { endianness } from 'node:os'
import { join } from 'node:path'
import { zRecordSummary } from '@shared/contract/common'
import type { EcgRecord, EcgRecordSummary } from '@shared/ecg'

/** Bumped when the import of the same bytes would give different samples (an importer fix): stale copies are rewritten. */
export const STORE_FORMAT_VERSION = 1

const ID = /^[0-9a-f]{64}$/

export type StoreErrorCode = 'not-found' | 'corrupt' | 'bad-id' | 'io-error'

export class SignalStoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly id: string,
    detail: string,
  ) {
    super(`record ${id}: ${detail}`)
    this.name = 'SignalStoreError'
  }
}

/** A record read back from the store: its samples are views on one fresh (never shared) ArrayBuffer. */
export type StoredRecord = EcgRecordSummary & { signals: Float32Array<ArrayBuffer>[] }

interface StoredSummary {
  version: number
  /** SHA-256 of the .f32 file, checked on every read so silent disk corruption is caught. */
  samplesSha256: string
  summary: EcgRecordSummary
}

/** (leads, N) Float32Arrays -> one lead-major little-endian byte buffer. */
export function packSignals(signals: Float32Array[], length: number): Uint8Array {
  const flat = new Float32Array(signals.length * length)
  signals.forEach((s, i) => flat.set(s, i * length))
  return new Uint8Array(flat.buffer)
}

/** Inverse of packSignals; copies so every lead is 4-byte aligned whatever the source buffer's offset. */
export function unpackSignals(bytes: Uint8Array, leads: number, length: number): Float32Array<ArrayBuffer>[] {
  const flat = new Float32Array(leads * length)
  new Uint8Array(flat.buffer).set(bytes.subarray(0, flat.byteLength))
  return Array.from({ length: leads }, (_, i) => flat.subarray(i * length, (i + 1) * length))
}

async function writeAtomic(path: string, data: Uint8Array | string, durable: boolean): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const fh = await open(tmp, 'w')
    try {
      await fh.writeFile(data)
      if (durable) await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

export class SignalStore {
  constructor(
    readonly dir: string,
    private readonly options: { durable?: boolean } = {},
  ) {
    // The .f32 files are written in the machine's byte order, which every supported platform has as little-endian.
    if (endianness() !== 'LE') throw new Error('SignalStore needs a little-endian machine')
  }

  private paths(id: string): { json: string; f32: string } {
    if (!ID.test(id)) throw new SignalStoreError('bad-id', id.slice(0, 80), 'an id is 64 lower-case hex characters')
    return { json: join(this.dir, `${id}.json`), f32: join(this.dir, `${id}.f32`) }
  }

  /** Persist a record; a copy already stored at this format version keeps its samples and gets the new summary. */
  async put(record: EcgRecord): Promise<EcgRecordSummary> {
    const { json, f32 } = this.paths(record.id)
    const { signals: _signals, ...summary } = record
    const durable = this.options.durable ?? true
    try {
      await mkdir(this.dir, { recursive: true })
      const existing = await this.readSummary(record.id).catch(() => undefined)
      let samplesSha256 = existing?.version === STORE_FORMAT_VERSION ? existing.samplesSha256 : undefined
      const expectedBytes = record.signals.length * record.length * 4
      if (samplesSha256 === undefined || (await stat(f32).catch(() => undefined))?.size !== expectedBytes) {
        const bytes = packSignals(record.signals, record.length)
        samplesSha256 = createHash('sha256').update(bytes).digest('hex')
        await writeAtomic(f32, bytes, durable)
      }
      const stored: StoredSummary = { version: STORE_FORMAT_VERSION, samplesSha256, summary }
      await writeAtomic(json, JSON.stringify(stored), durable)
      return summary
    } catch (e) {
      if (e instanceof SignalStoreError) throw e
      throw new SignalStoreError('io-error', record.id, `cannot save to ${this.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
  }

  async has(id: string): Promise<boolean> {
    if (!ID.test(id)) return false
    const { json, f32 } = this.paths(id)
    const [a, b] = await Promise.all([stat(json).catch(() => undefined), stat(f32).catch(() => undefined)])
    return a?.isFile() === true && b?.isFile() === true
  }

  async summary(id: string): Promise<EcgRecordSummary> {
    return (await this.readSummary(id)).summary
  }

  async get(id: string): Promise<StoredRecord> {
    const stored = await this.readSummary(id)
    const { f32 } = this.paths(id)
    const { leads, length } = stored.summary
    let bytes: Uint8Array
    try {
      bytes = await readFile(f32)
    } catch (e) {
      throw new SignalStoreError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'corrupt' : 'io-error', id, 'the samples file cannot be read')
    }
    if (bytes.length !== leads.length * length * 4) {
      throw new SignalStoreError('corrupt', id, `samples file holds ${bytes.length} bytes, ${leads.length} leads x ${length} samples need ${leads.length * length * 4}`)
    }
    if (createHash('sha256').update(bytes).digest('hex') !== stored.samplesSha256) {
      throw new SignalStoreError('corrupt', id, 'samples file does not match its recorded SHA-256 (altered or damaged on disk)')
    }
    return { ...stored.summary, signals: unpackSignals(bytes, leads.length, length) }
  }

  /** Ids of complete records (those with a summary). */
  async list(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => [])
    const names = entries.filter((e) => e.isFile()).map((e) => e.name)
    return names.filter((n) => n.endsWith('.json') && ID.test(n.slice(0, -5))).map((n) => n.slice(0, -5)).sort()
  }

  async delete(id: string): Promise<void> {
    const { json, f32 } = this.paths(id)
    await rm(json, { force: true }) // summary first: a half-deleted record is simply absent
    await rm(f32, { force: true })
  }

  private async readSummary(id: string): Promise<StoredSummary> {
    const { json } = this.paths(id)
    let text: string
    try {
      text = await readFile(json, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new SignalStoreError(code === 'ENOENT' ? 'not-found' : 'io-error', id, code === 'ENOENT' ? 'not in the signal store' : `cannot read (${code})`)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new SignalStoreError('corrupt', id, 'summary file is not valid JSON')
    }
    const p = parsed as Partial<StoredSummary>
    const summary = zRecordSummary.safeParse(p?.summary)
    if (typeof p?.version !== 'number' || typeof p.samplesSha256 !== 'string' || !summary.success || summary.data.id !== id) {
      throw new SignalStoreError('corrupt', id, 'summary file does not have the expected shape')
    }
    return { version: p.version, samplesSha256: p.samplesSha256, summary: summary.data as EcgRecordSummary }
  }
}
