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
 * Horizontal bands of ink: rows where at least `minFraction` of pixels satisfy `ink`, grouped when closer than
 * `gap` rows. A flat ECG baseline is such a row, so in a 12x1 layout there is one band per lead. (H, W) -> bands
 */
export function inkBands(img: Image, ink: (r: number, g: number, b: number) => boolean, minFraction: number, gap = 6): { start: number; end: number }[] {
  const bands: { start: number; end: number }[] = []
  for (let y = 0; y < img.height; y++) {
    let n = 0
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4
      if (ink(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!)) n++
    }
    if (n / img.width < minFraction) continue
    const last = bands[bands.length - 1]
    if (last && y - last.end <= gap) last.end = y
    else bands.push({ start: y, end: y })
  }
  return bands
}

/** Fraction of columns with any ink within rows [start - pad, end + pad]: a trace runs across the paper, text does not. */
export function columnCoverage(img: Image, band: { start: number; end: number }, ink: (r: number, g: number, b: number) => boolean, pad = 8): number {
  const y0 = Math.max(0, band.start - pad)
  const y1 = Math.min(img.height - 1, band.end + pad)
  let cols = 0
  for (let x = 0; x < img.width; x++) {
    for (let y = y0; y <= y1; y++) {
      const i = (y * img.width + x) * 4
      if (ink(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!)) {
        cols++
        break
      }
    }
  }
  return cols / img.width
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
