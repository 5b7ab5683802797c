import { channels, type ChannelName, type EcgHandlers } from '@shared/contract'

export class IpcValidationError extends Error {
  constructor(readonly channelName: string, detail: string) {
    super(`Invalid request on "${channelName}": ${detail}`)
    this.name = 'IpcValidationError'
  }
}

/** Serializable error shape returned to the renderer; stack traces never cross the boundary. */
export interface WireError { error: { name: string; message: string; code?: string } }

/**
 * Transport-independent dispatch: validates the payload with the channel's zod schema, then calls the
 * handler. Used by the Electron IPC adapter and the browser host (HTTP) adapter alike, so both behave the same.
 */
export function createDispatcher(handlers: EcgHandlers) {
  return async function dispatch(name: string, payload: unknown): Promise<unknown> {
    if (!Object.hasOwn(channels, name)) throw new IpcValidationError(name, 'unknown channel')
    const ch = channels[name as ChannelName]
    const parsed = ch.request.safeParse(payload ?? {})
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
      throw new IpcValidationError(name, issues)
    }
    const handler = handlers[name as ChannelName] as (req: unknown) => Promise<unknown>
    return handler(parsed.data)
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } }
  }
  return { error: { name: 'Error', message: String(err) } }
}
