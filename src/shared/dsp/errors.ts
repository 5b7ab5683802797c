/**
 * Typed preprocessing errors. The pipeline runs on records that already passed import, but a record can
 * still be unusable for a given model spec (too short to filter, a NaN that slipped through, a rate the spec
 * cannot reach); the error names the record (when the caller gave its name), the place, and the problem.
 */
export type PreprocessErrorCode =
  | 'non-finite-samples'
  | 'bad-sampling-rate'
  | 'length-mismatch'
  | 'unknown-lead'
  | 'duplicate-lead'
  | 'no-leads'
  | 'too-short'
  | 'bad-spec'

export class PreprocessError extends Error {
  constructor(
    readonly code: PreprocessErrorCode,
    /** Record name or other caller-supplied label; 'preprocess' when none was given. */
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`)
    this.name = 'PreprocessError'
  }
}
