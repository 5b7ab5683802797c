/**
 * A recording 2D context: every call and every style assignment is logged in order, so tests can assert what
 * was drawn (grid lines, trace vertices, text) without a real canvas.
 */
import type { Ctx2D } from '../../../src/renderer/src/ecg-render/ctx'

export type Call =
  | { op: 'moveTo' | 'lineTo'; x: number; y: number }
  | { op: 'fillRect' | 'clearRect'; x: number; y: number; w: number; h: number; style: string }
  | { op: 'fillText'; text: string; x: number; y: number; style: string }
  | { op: 'beginPath' | 'stroke' | 'save' | 'restore' | 'setTransform' | 'setLineDash'; style: string }

export class RecordingCtx implements Ctx2D {
  calls: Call[] = []
  fillStyle: string | object = '#000'
  strokeStyle: string | object = '#000'
  lineWidth = 1
  lineJoin = 'miter'
  font = '10px sans-serif'
  textBaseline = 'alphabetic'
  textAlign = 'start'

  save(): void { this.calls.push({ op: 'save', style: '' }) }
  restore(): void { this.calls.push({ op: 'restore', style: '' }) }
  setTransform(): void { this.calls.push({ op: 'setTransform', style: '' }) }
  setLineDash(): void { this.calls.push({ op: 'setLineDash', style: '' }) }
  clearRect(x: number, y: number, w: number, h: number): void { this.calls.push({ op: 'clearRect', x, y, w, h, style: '' }) }
  fillRect(x: number, y: number, w: number, h: number): void { this.calls.push({ op: 'fillRect', x, y, w, h, style: String(this.fillStyle) }) }
  beginPath(): void { this.calls.push({ op: 'beginPath', style: '' }) }
  moveTo(x: number, y: number): void { this.calls.push({ op: 'moveTo', x, y }) }
  lineTo(x: number, y: number): void { this.calls.push({ op: 'lineTo', x, y }) }
  stroke(): void { this.calls.push({ op: 'stroke', style: String(this.strokeStyle) }) }
  fillText(text: string, x: number, y: number): void { this.calls.push({ op: 'fillText', text, x, y, style: String(this.fillStyle) }) }

  reset(): void { this.calls = [] }
  texts(): string[] {
    return this.calls.flatMap((c) => (c.op === 'fillText' ? [c.text] : []))
  }
  /** Paths as lists of points, each closed by the stroke() that ended it, with that stroke's style. */
  strokedPaths(): Array<{ style: string; points: Array<[number, number]>; moves: number }> {
    const out: Array<{ style: string; points: Array<[number, number]>; moves: number }> = []
    let points: Array<[number, number]> = []
    let moves = 0
    for (const c of this.calls) {
      if (c.op === 'beginPath') { points = []; moves = 0 }
      else if (c.op === 'moveTo' || c.op === 'lineTo') { points.push([c.x, c.y]); if (c.op === 'moveTo') moves++ }
      else if (c.op === 'stroke') out.push({ style: c.style, points, moves })
    }
    return out
  }
}
