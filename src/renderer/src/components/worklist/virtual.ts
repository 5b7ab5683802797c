/**
 * Fixed-row-height list virtualisation: which rows to render for a scroll position. Only these rows exist in
 * the DOM, so 5,000 cases cost the same to scroll as 30.
 */
export interface VirtualWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  start: number
  end: number
  /** Pixels above the first rendered row (the spacer that keeps the scrollbar honest). */
  offsetTop: number
  totalHeight: number
}

export function virtualWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 6): VirtualWindow {
  if (rowHeight <= 0) throw new RangeError(`row height must be positive, got ${rowHeight}`)
  const totalHeight = count * rowHeight
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1
  const start = Math.max(0, Math.min(count, first - overscan))
  const end = Math.max(start, Math.min(count, first + visible + overscan))
  return { start, end, offsetTop: start * rowHeight, totalHeight }
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight
  return null
}
