/**
 * Caliper interaction state: mode (time / amplitude), the drag in progress, and the last measurement.
 * Pointer positions come in device px; the measurement is computed by the pure caliper math.
 */
import { computed, ref, shallowRef, type ComputedRef, type Ref } from 'vue'
import { measureDrag, type CaliperKind, type MeasureEvent, type Point } from '../../ecg-render/caliper'
import type { CaliperState } from '../../ecg-render/draw-overlay'
import { cellAt, type PaperLayout } from '../../ecg-render/layout'
import type { Scale } from '../../ecg-render/scale'

export interface Calipers {
  mode: Ref<CaliperKind>
  caliper: Ref<CaliperState | null>
  last: Ref<MeasureEvent | null>
  dragging: Ref<boolean>
  start(p: Point): void
  move(p: Point): void
  /** Ends the drag; returns the measurement to emit, or null for a click without movement. */
  end(p?: Point): MeasureEvent | null
  clear(): void
  toggleMode(): void
}

export function useCalipers(paper: ComputedRef<PaperLayout>, scale: ComputedRef<Scale>): Calipers {
  const mode = ref<CaliperKind>('time')
  const caliper = shallowRef<CaliperState | null>(null)
  const last = shallowRef<MeasureEvent | null>(null)
  const dragging = ref(false)
  const pxPerMm = computed(() => scale.value.pxPerMm)

  // a time caliper moves only horizontally, an amplitude caliper only vertically, from the start point
  const constrain = (c: CaliperState, p: Point): Point => (c.kind === 'time' ? { x: p.x, y: c.a.y } : { x: c.a.x, y: p.y })

  function start(p: Point): void {
    const cell = cellAt(paper.value, p.x / pxPerMm.value, p.y / pxPerMm.value)
    caliper.value = { kind: mode.value, a: p, b: p, ...(cell ? { cell } : {}) }
    dragging.value = true
  }
  function move(p: Point): void {
    const c = caliper.value
    if (!dragging.value || !c) return
    caliper.value = { ...c, b: constrain(c, p) }
  }
  function end(p?: Point): MeasureEvent | null {
    if (!dragging.value) return null
    if (p) move(p)
    dragging.value = false
    const c = caliper.value
    if (!c || (c.a.x === c.b.x && c.a.y === c.b.y)) {
      caliper.value = null
      return null
    }
    const m = measureDrag(c.kind, c.a, c.b, scale.value, c.cell?.lead, c.cell)
    last.value = m
    return m
  }
  function clear(): void {
    caliper.value = null
    last.value = null
    dragging.value = false
  }
  function toggleMode(): void {
    mode.value = mode.value === 'time' ? 'amplitude' : 'time'
  }
  return { mode, caliper, last, dragging, start, move, end, clear, toggleMode }
}
