/**
 * The contract between the importer registry and the format importers. Importers never touch the file system
 * directly: they read through `SourceFile`, so the same code serves paths on disk and uploaded bytes.
 */
import type { EcgRecord, SourceFormat } from '@shared/ecg'

/** A file of the batch: on disk (`path` set) or uploaded bytes. */
export interface SourceFile {
  /** Absolute path or upload name: what outcomes, errors and `EcgRecord.sourceFiles` name. */
  readonly name: string
  /** Last path component. */
  readonly baseName: string
  /** Byte size (from stat for files on disk, so a huge file is refused before it is read). */
  readonly size: number
  /** Absolute path when the file is on disk (the HDF5 reader opens it in place). */
  readonly path?: string
  /** The whole content; throws EcgImportError 'too-large' above the registry's limit. */
  read(): Promise<Uint8Array>
  /** The first `n` bytes (fewer when the file is shorter): what sniffing looks at. */
  readHead(n: number): Promise<Uint8Array>
}

export interface ImportOptions {
  /** Sampling rate for CSV files that do not state theirs in a `# sampling_rate=` line. */
  csvSamplingRateHz?: number
}

/** Per-batch services given to importers. */
export interface ImportContext {
  readonly options: ImportOptions
  /** A file next to `of` named `name` (exact name first, then case-insensitively), if the batch can see one. */
  companion(of: SourceFile, name: string): Promise<SourceFile | undefined>
  /**
   * A metadata file named `name` in the folder of `of` or up to `levelsUp` folders above it (PTB-XL keeps
   * ptbxl_database.csv two levels above the records). Uploads are searched by name only.
   */
  sidecar(of: SourceFile, name: string, levelsUp: number): Promise<SourceFile | undefined>
  /** Memo for parsed sidecars (one metadata.csv serves every record of a folder), keyed by the caller. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>
}

/** One file format. Stateless: everything per-batch comes through the context. */
export interface Importer {
  readonly format: SourceFormat
  /**
   * Does this content belong to this importer? Decided on content (`head` is the first SNIFF_BYTES bytes),
   * the name only breaking ties between formats whose content alone is ambiguous (plain-text CSV). `strict`
   * (files met while scanning a folder, where README.txt and tables abound) means content alone decides.
   */
  sniff(head: Uint8Array, baseName: string, strict: boolean): boolean
  /** Base names of companion files this primary file needs (a WFDB header names its .dat/.mat files). */
  companions?(head: Uint8Array, baseName: string): string[]
  read(file: SourceFile, ctx: ImportContext): Promise<EcgRecord>
}

/** Enough to sniff any format here: a WFDB header with many signals, an XML prologue, a CSV header row. */
export const SNIFF_BYTES = 64 * 1024

/** Files larger than this are refused before reading (a 10-s 12-lead ECG is ~100 KiB; a 24-h Holter ~250 MiB). */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024

/** Sampling rates outside this range are refused as a corrupt header rather than resampled into nonsense. */
export const MIN_RATE_HZ = 50
export const MAX_RATE_HZ = 20_000

/** A record needs at least this many standard leads to be worth triaging. */
export const MIN_STANDARD_LEADS = 2
