/**
 * WFDB signal-file sample formats (WFDB "signal(5)"): pure decoders from bytes to integer ADC samples.
 * Samples of all signals in one file are interleaved frame by frame; the decoders work on that flat sequence.
 */

/** Formats decoded here: 16/61 (16-bit LE/BE), 80 (8-bit offset), 160 (16-bit offset), 212 (2x12 bits in 3 bytes), 24, 32. */
export const SUPPORTED_FORMATS: ReadonlySet<number> = new Set([16, 61, 80, 160, 212, 24, 32])

/** Bytes needed for `count` samples. */
export function bytesFor(count: number, format: number): number {
  switch (format) {
    case 80:
      return count
    case 16:
    case 61:
    case 160:
      return count * 2
    case 212:
      return Math.ceil((count * 3) / 2)
    case 24:
      return count * 3
    case 32:
      return count * 4
    default:
      throw new RangeError(`format ${format} is not supported`)
  }
}

/** Whole samples contained in `byteLength` bytes. */
export function samplesIn(byteLength: number, format: number): number {
  switch (format) {
    case 212:
      return Math.floor((byteLength * 2) / 3)
    default:
      return Math.floor(byteLength / bytesFor(1, format))
  }
}

/** (bytes) -> (count,) interleaved ADC samples; `bytes` starts at the first sample (offset already skipped). */
export function decodeSamples(bytes: Uint8Array, format: number, count: number): Int32Array {
  const out = new Int32Array(count)
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (format) {
    case 16:
      for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, true)
      break
    case 61:
      for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, false)
      break
    case 160:
      for (let i = 0; i < count; i++) out[i] = dv.getUint16(2 * i, true) - 32768
      break
    case 80:
      for (let i = 0; i < count; i++) out[i] = (bytes[i] as number) - 128
      break
    case 24:
      for (let i = 0; i < count; i++) {
        const b = 3 * i
        const v = (bytes[b] as number) | ((bytes[b + 1] as number) << 8) | ((bytes[b + 2] as number) << 16)
        out[i] = (v << 8) >> 8 // sign-extend 24 -> 32 bits
      }
      break
    case 32:
      for (let i = 0; i < count; i++) out[i] = dv.getInt32(4 * i, true)
      break
    case 212:
      // Pairs of samples in 3 bytes: s0 = b0 | (b1 & 0x0f) << 8, s1 = b2 | (b1 & 0xf0) << 4, both 12-bit signed.
      for (let i = 0; i < count; i++) {
        const b = 3 * (i >> 1)
        const mid = bytes[b + 1] as number
        const v = (i & 1) === 0 ? (bytes[b] as number) | ((mid & 0x0f) << 8) : (bytes[b + 2] as number) | ((mid & 0xf0) << 4)
        out[i] = (v << 20) >> 20 // sign-extend 12 -> 32 bits
      }
      break
    default:
      throw new RangeError(`format ${format} is not supported`)
  }
  return out
}

/**
 * WFDB checksum of one signal: the sum of its samples modulo 2^16, as a signed 16-bit number.
 * `samples` is interleaved with `stride` signals, this one at `offset`.
 */
export function wfdbChecksum(samples: ArrayLike<number>, offset = 0, stride = 1): number {
  let s = 0
  for (let i = offset; i < samples.length; i += stride) s = (s + (samples[i] as number)) & 0xffff
  return (s << 16) >> 16
}

/** Do two checksums agree modulo 2^16? Headers write them signed (CinC) or unsigned (PTB-XL). */
export function checksumsAgree(a: number, b: number): boolean {
  return ((a - b) & 0xffff) === 0
}
