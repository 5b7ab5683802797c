/**
 * Typed import / validation errors. Every error names the file and the problem, so a batch can report
 * per-file results and a clinician can tell what is wrong with their data.
 */
export type ImportErrorCode =
  | 'unknown-format'
  | 'empty-file'
  | 'too-large'
  | 'truncated'
  | 'length-mismatch'
  | 'checksum-mismatch'
  | 'non-finite-samples'
  | 'bad-sampling-rate'
  | 'wrong-lead-count'
  | 'unknown-lead'
  | 'multi-segment'
  | 'unsupported-format'
  | 'malformed-header'
  | 'missing-companion-file'
  | 'io-error'

export class EcgImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`)
    this.name = 'EcgImportError'
  }
}

/** Result of importing one file or record in a batch. */
export type ImportOutcome<T> =
  | { ok: true; file: string; value: T }
  | { ok: false; file: string; code: ImportErrorCode | 'internal'; message: string }
