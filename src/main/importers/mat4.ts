/**
 * MATLAB Level 4 (v4) MAT-file reader: the format of the PhysioNet/CinC Challenge .mat files. Each matrix is a
 * 20-byte header (type MOPT, mrows, ncols, imagf, namlen as int32), the name (NUL-terminated), then the real
 * part in column-major order. Pure: bytes in, matrices out.
 */
import { EcgImportError } from '@shared/errors'

export interface Mat4Matrix {
  name: string
  rows: number
  cols: number
  /** (rows * cols,) column-major: element (r, c) at c * rows + r. */
  data: Int32Array | Float64Array
  /** True when the stored type is an integer type (checksums apply). */
  integer: boolean
}

const PRECISION_BYTES = [8, 4, 4, 2, 2, 1] as const // P: double, single, int32, int16, uint16, uint8

export function isMatV5(bytes: Uint8Array): boolean {
  return bytes.length >= 128 && new TextDecoder('latin1').decode(bytes.subarray(0, 10)) === 'MATLAB 5.0'
}

export function readMat4(file: string, bytes: Uint8Array): Mat4Matrix[] {
  if (isMatV5(bytes)) throw new EcgImportError('unsupported-format', file, 'MATLAB v5/v7 MAT-file; only MATLAB v4 (as in PhysioNet/CinC) is supported')
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: Mat4Matrix[] = []
  let pos = 0
  while (pos < bytes.length) {
    if (pos + 20 > bytes.length) throw new EcgImportError('truncated', file, `MAT-file ends inside a matrix header at byte ${pos}`)
    // The machine id M (thousands digit) says the byte order; 0 = little endian, 1 = big endian.
    let le = true
    let type = dv.getInt32(pos, true)
    if (type < 0 || type > 9999 || Math.floor(type / 1000) > 1) {
      le = false
      type = dv.getInt32(pos, false)
    }
    const m = Math.floor(type / 1000)
    const p = Math.floor(type / 10) % 10
    const t = type % 10
    if (type < 0 || m > 1 || (m === 1) === le || p > 5 || Math.floor(type / 100) % 10 !== 0) {
      throw new EcgImportError('unsupported-format', file, `not a MATLAB v4 numeric matrix (type field ${type} at byte ${pos})`)
    }
    if (t !== 0) throw new EcgImportError('unsupported-format', file, `MAT-file matrix at byte ${pos} is text or sparse, not numeric`)
    const rows = dv.getInt32(pos + 4, le)
    const cols = dv.getInt32(pos + 8, le)
    const imagf = dv.getInt32(pos + 12, le)
    const namlen = dv.getInt32(pos + 16, le)
    if (rows < 0 || cols < 0 || namlen <= 0 || namlen > 4096) {
      throw new EcgImportError('malformed-header', file, `MAT-file matrix header at byte ${pos} is corrupt (${rows} x ${cols}, name length ${namlen})`)
    }
    const nameStart = pos + 20
    if (nameStart + namlen > bytes.length) throw new EcgImportError('truncated', file, 'MAT-file ends inside a matrix name')
    const name = new TextDecoder('latin1').decode(bytes.subarray(nameStart, nameStart + namlen)).replace(/\0.*$/s, '')
    const count = rows * cols
    const width = PRECISION_BYTES[p as 0]
    const dataStart = nameStart + namlen
    const dataBytes = count * width * (imagf ? 2 : 1)
    if (dataStart + dataBytes > bytes.length) {
      throw new EcgImportError('truncated', file, `MAT-file variable "${name}" (${rows} x ${cols}) needs ${dataBytes} bytes, ${bytes.length - dataStart} remain`)
    }
    out.push({ name, rows, cols, data: readNumbers(dv, dataStart, count, p, le), integer: p >= 2 })
    pos = dataStart + dataBytes
  }
  return out
}

/** (bytes) -> (count,) numbers of MAT precision `p`. */
function readNumbers(dv: DataView, start: number, count: number, p: number, le: boolean): Int32Array | Float64Array {
  if (p <= 1) {
    const out = new Float64Array(count)
    for (let i = 0; i < count; i++) out[i] = p === 0 ? dv.getFloat64(start + 8 * i, le) : dv.getFloat32(start + 4 * i, le)
    return out
  }
  const out = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    out[i] =
      p === 2 ? dv.getInt32(start + 4 * i, le) : p === 3 ? dv.getInt16(start + 2 * i, le) : p === 4 ? dv.getUint16(start + 2 * i, le) : dv.getUint8(start + i)
  }
  return out
}
