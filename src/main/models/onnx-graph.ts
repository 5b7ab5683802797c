/**
 * A minimal reader of the ONNX protobuf (onnx.proto3 wire format): graph inputs/outputs with their shapes and
 * named float initializers. Enough to check a file against its manifest before a session is opened and to read
 * the classifier head weights for Grad-CAM, without pulling a protobuf library into the app.
 * Field numbers are those of onnx/onnx.proto (ModelProto.graph = 7, GraphProto.initializer = 5, ...).
 */

export class OnnxParseError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'OnnxParseError'
  }
}

export interface OnnxValueInfo {
  name: string
  /** TensorProto.DataType (1 = float). */
  elemType: number
  /** A number for a fixed dimension, a string for a symbolic one ('batch'), null when unspecified. */
  dims: Array<number | string | null>
}

export interface OnnxTensor {
  name: string
  dims: number[]
  dataType: number
  /** float32 data; only decoded for FLOAT tensors. */
  data: Float32Array | null
}

export interface OnnxGraphInfo {
  irVersion: number
  inputs: OnnxValueInfo[]
  outputs: OnnxValueInfo[]
  /** Names of all initializers (graph weights). */
  initializerNames: Set<string>
}

const FLOAT = 1

/** Sequential protobuf reader over one message's bytes. */
class Reader {
  pos = 0
  constructor(readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length
  }
  varint(): number {
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new OnnxParseError('truncated varint')
      const b = this.buf[this.pos++]!
      result += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return result
      mul *= 128
    }
    throw new OnnxParseError('malformed varint')
  }
  bytes(): Uint8Array {
    const len = this.varint()
    if (this.pos + len > this.buf.length) throw new OnnxParseError(`field length ${len} runs past the end of the data`)
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.advance(8)
    else if (wireType === 2) this.bytes()
    else if (wireType === 5) this.advance(4)
    else throw new OnnxParseError(`unsupported wire type ${wireType}`)
  }
  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new OnnxParseError('truncated fixed-width field')
    this.pos += n
  }
  /** Iterate (fieldNumber, wireType) tags until the message ends. */
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const tag = this.varint()
      const field = Math.floor(tag / 8)
      if (field === 0) throw new OnnxParseError('field number 0')
      yield [field, tag & 7]
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false })

function readDim(buf: Uint8Array): number | string | null {
  const r = new Reader(buf)
  let dim: number | string | null = null
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) dim = r.varint()
    else if (f === 2 && w === 2) dim = utf8.decode(r.bytes())
    else r.skip(w)
  }
  return dim
}

function readValueInfo(buf: Uint8Array): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', elemType: 0, dims: [] }
  const r = new Reader(buf)
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) info.name = utf8.decode(r.bytes())
    else if (f === 2 && w === 2) {
      const type = new Reader(r.bytes())
      for (const [tf, tw] of type.fields()) {
        if (tf !== 1 || tw !== 2) { type.skip(tw); continue }
        const tensor = new Reader(type.bytes())
        for (const [ef, ew] of tensor.fields()) {
          if (ef === 1 && ew === 0) info.elemType = tensor.varint()
          else if (ef === 2 && ew === 2) {
            const shape = new Reader(tensor.bytes())
            for (const [sf, sw] of shape.fields()) {
              if (sf === 1 && sw === 2) info.dims.push(readDim(shape.bytes()))
              else shape.skip(sw)
            }
          } else tensor.skip(ew)
        }
      }
    } else r.skip(w)
  }
  return info
}

function readTensor(buf: Uint8Array, decode: boolean): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0, data: null }
  let raw: Uint8Array | null = null
  const floats: number[] = []
  const r = new Reader(buf)
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) t.dims.push(r.varint())
    else if (f === 1 && w === 2) {
      const packed = new Reader(r.bytes())
      while (!packed.done) t.dims.push(packed.varint())
    } else if (f === 2 && w === 0) t.dataType = r.varint()
    else if (f === 8 && w === 2) t.name = utf8.decode(r.bytes())
    else if (f === 9 && w === 2) raw = r.bytes()
    else if (f === 4 && w === 2 && decode) {
      const b = r.bytes()
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
      for (let i = 0; i + 4 <= b.byteLength; i += 4) floats.push(view.getFloat32(i, true))
    } else r.skip(w)
  }
  if (decode && t.dataType === FLOAT) {
    const n = t.dims.reduce((a, b) => a * b, 1)
    if (raw) {
      if (raw.byteLength !== n * 4) throw new OnnxParseError(`initializer '${t.name}': ${raw.byteLength} bytes for ${n} floats`)
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
      t.data = new Float32Array(n)
      for (let i = 0; i < n; i++) t.data[i] = view.getFloat32(i * 4, true) // little-endian per the ONNX spec
    } else if (floats.length === n) t.data = Float32Array.from(floats)
    else throw new OnnxParseError(`initializer '${t.name}' has ${floats.length} values, dims say ${n}`)
  }
  return t
}

function graphBytes(model: Uint8Array): { irVersion: number; graph: Uint8Array } {
  const r = new Reader(model)
  let graph: Uint8Array | null = null
  let irVersion = 0
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 0) irVersion = r.varint()
    else if (f === 7 && w === 2) graph = r.bytes()
    else r.skip(w)
  }
  if (!graph) throw new OnnxParseError('no graph in the model')
  return { irVersion, graph }
}

/** Inputs, outputs and initializer names of an ONNX model (throws OnnxParseError on malformed bytes). */
export function readGraphInfo(model: Uint8Array): OnnxGraphInfo {
  const { irVersion, graph } = graphBytes(model)
  const info: OnnxGraphInfo = { irVersion, inputs: [], outputs: [], initializerNames: new Set() }
  const r = new Reader(graph)
  for (const [f, w] of r.fields()) {
    if (f === 11 && w === 2) info.inputs.push(readValueInfo(r.bytes()))
    else if (f === 12 && w === 2) info.outputs.push(readValueInfo(r.bytes()))
    else if (f === 5 && w === 2) info.initializerNames.add(readTensor(r.bytes(), false).name)
    else r.skip(w)
  }
  // initializers may also be listed as graph inputs (older exporters); they are not feeds
  info.inputs = info.inputs.filter((i) => !info.initializerNames.has(i.name))
  return info
}

/** The named float initializers, decoded. Missing names are absent from the map. */
export function readInitializers(model: Uint8Array, names: readonly string[]): Map<string, OnnxTensor> {
  const wanted = new Set(names)
  const out = new Map<string, OnnxTensor>()
  const r = new Reader(graphBytes(model).graph)
  for (const [f, w] of r.fields()) {
    if (f !== 5 || w !== 2) { r.skip(w); continue }
    const bytes = r.bytes()
    const head = readTensor(bytes, false)
    if (wanted.has(head.name)) out.set(head.name, readTensor(bytes, true))
  }
  return out
}
