/**
 * Browser host: the same main-process services the Electron shell uses, exposed to a browser over plain
 * node:http on 127.0.0.1 so the end-to-end tests can drive the real renderer in Chromium (the Electron binary
 * cannot run everywhere). It is a transport only: every call goes through createDispatcher (zod validation,
 * same handlers), payloads use the tagged-JSON codec so typed arrays survive.
 *   POST /api/invoke/<channel>  body: wire JSON request -> 200 wire JSON response | 4xx/5xx {error:{name,message}}
 *   GET  /api/events            Server-Sent Events: `event: <name>` + `data: <wire JSON payload>`
 *   GET  /*                     the built renderer (out/renderer)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { EcgHandlers } from '@shared/contract'
import { decodeWire, encodeWire, WireDecodeError } from '@shared/contract/wire'
import type { EventBus } from '../app/events'
import { createDispatcher, IpcValidationError, toWireError } from '../ipc/dispatch'
import { readStatic } from './static'
import { RENDERER_CSP } from '@shared/csp'

/** Same policy as the Electron shell: one definition in src/shared/csp.ts. */
export const HOST_CSP = RENDERER_CSP

export interface HostServerDeps {
  handlers: EcgHandlers
  events: EventBus
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string
  /** Largest accepted request body; drag-and-dropped record files travel in it. */
  maxBodyBytes?: number
  /** Server-Sent Events keep-alive period. */
  heartbeatMs?: number
}

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

export class HostServer {
  private readonly server: Server
  private readonly dispatch: (name: string, payload: unknown) => Promise<unknown>
  private readonly sockets = new Set<Socket>()
  private readonly streams = new Set<ServerResponse>()
  private port = 0

  constructor(private readonly deps: HostServerDeps) {
    this.dispatch = createDispatcher(deps.handlers)
    this.server = createServer((req, res) => void this.route(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  /** Listen on 127.0.0.1 only (port 0 = any free port). */
  async listen(port = 0): Promise<{ port: number; url: string }> {
    await new Promise<void>((resolveListen, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => resolveListen())
    })
    this.port = (this.server.address() as AddressInfo).port
    return { port: this.port, url: `http://127.0.0.1:${this.port}` }
  }

  async close(): Promise<void> {
    for (const r of this.streams) r.end()
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((done) => this.server.close(() => done()))
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // DNS-rebinding and cross-site request guard: only our own origin may talk to the services
      if (!this.trustedHost(req.headers.host) || !this.trustedOrigin(req.headers.origin)) return this.send(res, 403, 'text/plain', 'forbidden')
      const url = req.url ?? '/'
      if (url.startsWith('/api/invoke/')) {
        if (req.method !== 'POST') return this.send(res, 405, 'text/plain', 'POST only')
        return await this.invoke(decodeURIComponent(url.slice('/api/invoke/'.length).split('?')[0]!), req, res)
      }
      if (url === '/api/events') return this.openEvents(req, res)
      if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, 'text/plain', 'GET only')
      const file = await readStatic(this.deps.rendererDir, url)
      if (!file) return this.send(res, 404, 'text/plain', `not found: ${url}`)
      res.writeHead(200, { 'content-type': file.contentType, 'content-security-policy': HOST_CSP, 'cache-control': 'no-cache' })
      res.end(req.method === 'HEAD' ? undefined : file.body)
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, 'application/json', JSON.stringify(toWireError(err)))
      else res.destroy()
    }
  }

  private trustedHost(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`
  }

  private trustedOrigin(origin: string | undefined): boolean {
    return origin === undefined || origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`
  }

  private async invoke(channelName: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let result: unknown
    try {
      const text = await readBody(req, this.deps.maxBodyBytes ?? 512 * 1024 * 1024)
      const payload = text.length === 0 ? {} : decodeWire(text)
      result = await this.dispatch(channelName, payload)
    } catch (err) {
      const status = err instanceof BodyTooLargeError ? 413 : err instanceof IpcValidationError || err instanceof WireDecodeError ? 400 : 500
      return this.send(res, status, 'application/json', JSON.stringify(toWireError(err)))
    }
    this.send(res, 200, 'application/json', encodeWire(result))
  }

  private openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write('retry: 1000\n\n')
    this.streams.add(res)
    const unsubscribe = this.deps.events.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${encodeWire(payload)}\n\n`)
    })
    const ping = setInterval(() => res.write(': ping\n\n'), this.deps.heartbeatMs ?? 15_000)
    const stop = (): void => {
      clearInterval(ping)
      unsubscribe()
      this.streams.delete(res)
    }
    req.on('close', stop)
    res.on('close', stop)
  }

  private send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'content-type': type.includes('charset') ? type : `${type}; charset=utf-8`, 'cache-control': 'no-store' })
    res.end(body)
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer): void => {
      size += c.length
      if (size > limit) {
        // stop buffering and drain the rest so the 413 answer can still be written on this connection
        req.off('data', onData)
        req.resume()
        reject(new BodyTooLargeError(limit))
        return
      }
      chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
