import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire, WireDecodeError } from '@shared/contract/wire'

describe('base64', () => {
  it('matches Node Buffer for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 12_289]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + 11) & 255)
      const b64 = bytesToBase64(bytes)
      expect(b64).toBe(Buffer.from(bytes).toString('base64'))
      expect(Array.from(base64ToBytes(b64))).toEqual(Array.from(bytes))
    }
  })
  it('rejects malformed base64 with a typed error', () => {
    expect(() => base64ToBytes('abc')).toThrow(WireDecodeError)
    expect(() => base64ToBytes('ab$=')).toThrow(/invalid base64 character/)
  })
})

describe('tagged JSON', () => {
  it('round-trips typed arrays inside nested objects bit-exactly', () => {
    const signals = [new Float32Array([0.1, -2.5, 1e-7, 3.4e38]), new Float32Array(5000).map((_, i) => Math.sin(i / 10))]
    const value = { id: 'x', record: { signals, labels: [{ code: '1' }] }, files: [{ name: 'a.dat', bytes: new Uint8Array([0, 255, 7]) }] }
    const back = decodeWire(encodeWire(value)) as typeof value
    expect(back.record.signals[0]).toBeInstanceOf(Float32Array)
    expect(back.record.signals[0]).toEqual(signals[0])
    expect(back.record.signals[1]).toEqual(signals[1])
    expect(back.files[0]!.bytes).toBeInstanceOf(Uint8Array)
    expect(Array.from(back.files[0]!.bytes)).toEqual([0, 255, 7])
    expect(back.record.labels).toEqual([{ code: '1' }])
  })
  it('encodes a Float32Array view at an offset (subarray) by its own bytes only', () => {
    const base = new Float32Array([1, 2, 3, 4, 5])
    const back = decodeWire(encodeWire(base.subarray(1, 3))) as Float32Array
    expect(Array.from(back)).toEqual([2, 3])
  })
  it('keeps non-finite numbers that plain JSON would turn into null', () => {
    const back = decodeWire(encodeWire({ a: NaN, b: [Infinity, -Infinity, 1] })) as { a: number; b: number[] }
    expect(back.a).toBeNaN()
    expect(back.b).toEqual([Infinity, -Infinity, 1])
  })
  it('escapes user objects that carry a "$t" key so they are not mistaken for tags', () => {
    const value = { $t: 'f32', b64: 'not a tag', nested: { $t: 'u8' } }
    expect(decodeWire(encodeWire(value))).toEqual(value)
  })
  it('rejects invalid JSON, unknown tags and misaligned f32 payloads with a message naming the place', () => {
    expect(() => decodeWire('{')).toThrow(/invalid JSON/)
    expect(() => decodeWire('{"a":{"$t":"zzz"}}')).toThrow(/\(root\)\.a: unknown tag/)
    expect(() => decodeWire('{"a":[{"$t":"f32","b64":"AAA="}]}')).toThrow(/\(root\)\.a\[0\].*not a multiple of 4/)
  })
  it('refuses typed arrays it cannot represent instead of silently mangling them', () => {
    expect(() => encodeWire({ x: new Int16Array(2) })).toThrow(/unsupported typed array Int16Array/)
  })
})
