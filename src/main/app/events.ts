import type { EventName, EventPayload } from '@shared/contract'

type Sink = (event: EventName, payload: unknown) => void

/** Main -> renderer push events (progress). Transports subscribe; services emit. */
export class EventBus {
  private readonly sinks = new Set<Sink>()
  subscribe(sink: Sink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const s of this.sinks) s(event, payload)
  }
}
