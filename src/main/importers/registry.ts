/**
 * The importer registry: turns a batch of paths or uploaded files into one outcome per record. Formats are
 * recognised by content (each importer sniffs the first bytes), companion files are paired with their header,
 * and every failure is caught per record so one bad file never stops the batch.
 */
import type { EcgRecord } from '@shared/ecg'
import { EcgImportError, type ImportOutcome } from '@shared/errors'
import { DiskFile, DiskLookup, expandPaths, fileKey, companionKey, UploadFile, UploadLookup, type Entry, type FileLookup } from './sources'
import { extension, stem } from './text'
import { DEFAULT_MAX_FILE_BYTES, SNIFF_BYTES, type ImportContext, type Importer, type ImportOptions } from './types'

export interface RegistryOptions {
  /** Files above this size are refused before reading (default 512 MiB). */
  maxFileBytes?: number
  /** Records read at the same time (I/O overlaps parsing). */
  concurrency?: number
}

/** Dataset tables that accompany records (read as sidecars by the importers), never records themselves. */
const SIDECAR_NAMES = new Set(['metadata.csv', 'ptbxl_database.csv', 'scp_statements.csv'])
/** Signal files: meaningless without the header that describes them. */
const SIGNAL_EXTENSIONS = new Set(['dat', 'mat'])
/** Extensions that claim to be ECG files: reported when unreadable even if met in a folder scan. */
const ECG_EXTENSIONS = new Set(['hea', 'h5', 'hdf5', 'hd5'])

interface Planned {
  entry: Entry
  importer?: Importer
  /** Failure found while planning (empty, too large, unreadable). */
  error?: EcgImportError
  head?: Uint8Array
}

export class ImporterRegistry {
  private readonly maxFileBytes: number
  private readonly concurrency: number

  constructor(
    private readonly importers: Importer[],
    options: RegistryOptions = {},
  ) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    this.concurrency = Math.max(1, options.concurrency ?? 4)
  }

  get formats(): string[] {
    return this.importers.map((i) => i.format)
  }

  /** Import files and folders (recursively). A signal file named alone brings in its header when one is beside it. */
  async importPaths(paths: string[], opts: ImportOptions = {}): Promise<ImportOutcome<EcgRecord>[]> {
    return this.importPathsWith(paths, opts, async (r) => r)
  }

  /** Import uploaded contents; companions are paired by name (and folder, when names carry one). */
  async importFiles(files: { name: string; bytes: Uint8Array }[], opts: ImportOptions = {}): Promise<ImportOutcome<EcgRecord>[]> {
    return this.importFilesWith(files, opts, async (r) => r)
  }

  /**
   * importPaths, handing each record to `each` as soon as it is read (e.g. to store it and keep only its summary),
   * so a batch of thousands of records never holds all their samples at once. `each` may throw EcgImportError.
   */
  async importPathsWith<T>(paths: string[], opts: ImportOptions, each: (record: EcgRecord) => Promise<T>): Promise<ImportOutcome<T>[]> {
    const { entries, missing } = await expandPaths(paths, this.maxFileBytes)
    const known = new Set(entries.map((e) => fileKey(e.file)))
    for (const e of [...entries]) {
      if (!e.explicit || !SIGNAL_EXTENSIONS.has(extension(e.file.baseName)) || e.file.path === undefined) continue
      const hea = (await DiskFile.at(`${e.file.path.slice(0, -4)}.hea`, this.maxFileBytes)) ?? undefined
      if (hea && !known.has(fileKey(hea))) {
        known.add(fileKey(hea))
        entries.push({ file: hea, explicit: true })
      }
    }
    const failed = missing.map((err) => fail<T>(err.file, err))
    return [...failed, ...(await this.run(entries, new DiskLookup(this.maxFileBytes), opts, each))]
  }

  async importFilesWith<T>(files: { name: string; bytes: Uint8Array }[], opts: ImportOptions, each: (record: EcgRecord) => Promise<T>): Promise<ImportOutcome<T>[]> {
    const uploads = files.map((f) => new UploadFile(f.name, f.bytes, this.maxFileBytes))
    return this.run(
      uploads.map((file) => ({ file, explicit: true })),
      new UploadLookup(uploads),
      opts,
      each,
    )
  }

  private async run<T>(entries: Entry[], lookup: FileLookup, options: ImportOptions, each: (record: EcgRecord) => Promise<T>): Promise<ImportOutcome<T>[]> {
    const seen = new Set<string>()
    const unique = entries.filter((e) => !seen.has(fileKey(e.file)) && seen.add(fileKey(e.file)))
    const plans: Planned[] = []
    const consumed = new Set<string>()
    for (const entry of unique) {
      if (SIDECAR_NAMES.has(entry.file.baseName.toLowerCase())) continue
      const plan = await this.plan(entry)
      if (plan.importer?.companions && plan.head) {
        for (const c of plan.importer.companions(plan.head, entry.file.baseName)) consumed.add(companionKey(entry.file, c))
      }
      plans.push(plan)
    }
    const memo = new Map<string, Promise<unknown>>()
    const ctx: ImportContext = {
      options,
      companion: (of, name) => lookup.companion(of, name),
      sidecar: (of, name, up) => lookup.sidecar(of, name, up),
      memo: <T>(key: string, make: () => Promise<T>) => {
        if (!memo.has(key)) memo.set(key, make())
        return memo.get(key) as Promise<T>
      },
    }
    const jobs: (() => Promise<ImportOutcome<T>>)[] = []
    for (const p of plans) {
      const { file } = p.entry
      if (p.error) jobs.push(async () => fail<T>(file.name, p.error))
      else if (p.importer) {
        const importer = p.importer
        jobs.push(() =>
          importer
            .read(file, ctx)
            .then(each)
            .then((value) => ({ ok: true as const, file: file.name, value }), (e: unknown) => fail<T>(file.name, e)),
        )
      } else if (consumed.has(fileKey(file))) continue
      else if (SIGNAL_EXTENSIONS.has(extension(file.baseName))) {
        const err = new EcgImportError('missing-companion-file', file.name, `signal file without its header: add ${stem(file.baseName)}.hea (or import the folder)`)
        jobs.push(async () => fail<T>(file.name, err))
      } else if (p.entry.explicit || ECG_EXTENSIONS.has(extension(file.baseName))) {
        const named = ECG_EXTENSIONS.has(extension(file.baseName)) ? `named .${extension(file.baseName)} but its content is not of that format; ` : ''
        const err = new EcgImportError('unknown-format', file.name, `${named}not a recognised ECG file (supported: WFDB .hea/.dat, PhysioNet/CinC .hea/.mat, SPH HDF5, HL7 aECG XML, CSV)`)
        jobs.push(async () => fail<T>(file.name, err))
      }
      // A file met while scanning a folder that no importer claims (README, licence, a table) is not an ECG: skipped.
    }
    return pool(jobs, this.concurrency)
  }

  private async plan(entry: Entry): Promise<Planned> {
    const { file } = entry
    if (file.size === 0) return { entry, error: new EcgImportError('empty-file', file.name, 'the file is empty (0 bytes)') }
    if (file.size > this.maxFileBytes) {
      return { entry, error: new EcgImportError('too-large', file.name, `file is ${(file.size / 2 ** 20).toFixed(1)} MiB; the import limit is ${(this.maxFileBytes / 2 ** 20).toFixed(0)} MiB`) }
    }
    let head: Uint8Array
    try {
      head = await file.readHead(SNIFF_BYTES)
    } catch (e) {
      return { entry, error: e instanceof EcgImportError ? e : new EcgImportError('io-error', file.name, String(e)) }
    }
    const importer = this.importers.find((i) => i.sniff(head, file.baseName, !entry.explicit))
    return importer ? { entry, importer, head } : { entry, head }
  }
}

function fail<T>(file: string, e: unknown): ImportOutcome<T> {
  if (e instanceof EcgImportError) return { ok: false, file, code: e.code, message: e.message }
  // Anything else is a bug in an importer, not the user's data: still one outcome, never a crashed batch.
  return { ok: false, file, code: 'internal', message: `${file}: internal error while importing (${e instanceof Error ? e.message : String(e)})` }
}

/** Run jobs with at most `n` in flight; results keep the jobs' order. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out = new Array<T>(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++
      out[i] = await jobs[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker))
  return out
}
