/**
 * EcgApi over HTTP for the browser host (src/main/host/server.ts): one POST per call, Server-Sent Events for
 * push events, tagged JSON so typed arrays survive. Thin on purpose: validation and behaviour live in main.
 */
import { channels, type EcgApi, type EventName } from '@shared/contract'
import { decodeWire, encodeWire } from '@shared/contract/wire'

export class ApiError extends Error {
  constructor(name: string, message: string, readonly status: number, readonly code?: string) {
    super(message)
    this.name = name
  }
}

type Fetch = (input: string, init: { method: string; body: string; headers: Record<string, string> }) => Promise<{ status: number; text(): Promise<string> }>
interface EventSourceLike {
  addEventListener(type: string, listener: (e: { data: string }) => void): void
  close(): void
}

export function createHttpApi(
  baseUrl: string,
  fetchImpl: Fetch = (i, init) => fetch(i, init),
  openEvents: (url: string) => EventSourceLike = (url) => new EventSource(url) as unknown as EventSourceLike,
): EcgApi {
  async function invoke(name: string, payload: unknown): Promise<unknown> {
    const res = await fetchImpl(`${baseUrl}/api/invoke/${encodeURIComponent(name)}`, {
      method: 'POST',
      body: encodeWire(payload ?? {}),
      headers: { 'content-type': 'application/json' },
    })
    const text = await res.text()
    let value: unknown
    try {
      value = decodeWire(text)
    } catch {
      throw new ApiError('TransportError', `${name}: HTTP ${res.status} with an unreadable body`, res.status)
    }
    if (res.status !== 200) {
      const e = (value as { error?: { name?: string; message?: string; code?: string } }).error
      throw new ApiError(e?.name ?? 'TransportError', e?.message ?? `${name}: HTTP ${res.status}`, res.status, e?.code)
    }
    return value
  }

  // One EventSource for all listeners, opened on first use so a page that never listens opens no stream.
  let source: EventSourceLike | null = null
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  function ensureListening(event: string): void {
    source ??= openEvents(`${baseUrl}/api/events`)
    if (listeners.has(event)) return
    const set = new Set<(p: unknown) => void>()
    listeners.set(event, set)
    source.addEventListener(event, (e) => {
      const payload = decodeWire(e.data)
      for (const l of set) l(payload)
    })
  }

  const api = Object.fromEntries(Object.keys(channels).map((name) => [name, (payload: unknown) => invoke(name, payload)]))
  return {
    ...api,
    on(event: EventName, listener: (payload: never) => void) {
      ensureListening(event)
      const set = listeners.get(event)!
      const l = listener as (p: unknown) => void
      set.add(l)
      return () => set.delete(l)
    },
  } as unknown as EcgApi
}
