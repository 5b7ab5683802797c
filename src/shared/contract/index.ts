import type { ApiOf, HandlersOf } from './define'
import type { EventName, EventPayload } from './inference'
import { recordChannels } from './records'
import { inferenceChannels } from './inference'
import { reportChannels } from './report'
import { clinicianChannels } from './clinician'

/**
 * The whole IPC contract: every channel the renderer may call. Each domain owns one file; add a domain's
 * channels here. Main validates every request against `request` before calling its handler.
 */
export const channels = {
  ...recordChannels,
  ...inferenceChannels,
  ...clinicianChannels,
  ...reportChannels,
}

export type Channels = typeof channels
export type ChannelName = keyof Channels

/** The one API object the preload exposes (window.ecg) and the browser host transport implements. */
export type EcgApi = ApiOf<Channels> & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
export type EcgHandlers = HandlersOf<Channels>

export { eventSchemas } from './inference'
export type { EventName, EventPayload } from './inference'
export const IPC_INVOKE = 'ecg:invoke'
export const IPC_EVENT = 'ecg:event'
