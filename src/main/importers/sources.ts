/**
 * Where batch files come from: paths on disk (expanded recursively from folders) or uploaded bytes. Both give
 * `SourceFile`s and a `FileLookup` that finds companions (X.dat beside X.hea) and sidecars (metadata.csv).
 */
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { EcgImportError } from '@shared/errors'
import type { SourceFile } from './types'

export interface FileLookup {
  companion(of: SourceFile, name: string): Promise<SourceFile | undefined>
  sidecar(of: SourceFile, name: string, levelsUp: number): Promise<SourceFile | undefined>
}

function tooLarge(file: string, size: number, max: number): EcgImportError {
  return new EcgImportError('too-large', file, `file is ${(size / 2 ** 20).toFixed(1)} MiB; the import limit is ${(max / 2 ** 20).toFixed(0)} MiB`)
}

function ioError(file: string, e: unknown): EcgImportError {
  const code = (e as NodeJS.ErrnoException).code
  return new EcgImportError('io-error', file, `cannot read the file (${code ?? (e as Error).message})`)
}

/** A companion name must stay in the header's folder: no separators, no parent references. */
function plainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name)
}

export class DiskFile implements SourceFile {
  readonly name: string
  readonly baseName: string

  constructor(
    readonly path: string,
    readonly size: number,
    private readonly maxBytes: number,
  ) {
    this.name = path
    this.baseName = basename(path)
  }

  async read(): Promise<Uint8Array> {
    // The size limit is checked on the stat result, before a single byte is read.
    if (this.size > this.maxBytes) throw tooLarge(this.name, this.size, this.maxBytes)
    try {
      const buf = await readFile(this.path)
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
    } catch (e) {
      throw ioError(this.name, e)
    }
  }

  async readHead(n: number): Promise<Uint8Array> {
    try {
      const fh = await open(this.path, 'r')
      try {
        const buf = new Uint8Array(Math.min(n, this.size))
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
        return buf.subarray(0, bytesRead)
      } finally {
        await fh.close()
      }
    } catch (e) {
      throw ioError(this.name, e)
    }
  }

  static async at(path: string, maxBytes: number): Promise<DiskFile | undefined> {
    try {
      const s = await stat(path)
      return s.isFile() ? new DiskFile(path, s.size, maxBytes) : undefined
    } catch {
      return undefined
    }
  }
}

export class UploadFile implements SourceFile {
  readonly baseName: string
  /** Folder part of the upload name ("" for a bare name), used to pair companions. */
  readonly folder: string

  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
    private readonly maxBytes: number,
  ) {
    const parts = name.split(/[/\\]/)
    this.baseName = parts[parts.length - 1] ?? name
    this.folder = parts.slice(0, -1).join('/')
  }

  get size(): number {
    return this.bytes.length
  }

  async read(): Promise<Uint8Array> {
    if (this.size > this.maxBytes) throw tooLarge(this.name, this.size, this.maxBytes)
    return this.bytes
  }

  async readHead(n: number): Promise<Uint8Array> {
    return this.bytes.subarray(0, n)
  }
}

/** Expanded entry: `explicit` when the user named the file itself rather than a folder holding it. */
export interface Entry {
  file: SourceFile
  explicit: boolean
}

/** Paths -> files, folders expanded recursively (hidden entries skipped). Missing paths become io errors. */
export async function expandPaths(paths: string[], maxBytes: number): Promise<{ entries: Entry[]; missing: EcgImportError[] }> {
  const entries: Entry[] = []
  const missing: EcgImportError[] = []
  const walk = async (dir: string): Promise<void> => {
    let names: string[]
    try {
      names = (await readdir(dir)).sort()
    } catch (e) {
      missing.push(ioError(dir, e))
      return
    }
    for (const n of names) {
      if (n.startsWith('.')) continue
      const full = join(dir, n)
      const s = await stat(full).catch(() => undefined)
      if (s?.isDirectory()) await walk(full)
      else if (s?.isFile()) entries.push({ file: new DiskFile(full, s.size, maxBytes), explicit: false })
    }
  }
  for (const p of paths) {
    const abs = resolve(p)
    const s = await stat(abs).catch((e: unknown) => e as Error)
    if (s instanceof Error) missing.push(ioError(abs, s))
    else if (s.isDirectory()) await walk(abs)
    else if (s.isFile()) entries.push({ file: new DiskFile(abs, s.size, maxBytes), explicit: true })
    else missing.push(new EcgImportError('io-error', abs, 'not a regular file or folder'))
  }
  return { entries, missing }
}

export class DiskLookup implements FileLookup {
  constructor(private readonly maxBytes: number) {}

  async companion(of: SourceFile, name: string): Promise<SourceFile | undefined> {
    if (of.path === undefined || !plainName(name)) return undefined
    const dir = dirname(of.path)
    const exact = await DiskFile.at(join(dir, name), this.maxBytes)
    if (exact) return exact
    // Case-insensitive file systems and hand-renamed files: "A0001.MAT" for a header naming "A0001.mat".
    const names = await readdir(dir).catch(() => [] as string[])
    const alt = names.find((n) => n.toLowerCase() === name.toLowerCase())
    return alt !== undefined ? DiskFile.at(join(dir, alt), this.maxBytes) : undefined
  }

  async sidecar(of: SourceFile, name: string, levelsUp: number): Promise<SourceFile | undefined> {
    if (of.path === undefined) return undefined
    let dir = dirname(of.path)
    for (let level = 0; level <= levelsUp; level++) {
      const f = await DiskFile.at(join(dir, name), this.maxBytes)
      if (f) return f
      const up = dirname(dir)
      if (up === dir) break
      dir = up
    }
    return undefined
  }
}

export class UploadLookup implements FileLookup {
  constructor(private readonly files: UploadFile[]) {}

  async companion(of: SourceFile, name: string): Promise<SourceFile | undefined> {
    const folder = (of as UploadFile).folder ?? ''
    const same = this.files.filter((f) => f.folder === folder)
    return same.find((f) => f.baseName === name) ?? same.find((f) => f.baseName.toLowerCase() === name.toLowerCase())
  }

  async sidecar(of: SourceFile, name: string): Promise<SourceFile | undefined> {
    // Uploads have no real folders to climb: prefer the same folder, then any upload of that name.
    const folder = (of as UploadFile).folder ?? ''
    const named = this.files.filter((f) => f.baseName === name)
    return named.find((f) => f.folder === folder) ?? named[0]
  }
}

/** Key identifying a file of the batch for companion pairing. */
export function fileKey(file: SourceFile): string {
  return file.path !== undefined ? file.path.toLowerCase() : companionKey(file, file.baseName)
}

/** Key of a companion named `name` beside `of`. */
export function companionKey(of: SourceFile, name: string): string {
  if (of.path !== undefined) return join(dirname(of.path), name).toLowerCase()
  const folder = (of as UploadFile).folder ?? ''
  return `upload:${folder ? `${folder}/` : ''}${name}`.toLowerCase()
}
