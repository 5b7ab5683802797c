/**
 * Tagged-JSON codec for the browser host transport (HTTP + SSE). Electron's structured clone carries typed
 * arrays natively; JSON does not, so they travel as tagged objects holding base64 of their raw bytes:
 *   Float32Array -> { "$t": "f32", "b64": "..." }     Uint8Array -> { "$t": "u8", "b64": "..." }
 * Non-finite numbers (which JSON turns into null) travel as { "$t": "num", "v": "NaN" | "Infinity" | "-Infinity" }.
 * A plain object that itself has a "$t" key is escaped as { "$t": "obj", "v": {...} } so no input is ambiguous.
 * Pure and dependency-free: used by main (host server) and the renderer (HTTP transport) alike.
 */

export class WireDecodeError extends Error {
  constructor(where: string, detail: string) {
    super(`wire decode at ${where}: ${detail}`)
    this.name = 'WireDecodeError'
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1)
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i
  return t
})()

/** Standard base64 with padding. (n bytes) -> string of 4*ceil(n/3) chars */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = []
  const CHUNK = 3 * 4096 // build in chunks: one giant string concat per byte is slow on long signals
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length)
    let s = ''
    let i = start
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
      s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!
    }
    if (i < end) {
      const rest = end - i
      const n = (bytes[i]! << 16) | (rest > 1 ? bytes[i + 1]! << 8 : 0)
      s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (rest > 1 ? B64[(n >> 6) & 63]! : '=') + '='
    }
    parts.push(s)
  }
  return parts.join('')
}

/** Inverse of bytesToBase64; rejects malformed input with a WireDecodeError. */
export function base64ToBytes(b64: string, where = '(root)'): Uint8Array {
  if (b64.length % 4 !== 0) throw new WireDecodeError(where, `base64 length ${b64.length} is not a multiple of 4`)
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  const out = new Uint8Array((b64.length / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < b64.length; i += 4) {
    let n = 0
    for (let j = 0; j < 4; j++) {
      const c = b64.charCodeAt(i + j)
      const isPad = c === 61 && i + j >= b64.length - pad
      const v = isPad ? 0 : c < 128 ? B64_INDEX[c]! : -1
      if (v < 0) throw new WireDecodeError(where, `invalid base64 character at ${i + j}`)
      n = (n << 6) | v
    }
    if (o < out.length) out[o++] = (n >> 16) & 255
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}

function viewBytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
}

/** Value tree -> JSON-safe tree. Typed arrays are copied as little-endian bytes (every platform we ship on). */
export function toWire(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value
    return { $t: 'num', v: String(value) }
  }
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Float32Array) return { $t: 'f32', b64: bytesToBase64(viewBytes(value)) }
  if (value instanceof Uint8Array) return { $t: 'u8', b64: bytesToBase64(value) }
  if (ArrayBuffer.isView(value)) throw new TypeError(`wire: unsupported typed array ${value.constructor.name}`)
  if (Array.isArray(value)) return value.map(toWire)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v)
  return Object.hasOwn(out, '$t') ? { $t: 'obj', v: out } : out
}

/** JSON-safe tree -> value tree (inverse of toWire). */
export function fromWire(value: unknown, where = '(root)'): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v, i) => fromWire(v, `${where}[${i}]`))
  const obj = value as Record<string, unknown>
  if (Object.hasOwn(obj, '$t')) {
    const tag = obj.$t
    if (tag === 'f32' || tag === 'u8') {
      if (typeof obj.b64 !== 'string') throw new WireDecodeError(where, `tag '${tag}' without a base64 string`)
      const bytes = base64ToBytes(obj.b64, where)
      if (tag === 'u8') return bytes
      if (bytes.byteLength % 4 !== 0) throw new WireDecodeError(where, `f32 payload of ${bytes.byteLength} bytes is not a multiple of 4`)
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    }
    if (tag === 'num') {
      if (obj.v === 'NaN') return NaN
      if (obj.v === 'Infinity') return Infinity
      if (obj.v === '-Infinity') return -Infinity
      throw new WireDecodeError(where, `unknown non-finite number ${JSON.stringify(obj.v)}`)
    }
    if (tag === 'obj') {
      if (obj.v === null || typeof obj.v !== 'object' || Array.isArray(obj.v)) throw new WireDecodeError(where, "tag 'obj' without an object")
      return decodeEntries(obj.v as Record<string, unknown>, where)
    }
    throw new WireDecodeError(where, `unknown tag ${JSON.stringify(tag)}`)
  }
  return decodeEntries(obj, where)
}

function decodeEntries(obj: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) out[k] = fromWire(v, `${where}.${k}`)
  return out
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(toWire(value))
}

/** Parse + decode; malformed JSON becomes a WireDecodeError, never a bare SyntaxError. */
export function decodeWire(text: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new WireDecodeError('(root)', `invalid JSON: ${(err as Error).message}`)
  }
  return fromWire(parsed)
}
