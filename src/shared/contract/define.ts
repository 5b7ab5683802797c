import type { z } from 'zod'

/**
 * One IPC channel: a request schema (validated in main before any handler runs) and a response schema
 * (the renderer's type; main builds responses from typed code, so it is not re-validated on the hot path).
 */
export interface Channel<Req extends z.ZodType, Res extends z.ZodType> {
  request: Req
  response: Res
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): Channel<Req, Res> {
  return { request, response }
}

export type AnyChannel = Channel<z.ZodType, z.ZodType>
export type ChannelMap = Record<string, AnyChannel>

/** The renderer-facing API derived from a channel map: one async method per channel. */
export type ApiOf<M extends ChannelMap> = {
  [K in keyof M]: (request: z.input<M[K]['request']>) => Promise<z.output<M[K]['response']>>
}

/** Main-side handlers: receive the validated request. */
export type HandlersOf<M extends ChannelMap> = {
  [K in keyof M]: (request: z.output<M[K]['request']>) => Promise<z.input<M[K]['response']>>
}
