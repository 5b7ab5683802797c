/**
 * Window starts for the 'windows' policy, in samples: 0, W, 2W, ... while a whole window fits, then one
 * window aligned to the end (n - W) when n is not a multiple of W, so the tail is always seen. A record
 * shorter than W gives the single start 0 (the caller zero-pads it). Only the first maxWindows are kept:
 * the beginning of a recording is what a clinician reads first, and it keeps the cost bounded.
 */
export function windowStarts(n: number, windowSamples: number, maxWindows: number): { starts: number[]; total: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`windowStarts: n must be a positive integer, got ${n}`)
  if (!Number.isInteger(windowSamples) || windowSamples < 1) throw new RangeError(`windowStarts: window must be a positive integer, got ${windowSamples}`)
  if (!Number.isInteger(maxWindows) || maxWindows < 1) throw new RangeError(`windowStarts: maxWindows must be a positive integer, got ${maxWindows}`)
  const all: number[] = []
  if (n <= windowSamples) all.push(0)
  else {
    for (let s = 0; s + windowSamples <= n; s += windowSamples) all.push(s)
    if (n % windowSamples !== 0) all.push(n - windowSamples)
  }
  return { starts: all.slice(0, maxWindows), total: all.length }
}
