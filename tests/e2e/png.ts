/**
 * Minimal PNG decoder for screenshot checks (8-bit RGB/RGBA, non-interlaced: what Chromium writes).
 * (PNG bytes) -> { width, height, rgba: (height * width * 4) }
 */
import { inflateSync } from 'node:zlib'

export interface Image {
  width: number
  height: number
  rgba: Uint8Array
}

export function decodePng(buf: Uint8Array): Image {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10]
  if (!sig.every((b, i) => buf[i] === b)) throw new Error('not a PNG file')
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  let pos = 8
  let width = 0
  let height = 0
  let colorType = 0
  const idat: Uint8Array[] = []
  while (pos < buf.length) {
    const len = view.getUint32(pos)
    const type = String.fromCharCode(...buf.subarray(pos + 4, pos + 8))
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8)
      height = view.getUint32(pos + 12)
      const depth = data[8]
      colorType = data[9]!
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colorType}, interlace ${data[12]})`)
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    pos += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const bpp = colorType === 6 ? 4 : 3
  const stride = width * bpp
  const px = new Uint8Array(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = px.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? px.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride)
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp]! : 0
      const b = prev[x]!
      const c = x >= bpp ? prev[x - bpp]! : 0
      let v = src[x]!
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      row[x] = v & 255
    }
  }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0, j = 0; i < width * height; i++, j += bpp) {
    rgba[i * 4] = px[j]!
    rgba[i * 4 + 1] = px[j + 1]!
    rgba[i * 4 + 2] = px[j + 2]!
    rgba[i * 4 + 3] = bpp === 4 ? px[j + 3]! : 255
  }
  return { width, height, rgba }
}

/** Fraction of pixels for which `pred(r, g, b)` holds. */
export function fraction(img: Image, pred: (r: number, g: number, b: number) => boolean): number {
  let n = 0
  for (let i = 0; i < img.rgba.length; i += 4) if (pred(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!)) n++
  return n / (img.width * img.height)
}

/**
 * For every column with ink, the number of separate ink runs down the column (runs closer than `gap` rows are
 * one). Every lead's trace crosses every column of a 12x1 paper once, so most columns count 12; a tall QRS
 * touching the next lead, labels or the footer only move a few columns off. (H, W) -> histogram of counts
 */
export function runsPerColumn(img: Image, ink: (r: number, g: number, b: number) => boolean, gap = 4): number[] {
  const hist: number[] = []
  for (let x = 0; x < img.width; x++) {
    let runs = 0
    let last = -Infinity
    for (let y = 0; y < img.height; y++) {
      const i = (y * img.width + x) * 4
      if (!ink(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!)) continue
      if (y - last > gap) runs++
      last = y
    }
    if (runs > 0) hist[runs] = (hist[runs] ?? 0) + 1
  }
  return Array.from(hist, (v) => v ?? 0)
}

/** The most frequent value of a histogram and the share of the total it holds. */
export function histogramMode(hist: readonly number[]): { value: number; share: number } {
  let value = 0
  let total = 0
  for (let i = 0; i < hist.length; i++) {
    total += hist[i]!
    if (hist[i]! > hist[value]!) value = i
  }
  return { value, share: total > 0 ? hist[value]! / total : 0 }
}

/** Fraction of pixels that differ by more than `tol` in any channel between two same-sized images. */
export function changedFraction(a: Image, b: Image, tol = 12): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`image sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`)
  let n = 0
  for (let i = 0; i < a.rgba.length; i += 4) {
    if (Math.abs(a.rgba[i]! - b.rgba[i]!) > tol || Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) > tol || Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!) > tol) n++
  }
  return n / (a.width * a.height)
}
