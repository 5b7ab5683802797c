/**
 * IEEE 754 half-precision decoding. SPH stores its ECGs as float16, which neither JavaScript typed arrays
 * (in Node 20) nor h5wasm decode, so the raw 16-bit patterns are converted here.
 */

/** One half-precision bit pattern -> its value. */
export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24 // subnormal: 2^-14 * frac / 1024
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

let table: Float32Array | undefined

/** (n,) half-precision bit patterns -> (n,) float32 values, through a 65,536-entry table (256 KiB, built once). */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  if (!table) {
    table = new Float32Array(65536)
    for (let h = 0; h < 65536; h++) table[h] = f16ToNumber(h)
  }
  const t = table
  const out = new Float32Array(bits.length)
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i] as number] as number
  return out
}

/** (2n bytes) -> (n,) bit patterns in the given byte order. */
export function float16Bits(bytes: Uint8Array, littleEndian: boolean): Uint16Array {
  const n = bytes.length >> 1
  const out = new Uint16Array(n)
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, littleEndian)
  return out
}
