/**
 * The preload exposes exactly one object, `window.ecg`, implementing the typed EcgApi. It forwards calls to
 * main over a single invoke channel; main validates every payload. Nothing of Node or Electron leaks out.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { channels, IPC_EVENT, IPC_INVOKE, type EcgApi, type EventName } from '@shared/contract'

type Listener = (payload: unknown) => void
const listeners = new Map<string, Set<Listener>>()
ipcRenderer.on(IPC_EVENT, (_e, event: string, payload: unknown) => {
  for (const l of listeners.get(event) ?? []) l(payload)
})

async function invoke(name: string, payload: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(IPC_INVOKE, name, payload)) as { ok?: unknown; error?: { name: string; message: string } }
  if (reply && 'error' in reply && reply.error) {
    const err = new Error(reply.error.message)
    err.name = reply.error.name
    throw err
  }
  return reply.ok
}

const api = Object.fromEntries(Object.keys(channels).map((name) => [name, (payload: unknown) => invoke(name, payload)]))
const ecg = {
  ...api,
  on(event: EventName, listener: Listener) {
    const set = listeners.get(event) ?? new Set<Listener>()
    set.add(listener)
    listeners.set(event, set)
    return () => set.delete(listener)
  },
} as unknown as EcgApi

contextBridge.exposeInMainWorld('ecg', ecg)
