/** A label file or label input that cannot be used; names the place (file / field) and the problem. */
export class LabelError extends Error {
  constructor(
    readonly place: string,
    detail: string,
  ) {
    super(`${place}: ${detail}`)
    this.name = 'LabelError'
  }
}
