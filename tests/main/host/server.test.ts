import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EcgHandlers } from '@shared/contract'
import { decodeWire, encodeWire } from '@shared/contract/wire'
import { EventBus } from '../../../src/main/app/events'
import { HostServer } from '../../../src/main/host/server'

// Transport-level test: the handlers below are a minimal double standing in for the services so the HTTP
// round trip (codec + zod validation via createDispatcher + error mapping + SSE) is tested on its own.
const calls: unknown[] = []
const handlers = {
  'records:importFiles': async (req: { files: { name: string; bytes: Uint8Array }[] }) => {
    calls.push(req)
    return { outcomes: req.files.map((f) => ({ ok: false as const, file: f.name, code: 'unknown-format', message: `${f.name}: ${f.bytes.length} bytes, sum ${f.bytes.reduce((a, b) => a + b, 0)}` })) }
  },
  'inference:explain': async (req: { recordId: string; target: { role: 'tier' | 'codes'; classIndex: number } }) => {
    if (req.recordId === 'boom') throw Object.assign(new Error('model not loaded'), { name: 'ModelError', code: 'no-model' })
    return { recordId: req.recordId, target: req.target, label: 'x', cam: new Float32Array([0, 0.5, 1, NaN]), samplingRateHz: 500, leadAttribution: [1, 2] }
  },
} as unknown as EcgHandlers

let server: HostServer
let base: string
const events = new EventBus()
const rendererDir = mkdtempSync(join(tmpdir(), 'host-test-'))

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, '..', 'host-test-secret.txt'), 'secret')
  server = new HostServer({ handlers, events, rendererDir, maxBodyBytes: 64 * 1024, heartbeatMs: 50 })
  base = (await server.listen(0)).url
})
afterAll(async () => server.close())

async function invoke(name: string, body: unknown): Promise<{ status: number; value: unknown }> {
  const res = await fetch(`${base}/api/invoke/${name}`, { method: 'POST', body: encodeWire(body), headers: { 'content-type': 'application/json' } })
  return { status: res.status, value: decodeWire(await res.text()) }
}

describe('HostServer', () => {
  it('round-trips a Uint8Array request and a Float32Array response through the dispatcher', async () => {
    const r1 = await invoke('records:importFiles', { files: [{ name: 'a.hea', bytes: new Uint8Array([1, 2, 250]) }] })
    expect(r1.status).toBe(200)
    expect(r1.value).toEqual({ outcomes: [{ ok: false, file: 'a.hea', code: 'unknown-format', message: 'a.hea: 3 bytes, sum 253' }] })
    const r2 = await invoke('inference:explain', { recordId: 'r1', target: { role: 'tier', classIndex: 2 } })
    const cam = (r2.value as { cam: Float32Array }).cam
    expect(cam).toBeInstanceOf(Float32Array)
    expect(Array.from(cam.subarray(0, 3))).toEqual([0, 0.5, 1])
    expect(cam[3]).toBeNaN()
  })
  it('answers 400 with the zod issue for an invalid request, before any handler runs', async () => {
    const before = calls.length
    const r = await invoke('records:importFiles', { files: [{ name: '', bytes: new Uint8Array(1) }] })
    expect(r.status).toBe(400)
    expect(r.value).toMatchObject({ error: { name: 'IpcValidationError', message: expect.stringContaining('files.0.name') } })
    expect(calls.length).toBe(before)
  })
  it('answers 400 for an unknown channel and for a malformed body', async () => {
    expect((await invoke('nope:nothing', {})).value).toMatchObject({ error: { message: expect.stringContaining('unknown channel') } })
    const res = await fetch(`${base}/api/invoke/records:importFiles`, { method: 'POST', body: '{"files":' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { name: 'WireDecodeError' } })
  })
  it('passes handler errors as {error:{name,message,code}} with status 500', async () => {
    const r = await invoke('inference:explain', { recordId: 'boom', target: { role: 'tier', classIndex: 0 } })
    expect(r.status).toBe(500)
    expect(r.value).toEqual({ error: { name: 'ModelError', message: 'model not loaded', code: 'no-model' } })
  })
  it('refuses bodies over the limit with 413', async () => {
    const r = await invoke('records:importFiles', { files: [{ name: 'big.dat', bytes: new Uint8Array(100_000) }] })
    expect(r.status).toBe(413)
  })
  it('streams EventBus events as Server-Sent Events', async () => {
    const res = await fetch(`${base}/api/events`)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.getReader()
    setTimeout(() => events.emit('inference:progress', { jobId: 'j1', done: 3, total: 20, recordId: 'r3' }), 30)
    let text = ''
    while (!text.includes('\n\ndata') && !/event: inference:progress\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    await reader.cancel()
    const m = /event: inference:progress\ndata: (.*)\n\n/.exec(text)
    expect(m).not.toBeNull()
    expect(decodeWire(m![1]!)).toEqual({ jobId: 'j1', done: 3, total: 20, recordId: 'r3' })
  })
  it('serves the renderer with a CSP and refuses paths outside it', async () => {
    const index = await fetch(`${base}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)')
    const status = await new Promise<number>((done) => {
      // fetch normalises '..' away, so send the raw path
      request({ host: '127.0.0.1', port: Number(new URL(base).port), path: '/%2e%2e/host-test-secret.txt' }, (r) => done(r.statusCode ?? 0)).end()
    })
    expect(status).toBe(404)
  })
  it('refuses requests from another origin or a rebound host name', async () => {
    const res = await fetch(`${base}/api/invoke/records:importFiles`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' })
    expect(res.status).toBe(403)
    const status = await new Promise<number>((done) => {
      request({ host: '127.0.0.1', port: Number(new URL(base).port), path: '/', headers: { host: 'evil.example' } }, (r) => done(r.statusCode ?? 0)).end()
    })
    expect(status).toBe(403)
  })
})
