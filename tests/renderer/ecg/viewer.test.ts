import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import { STANDARD_LEADS } from '@shared/leads'
import EcgViewer from '../../../src/renderer/src/components/ecg/EcgViewer.vue'
import { paperLayout } from '../../../src/renderer/src/ecg-render/layout'
import { RecordingCtx } from './fake-ctx'

const PX = 4
const FS = 500

function signals(leads: readonly string[]): Float32Array[] {
  return leads.map((_, k) => {
    const x = new Float32Array(FS * 10)
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * (i + k * 7)) / FS)
    return x
  })
}

/** One recording context per canvas, created on first getContext('2d'), as a browser would. */
let contexts: WeakMap<HTMLCanvasElement, RecordingCtx>
let wrapper: VueWrapper | undefined
const ctxOf = (layer: string): RecordingCtx => {
  const el = wrapper!.find(`canvas[data-layer="${layer}"]`).element as HTMLCanvasElement
  const c = contexts.get(el)
  if (!c) throw new Error(`no context for layer ${layer}`)
  return c
}
const traceCount = (c: RecordingCtx): number => c.strokedPaths().filter((p) => p.points.length > 6).length

function stubCanvas(): void {
  contexts = new WeakMap()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    let c = contexts.get(this)
    if (!c) contexts.set(this, (c = new RecordingCtx()))
    return c as unknown as CanvasRenderingContext2D
  } as unknown as typeof HTMLCanvasElement.prototype.getContext)
}

function mountViewer(props: Record<string, unknown> = {}): VueWrapper {
  wrapper = mount(EcgViewer, {
    props: { signals: signals(STANDARD_LEADS), leads: [...STANDARD_LEADS], samplingRateHz: FS, pxPerMm: PX, filterLabel: '0.5–40 Hz', ...props },
    attachTo: document.body,
  })
  return wrapper
}

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  vi.restoreAllMocks()
})

describe('EcgViewer without a canvas implementation', () => {
  it('mounts, exposes its layout and leads, and stays not-ready instead of throwing', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const w = mountViewer({ layout: '6x2' })
    const root = w.find('.ecg-viewer')
    expect(root.attributes('data-layout')).toBe('6x2')
    expect(root.attributes('data-leads')).toBe(STANDARD_LEADS.join(','))
    expect(root.attributes('data-ready')).toBe('false')
  })
})

describe('EcgViewer with recording contexts', () => {
  beforeEach(stubCanvas)

  it('draws grid and 13 traces on their own layers, sized in device px, then reports ready', async () => {
    const w = mountViewer()
    await nextTick()
    const root = w.find('.ecg-viewer')
    expect(root.attributes('data-ready')).toBe('true')
    expect(root.attributes('data-layout')).toBe('3x4+II')
    expect(root.attributes('data-missing-leads')).toBe('')
    expect(ctxOf('grid').strokedPaths().length).toBe(2) // minor + major
    expect(traceCount(ctxOf('trace'))).toBe(13) // 12 leads + the II rhythm strip (6-point calibration pulses excluded)
    const grid = w.find('canvas[data-layer="grid"]').element as HTMLCanvasElement
    expect(grid.width).toBe(265 * PX) // 10 mm margin + 250 mm + 2, rounded to 5 mm
    expect(ctxOf('trace').texts()).toContain('25 mm/s   10 mm/mV   0.5–40 Hz   500 Hz')
  })

  it('heatmap opacity restyles its layer only; a new CAM redraws the heatmap but never the traces', async () => {
    const cam = new Float32Array(FS * 10).fill(0.9, 1500, 1750)
    const w = mountViewer({ heatmap: { cam, opacity: 0.4, label: 'AFIB' } })
    await nextTick()
    const trace = ctxOf('trace')
    const heat = ctxOf('heatmap')
    expect(heat.calls.some((c) => c.op === 'fillRect')).toBe(true)
    expect(w.find('[data-role="heatmap-legend"]').text()).toContain('AFIB')
    trace.reset()
    heat.reset()
    await w.setProps({ heatmap: { cam, opacity: 0.8, label: 'AFIB' } })
    expect((w.find('canvas[data-layer="heatmap"]').element as HTMLCanvasElement).style.opacity).toBe('0.8')
    expect(heat.calls).toEqual([])
    await w.setProps({ heatmap: { cam: new Float32Array(FS * 10).fill(1, 0, 100), opacity: 0.8, label: 'AFIB' }, leadHighlight: [1, 0.5] })
    expect(heat.calls.filter((c) => c.op === 'fillRect').length).toBeGreaterThan(0)
    await w.setProps({ heatmap: null })
    expect(heat.calls.at(-1)?.op).toBe('clearRect')
    expect(w.find('.ecg-viewer').attributes('data-heatmap')).toBe('off')
    expect(trace.calls).toEqual([])
  })

  it('time caliper: a drag emits ms and bpm for the lead under it, draws on the overlay only; Escape clears', async () => {
    const w = mountViewer()
    await nextTick()
    const trace = ctxOf('trace')
    trace.reset()
    const overlay = w.find('canvas[data-layer="overlay"]')
    const v2 = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 10 }).cells.find((c) => c.lead === 'V2')!
    const y = v2.baselineMm * PX
    const x = (v2.xMm + 10) * PX
    // happy-dom has no layout: CSS px = device px / devicePixelRatio (1)
    await overlay.trigger('pointerdown', { clientX: x, clientY: y, button: 0, pointerId: 1 })
    await overlay.trigger('pointermove', { clientX: x + 40, clientY: y + 33, pointerId: 1 })
    await overlay.trigger('pointerup', { clientX: x + 80, clientY: y + 50, pointerId: 1 })
    const events = w.emitted('measure') as Array<[Record<string, unknown>]>
    expect(events).toHaveLength(1)
    // 80 px = 20 mm = 800 ms at 25 mm/s; V2's column starts at 5 s, the drag 10 mm (0.4 s) into it
    expect(events[0]![0]).toEqual({ kind: 'time', ms: 800, bpm: 75, lead: 'V2', startS: expect.closeTo(5.4, 9), endS: expect.closeTo(6.2, 9) })
    expect(w.find('[data-role="readout"]').text()).toBe('800 ms · 75 bpm')
    expect(ctxOf('overlay').texts().at(-1)).toBe('800 ms · 75 bpm')
    expect(trace.calls).toEqual([])

    await w.find('.ecg-viewer').trigger('keydown', { key: 'Escape' })
    expect(w.find('[data-role="readout"]').text()).toBe('')
    expect(ctxOf('overlay').calls.at(-1)?.op).toBe('clearRect')
  })

  it('amplitude caliper via the keyboard toggle measures mV at the current gain', async () => {
    const w = mountViewer({ gainMmPerMv: 20 })
    await nextTick()
    const root = w.find('.ecg-viewer')
    expect(w.find('[data-caliper="time"]').attributes('aria-checked')).toBe('true')
    await root.trigger('keydown', { key: 'm' })
    expect(w.find('[data-caliper="amplitude"]').attributes('aria-checked')).toBe('true')
    const overlay = w.find('canvas[data-layer="overlay"]')
    const cell = paperLayout({ layout: '3x4+II', speedMmPerS: 25, gainMmPerMv: 20 }).cells.find((c) => c.lead === 'aVF')!
    const x = (cell.xMm + 20) * PX
    const y = cell.baselineMm * PX
    await overlay.trigger('pointerdown', { clientX: x, clientY: y, button: 0, pointerId: 1 })
    await overlay.trigger('pointerup', { clientX: x + 300, clientY: y - 60, pointerId: 1 }) // 15 mm up at 20 mm/mV
    const events = w.emitted('measure') as Array<[Record<string, unknown>]>
    expect(events[0]![0]).toEqual({ kind: 'amplitude', mv: 0.75, lead: 'aVF' })
    // a click without a drag measures nothing
    await overlay.trigger('pointerdown', { clientX: x, clientY: y, button: 0, pointerId: 1 })
    await overlay.trigger('pointerup', { clientX: x, clientY: y, pointerId: 1 })
    expect(w.emitted('measure')).toHaveLength(1)
  })

  it('missing leads are listed and drawn as labelled slots; layout and gain changes re-lay the paper', async () => {
    const leads = STANDARD_LEADS.filter((l) => l !== 'V4' && l !== 'aVL')
    const w = mountViewer({ leads, signals: signals(leads) })
    await nextTick()
    const root = w.find('.ecg-viewer')
    expect(root.attributes('data-leads')).toBe(leads.join(','))
    expect(root.attributes('data-missing-leads')).toBe('aVL,V4')
    expect(ctxOf('trace').texts()).toEqual(expect.arrayContaining(['aVL — not recorded', 'V4 — not recorded']))
    await w.setProps({ layout: '12x1', gainMmPerMv: 5 })
    expect(root.attributes('data-layout')).toBe('12x1')
    const grid = w.find('canvas[data-layer="grid"]').element as HTMLCanvasElement
    expect(grid.height).toBe((5 + 12 * 15 + 10) * PX) // 12 rows of 15 mm at 5 mm/mV + top pad + footer
    expect(root.attributes('data-ready')).toBe('true')
  })

  it('startS pages through a long record: the second 10 s of a 20 s record is drawn, past the end nothing is', async () => {
    const long = STANDARD_LEADS.map(() => new Float32Array(FS * 20).fill(0.1))
    const w = mountViewer({ signals: long, startS: 10 })
    await nextTick()
    expect(w.find('.ecg-viewer').attributes('data-start-s')).toBe('10')
    expect(traceCount(ctxOf('trace'))).toBe(13)
    ctxOf('trace').reset()
    await w.setProps({ startS: 20 })
    expect(ctxOf('trace').calls.length).toBeGreaterThan(0) // redrawn: the paper, labels, calibration
    expect(traceCount(ctxOf('trace'))).toBe(0)
    expect(w.find('.ecg-viewer').attributes('data-ready')).toBe('true')
  })

  it('bad input shows a typed error naming the prop instead of crashing', async () => {
    const w = mountViewer({ leads: ['I', 'II', 'X7'], signals: signals(['I', 'II', 'X7']) })
    await nextTick()
    expect(w.find('[data-role="error"]').text()).toBe('EcgViewer leads[2]: "X7" is not one of the 12 standard leads')
    expect(w.find('.ecg-viewer').attributes('data-leads')).toBe('')
    await w.setProps({ leads: ['I', 'II'], signals: signals(['I']) })
    expect(w.find('[data-role="error"]').text()).toContain('EcgViewer signals: 1 signals for 2 lead names')
    await w.setProps({ leads: ['I'], signals: signals(['I']), samplingRateHz: 0 })
    expect(w.find('[data-role="error"]').text()).toContain('samplingRateHz')
    expect(w.find('.ecg-viewer').attributes('data-ready')).toBe('true') // the empty paper is still drawn
  })
})
