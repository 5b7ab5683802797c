/**
 * Butterworth band-pass design in second-order sections, following scipy.signal.butter(order, [lo, hi],
 * btype='bandpass', fs=fs, output='sos') step by step: analog prototype (buttap) -> low-pass to band-pass
 * (lp2bp_zpk) -> bilinear transform (bilinear_zpk, with scipy's pre-warping at fs=2) -> zpk2sos with the
 * default 'nearest' pairing. Every step keeps scipy's operation order so the coefficients agree to rounding
 * and the pole/zero pairing (which decides the section order, hence filter output rounding) is identical.
 */
import { cabs, cconj, cdiv, cexpi, cmul, cpoly, cscale, csqrt, csub, cx, cadd, type Complex } from './complex'

/** Second-order sections, (nSections, 6) row-major: b0 b1 b2 a0 a1 a2 per row, a0 = 1. */
export type SosMatrix = Float64Array

export interface Zpk {
  z: Complex[]
  p: Complex[]
  k: number
}

const EPS = 2.220446049250313e-16

/** Analog Butterworth low-pass prototype, cutoff 1 rad/s (scipy buttap). */
export function buttap(order: number): Zpk {
  const p: Complex[] = []
  for (let m = -order + 1; m < order; m += 2) {
    const e = cexpi((Math.PI * m) / (2 * order))
    p.push({ re: -e.re, im: -e.im })
  }
  return { z: [], p, k: 1 }
}

/** Low-pass prototype -> band-pass centred at wo with bandwidth bw (scipy lp2bp_zpk). */
export function lp2bpZpk({ z, p, k }: Zpk, wo: number, bw: number): Zpk {
  const degree = p.length - z.length
  const shift = (r: Complex): [Complex, Complex] => {
    const lp = cscale(cscale(r, bw), 0.5)
    const s = csqrt(csub(cmul(lp, lp), cx(wo * wo)))
    return [cadd(lp, s), csub(lp, s)]
  }
  const zs = z.map(shift)
  const ps = p.map(shift)
  return {
    z: [...zs.map((v) => v[0]), ...zs.map((v) => v[1]), ...Array.from({ length: degree }, () => cx(0))],
    p: [...ps.map((v) => v[0]), ...ps.map((v) => v[1])],
    k: k * bw ** degree,
  }
}

/** Analog -> digital by the bilinear transform at sample rate fs (scipy bilinear_zpk). */
export function bilinearZpk({ z, p, k }: Zpk, fs: number): Zpk {
  const fs2 = cx(2 * fs)
  const degree = p.length - z.length
  const map = (r: Complex): Complex => cdiv(cadd(fs2, r), csub(fs2, r))
  const prod = (rs: Complex[]): Complex => rs.reduce((acc, r) => cmul(acc, csub(fs2, r)), cx(1))
  // numpy's prod starts from the first element, not from 1; 1 * a is exact so the result is the same
  return {
    z: [...z.map(map), ...Array.from({ length: degree }, () => cx(-1))],
    p: p.map(map),
    k: k * cdiv(prod(z), prod(p)).re,
  }
}

/**
 * Split into conjugate pairs (one representative, positive imaginary part) and reals, sorted as scipy's
 * _cplxreal does: the resulting order drives zpk2sos's choices, so it must match exactly.
 */
export function cplxreal(values: readonly Complex[]): { zc: Complex[]; zr: number[] } {
  if (values.length === 0) return { zc: [], zr: [] }
  const tol = 100 * EPS
  const z = [...values].sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im))
  const isReal = (v: Complex): boolean => Math.abs(v.im) <= tol * cabs(v)
  const zr = z.filter(isReal).map((v) => v.re)
  const rest = z.filter((v) => !isReal(v))
  const zp = rest.filter((v) => v.im > 0)
  const zn = rest.filter((v) => v.im < 0)
  if (zp.length !== zn.length) throw new Error('filter design: complex value with no matching conjugate')
  // runs of (nearly) equal real part are re-sorted by |imag|, separately in each half
  let i = 0
  while (i < zp.length - 1) {
    let j = i
    while (j < zp.length - 1 && zp[j + 1]!.re - zp[j]!.re <= tol * cabs(zp[j]!)) j++
    if (j > i) {
      const byImag = (a: Complex, b: Complex): number => Math.abs(a.im) - Math.abs(b.im)
      zp.splice(i, j - i + 1, ...zp.slice(i, j + 1).sort(byImag))
      zn.splice(i, j - i + 1, ...zn.slice(i, j + 1).sort(byImag))
    }
    i = j + 1
  }
  const zc = zp.map((a, idx) => {
    const b = cconj(zn[idx]!)
    if (cabs(csub(a, b)) > tol * cabs(zn[idx]!)) throw new Error('filter design: complex value with no matching conjugate')
    return cscale(cadd(a, b), 0.5)
  })
  return { zc, zr }
}

const isExactlyReal = (v: Complex): boolean => v.im === 0

/** Index in `from` of the element nearest to `to`, restricted to reals / non-reals (scipy _nearest_real_complex_idx). */
function nearestIdx(from: readonly Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from.map((_, i) => i).sort((a, b) => cabs(csub(from[a]!, to)) - cabs(csub(from[b]!, to)))
  const hit = order.find((i) => which === 'any' || isExactlyReal(from[i]!) === (which === 'real'))
  if (hit === undefined) throw new Error(`filter design: no ${which} zero left to pair`)
  return hit
}

/** One section from up to two zeros and two poles, right-aligned as scipy _single_zpksos. */
function singleSection(z: Complex[], p: Complex[]): number[] {
  const sos = [0, 0, 0, 0, 0, 0]
  const b = cpoly(z).map((c) => c.re)
  const a = cpoly(p).map((c) => c.re)
  b.forEach((v, i) => (sos[3 - b.length + i] = v))
  a.forEach((v, i) => (sos[6 - a.length + i] = v))
  return sos
}

const take = <T>(xs: T[], i: number): T => xs.splice(i, 1)[0]!

/** Digital zpk -> second-order sections with scipy's default 'nearest' pairing (scipy zpk2sos). */
export function zpk2sos(zeros: readonly Complex[], poles: readonly Complex[], k: number): SosMatrix {
  if (zeros.length === 0 && poles.length === 0) return Float64Array.of(k, 0, 0, 1, 0, 0)
  const zIn = [...zeros, ...Array.from({ length: Math.max(poles.length - zeros.length, 0) }, () => cx(0))]
  const pIn = [...poles, ...Array.from({ length: Math.max(zeros.length - poles.length, 0) }, () => cx(0))]
  const nSections = (Math.max(pIn.length, zIn.length) + 1) >> 1
  if (pIn.length % 2 === 1) {
    pIn.push(cx(0))
    zIn.push(cx(0))
  }
  const zs = cplxreal(zIn)
  const ps = cplxreal(pIn)
  const z: Complex[] = [...zs.zc, ...zs.zr.map((r) => cx(r))]
  const p: Complex[] = [...ps.zc, ...ps.zr.map((r) => cx(r))]
  // digital: the "worst" pole is the one closest to the unit circle; it goes in the last section
  const idxWorst = (vs: readonly Complex[]): number => {
    let best = 0
    for (let i = 1; i < vs.length; i++) if (Math.abs(1 - cabs(vs[i]!)) < Math.abs(1 - cabs(vs[best]!))) best = i
    return best
  }
  const realCount = (vs: readonly Complex[]): number => vs.filter(isExactlyReal).length
  const out = new Float64Array(nSections * 6)
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, idxWorst(p))
    let section: number[]
    if (isExactlyReal(p1) && realCount(p) === 0) {
      // last remaining real pole: pair with the nearest real zero, padded with a pole and zero at 0
      const z1 = take(z, nearestIdx(z, p1, 'real'))
      section = singleSection([z1, cx(0)], [p1, cx(0)])
    } else if (p.length + 1 === z.length && !isExactlyReal(p1) && realCount(p) === 1 && realCount(z) === 1) {
      // one real pole and one real zero left: this complex pole must take a complex zero
      const z1 = take(z, nearestIdx(z, p1, 'complex'))
      section = singleSection([z1, cconj(z1)], [p1, cconj(p1)])
    } else {
      let p2: Complex
      if (isExactlyReal(p1)) {
        const realIdx = p.map((v, i) => (isExactlyReal(v) ? i : -1)).filter((i) => i >= 0)
        p2 = take(p, realIdx[idxWorst(realIdx.map((i) => p[i]!))]!)
      } else {
        p2 = cconj(p1)
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIdx(z, p1, 'any'))
        if (!isExactlyReal(z1)) section = singleSection([z1, cconj(z1)], [p1, p2])
        else if (z.length > 0) section = singleSection([z1, take(z, nearestIdx(z, p1, 'real'))], [p1, p2])
        else section = singleSection([z1], [p1, p2])
      } else {
        section = singleSection([], [p1, p2])
      }
    }
    out.set(section, si * 6)
  }
  for (let i = 0; i < 3; i++) out[i]! *= k
  return out
}

/**
 * scipy.signal.butter(order, [lowHz, highHz], btype='bandpass', fs=fs, output='sos').
 * (order) -> (order, 6): a band-pass of order N has 2N poles, hence N sections.
 */
export function butterBandpassSos(order: number, lowHz: number, highHz: number, fs: number): SosMatrix {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`band-pass order must be a positive integer, got ${order}`)
  const wn = [(2 * lowHz) / fs, (2 * highHz) / fs] as const
  if (!(wn[0] > 0 && wn[0] < wn[1] && wn[1] < 1)) {
    throw new RangeError(`band-pass edges must satisfy 0 < low < high < fs/2 (got ${lowHz}-${highHz} Hz at fs ${fs} Hz)`)
  }
  // pre-warp for the bilinear transform at scipy's internal fs = 2
  const warped = wn.map((w) => 2 * 2 * Math.tan((Math.PI * w) / 2)) as [number, number]
  const bw = warped[1] - warped[0]
  const wo = Math.sqrt(warped[0] * warped[1])
  const digital = bilinearZpk(lp2bpZpk(buttap(order), wo, bw), 2)
  return zpk2sos(digital.z, digital.p, digital.k)
}
