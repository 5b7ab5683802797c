/**
 * Just enough complex arithmetic for filter design (a few dozen poles and zeros, never in a hot loop),
 * written to follow numpy's formulas so designed coefficients agree with scipy to rounding.
 */
export interface Complex {
  re: number
  im: number
}

export const cx = (re: number, im = 0): Complex => ({ re, im })
export const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im })
export const csub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im })
export const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re })
export const cscale = (a: Complex, s: number): Complex => ({ re: a.re * s, im: a.im * s })
export const cconj = (a: Complex): Complex => ({ re: a.re, im: -a.im })
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im)

/** Smith's algorithm, as numpy's complex division, to avoid overflow and keep rounding close to numpy. */
export function cdiv(a: Complex, b: Complex): Complex {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    if (b.re === 0 && b.im === 0) return { re: a.re / 0, im: a.im / 0 }
    const rat = b.im / b.re
    const scl = 1 / (b.re + b.im * rat)
    return { re: (a.re + a.im * rat) * scl, im: (a.im - a.re * rat) * scl }
  }
  const rat = b.re / b.im
  const scl = 1 / (b.im + b.re * rat)
  return { re: (a.re * rat + a.im) * scl, im: (a.im * rat - a.re) * scl }
}

/** Principal square root (branch cut on the negative real axis), as numpy.sqrt on complex input. */
export function csqrt(a: Complex): Complex {
  if (a.re === 0 && a.im === 0) return { re: 0, im: a.im }
  const t = Math.sqrt((Math.abs(a.re) + cabs(a)) / 2)
  if (a.re >= 0) return { re: t, im: a.im / (2 * t) }
  return { re: Math.abs(a.im) / (2 * t), im: a.im >= 0 ? t : -t }
}

/** exp(i*theta) */
export const cexpi = (theta: number): Complex => ({ re: Math.cos(theta), im: Math.sin(theta) })

/** Coefficients of the monic polynomial with the given roots, highest power first (numpy.poly). */
export function cpoly(roots: readonly Complex[]): Complex[] {
  let c: Complex[] = [cx(1)]
  for (const r of roots) {
    // convolve(c, [1, -r])
    const next: Complex[] = c.map((v) => ({ ...v }))
    next.push(cx(0))
    for (let i = 1; i < next.length; i++) next[i] = csub(next[i]!, cmul(c[i - 1]!, r))
    c = next
  }
  return c
}
