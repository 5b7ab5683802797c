/** Typed errors of the clinician loop; `code` crosses the IPC boundary (see toWireError) so the UI can react. */
export type ClinicianErrorCode =
  | 'below-safety-floor' // a change would take urgent sensitivity under the floor
  | 'forbidden' // the actor's role may not do this
  | 'bad-input' // unknown class key, threshold out of range, ...
  | 'too-few-labels'
  | 'class-without-examples'
  | 'unknown-codes'
  | 'no-labels'
  | 'not-found'
  | 'corrupt-dataset'
  | 'busy'

export class ClinicianError extends Error {
  constructor(
    readonly code: ClinicianErrorCode,
    detail: string,
  ) {
    super(detail)
    this.name = 'ClinicianError'
  }
}
