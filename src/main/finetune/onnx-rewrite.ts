/**
 * Replace named float initializers in an ONNX model (protobuf wire format) and re-serialise it, byte-for-byte
 * identical everywhere else. Used to write a fine-tuned head into a copy of the shipped model without a
 * protobuf library: only ModelProto.graph (field 7), GraphProto.initializer (field 5) and the TensorProto fields
 * dims (1), data_type (2), float_data (4), name (8), raw_data (9), external_data (13), data_location (14) are
 * interpreted (numbers from onnx/onnx.proto).
 */

export class OnnxRewriteError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'OnnxRewriteError'
  }
}

export interface TensorReplacement {
  /** Must equal the original initializer's dims: a head rewrite never changes the graph's shapes. */
  dims: readonly number[]
  /** Row-major float32 values, product(dims) long. */
  data: Float32Array
}

interface Field {
  field: number
  wire: number
  /** Byte range of the whole field (tag included) in the parent message. */
  start: number
  end: number
  /** Payload range for length-delimited fields. */
  valueStart: number
  valueEnd: number
  /** Value of a varint field. */
  varint: number
}

const FLOAT = 1

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0
  let mul = 1
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new OnnxRewriteError('truncated varint')
    const b = buf[pos++]!
    result += (b & 0x7f) * mul
    if ((b & 0x80) === 0) return [result, pos]
    mul *= 128
  }
  throw new OnnxRewriteError('malformed varint')
}

/** Split one message into its top-level fields (no recursion). */
export function scanFields(buf: Uint8Array): Field[] {
  const out: Field[] = []
  let pos = 0
  while (pos < buf.length) {
    const start = pos
    const [tag, p1] = readVarint(buf, pos)
    pos = p1
    const field = Math.floor(tag / 8)
    const wire = tag & 7
    if (field === 0) throw new OnnxRewriteError(`field number 0 at byte ${start}`)
    let valueStart = pos
    let valueEnd = pos
    let varint = 0
    if (wire === 0) [varint, pos] = readVarint(buf, pos)
    else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos)
      valueStart = p2
      valueEnd = p2 + len
      pos = valueEnd
    } else throw new OnnxRewriteError(`unsupported wire type ${wire} at byte ${start}`)
    if (pos > buf.length) throw new OnnxRewriteError(`field ${field} at byte ${start} runs past the end of the data`)
    out.push({ field, wire, start, end: pos, valueStart, valueEnd, varint })
  }
  return out
}

function encodeVarint(v: number): number[] {
  if (!Number.isSafeInteger(v) || v < 0) throw new OnnxRewriteError(`cannot encode varint ${v}`)
  const out: number[] = []
  while (v >= 0x80) {
    out.push((v % 128) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const head = [...encodeVarint(field * 8 + 2), ...encodeVarint(payload.length)]
  const out = new Uint8Array(head.length + payload.length)
  out.set(head, 0)
  out.set(payload, head.length)
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const utf8 = new TextDecoder('utf-8')

function tensorHeader(buf: Uint8Array): { name: string; dims: number[]; dataType: number; external: boolean } {
  let name = ''
  const dims: number[] = []
  let dataType = 0
  let external = false
  for (const f of scanFields(buf)) {
    if (f.field === 8 && f.wire === 2) name = utf8.decode(buf.subarray(f.valueStart, f.valueEnd))
    else if (f.field === 1 && f.wire === 0) dims.push(f.varint)
    else if (f.field === 1 && f.wire === 2) {
      let p = f.valueStart
      while (p < f.valueEnd) {
        const [v, np] = readVarint(buf, p)
        dims.push(v)
        p = np
      }
    } else if (f.field === 2 && f.wire === 0) dataType = f.varint
    else if (f.field === 14 && f.wire === 0 && f.varint === 1) external = true
    else if (f.field === 13) external = true
  }
  return { name, dims, dataType, external }
}

/** A TensorProto with its data fields dropped and `raw_data` (little-endian float32) appended. */
function rewriteTensor(buf: Uint8Array, data: Float32Array): Uint8Array {
  const kept: Uint8Array[] = []
  for (const f of scanFields(buf)) {
    if (f.field === 4 || f.field === 9 || f.field === 13 || f.field === 14) continue
    kept.push(buf.subarray(f.start, f.end))
  }
  const raw = new Uint8Array(data.length * 4)
  const view = new DataView(raw.buffer)
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true)
  kept.push(lengthDelimited(9, raw))
  return concat(kept)
}

/**
 * model bytes + {initializer name -> new values} -> new model bytes. Throws OnnxRewriteError naming the
 * initializer when one is missing, not float32, stored externally, or given the wrong shape; the input is never
 * modified.
 */
export function replaceInitializers(model: Uint8Array, replacements: ReadonlyMap<string, TensorReplacement>): Uint8Array {
  for (const [name, r] of replacements) {
    const n = r.dims.reduce((a, b) => a * b, 1)
    if (r.data.length !== n) throw new OnnxRewriteError(`replacement for '${name}' has ${r.data.length} values, dims [${r.dims.join(', ')}] need ${n}`)
    for (let i = 0; i < r.data.length; i++) {
      if (!Number.isFinite(r.data[i]!)) throw new OnnxRewriteError(`replacement for '${name}' has a non-finite value at ${i}`)
    }
  }
  const found = new Set<string>()
  const modelParts: Uint8Array[] = []
  let graphs = 0
  for (const mf of scanFields(model)) {
    if (!(mf.field === 7 && mf.wire === 2)) {
      modelParts.push(model.subarray(mf.start, mf.end))
      continue
    }
    graphs++
    const graph = model.subarray(mf.valueStart, mf.valueEnd)
    const graphParts: Uint8Array[] = []
    for (const gf of scanFields(graph)) {
      const whole = graph.subarray(gf.start, gf.end)
      if (!(gf.field === 5 && gf.wire === 2)) {
        graphParts.push(whole)
        continue
      }
      const tensor = graph.subarray(gf.valueStart, gf.valueEnd)
      const h = tensorHeader(tensor)
      const r = replacements.get(h.name)
      if (!r) {
        graphParts.push(whole)
        continue
      }
      if (h.dataType !== FLOAT) throw new OnnxRewriteError(`initializer '${h.name}' has data type ${h.dataType}, only float32 (1) can be replaced`)
      if (h.external) throw new OnnxRewriteError(`initializer '${h.name}' is stored in an external file; cannot rewrite it in place`)
      if (h.dims.join(',') !== r.dims.join(',')) {
        throw new OnnxRewriteError(`initializer '${h.name}' has dims [${h.dims.join(', ')}], replacement has [${r.dims.join(', ')}]`)
      }
      found.add(h.name)
      graphParts.push(lengthDelimited(5, rewriteTensor(tensor, r.data)))
    }
    modelParts.push(lengthDelimited(7, concat(graphParts)))
  }
  if (graphs !== 1) throw new OnnxRewriteError(graphs === 0 ? 'no graph in the model' : `model has ${graphs} graph fields`)
  const missing = [...replacements.keys()].filter((k) => !found.has(k))
  if (missing.length) throw new OnnxRewriteError(`initializer(s) not found in the model: ${missing.join(', ')}`)
  return concat(modelParts)
}

/**
 * Read one float32 initializer (dims and values). Kept beside the writer so a fine-tuning round trip is
 * checked with the same field interpretation it was written with.
 */
export function readFloatInitializer(model: Uint8Array, name: string): { dims: number[]; data: Float32Array } {
  for (const mf of scanFields(model)) {
    if (!(mf.field === 7 && mf.wire === 2)) continue
    const graph = model.subarray(mf.valueStart, mf.valueEnd)
    for (const gf of scanFields(graph)) {
      if (!(gf.field === 5 && gf.wire === 2)) continue
      const tensor = graph.subarray(gf.valueStart, gf.valueEnd)
      const h = tensorHeader(tensor)
      if (h.name !== name) continue
      if (h.dataType !== FLOAT) throw new OnnxRewriteError(`initializer '${name}' has data type ${h.dataType}, expected float32 (1)`)
      if (h.external) throw new OnnxRewriteError(`initializer '${name}' is stored in an external file`)
      const n = h.dims.reduce((a, b) => a * b, 1)
      const data = new Float32Array(n)
      let got = 0
      for (const f of scanFields(tensor)) {
        const bytes = tensor.subarray(f.valueStart, f.valueEnd)
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        if (f.field === 9 && f.wire === 2) {
          if (bytes.byteLength !== n * 4) throw new OnnxRewriteError(`initializer '${name}': ${bytes.byteLength} raw bytes for ${n} floats`)
          for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true)
          got = n
        } else if (f.field === 4 && f.wire === 2) {
          for (let i = 0; i + 4 <= bytes.byteLength && got < n; i += 4) data[got++] = view.getFloat32(i, true)
        } else if (f.field === 4 && f.wire === 5) {
          data[got++] = new DataView(tensor.buffer, tensor.byteOffset + f.start + 1, 4).getFloat32(0, true)
        }
      }
      if (got !== n) throw new OnnxRewriteError(`initializer '${name}' has ${got} values, dims [${h.dims.join(', ')}] need ${n}`)
      return { dims: h.dims, data }
    }
  }
  throw new OnnxRewriteError(`initializer '${name}' not found in the model`)
}
