/**
 * ECG paper drawing cost.
 * 1. Node: building the trace layer (decimation + path calls) for a real PTB-XL 500 Hz record on a counting
 *    2D context, per layout and speed: ms per full trace-layer draw and path vertices (decimated vs raw).
 * 2. Chromium (when /usr/bin/chromium or $CHROMIUM exists): EcgViewer mounted in a real page, ms for the first
 *    full draw, a trace-layer redraw (gain change), a heatmap redraw (new CAM), an opacity change and a
 *    caliper drag; each flushed with getImageData so rasterisation is counted.
 * Run: npx tsx bench/ui-ecg-draw.ts [reps=30]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, extname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STANDARD_LEADS } from '@shared/leads'
import type { Ctx2D } from '../src/renderer/src/ecg-render/ctx'
import { drawTraces } from '../src/renderer/src/ecg-render/draw-traces'
import { paperLayout, PAPER_LAYOUTS, type SpeedMmPerS } from '../src/renderer/src/ecg-render/layout'
import { defaultPxPerMm } from '../src/renderer/src/ecg-render/scale'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const reps = Number(process.argv[2] ?? 30)

/** PTB-XL 00001_hr: WFDB format 16, 12 leads interleaved, 1000 adu/mV. (12, 5000) mV */
function loadRecord(): Float32Array[] {
  const file = resolve(root, '../shared/data/ptbxl/records500/00000/00001_hr.dat')
  if (!existsSync(file)) throw new Error(`bench needs real data: ${file} is missing (see ../shared/README.md)`)
  const buf = readFileSync(file)
  const n = buf.length / 24
  const leads = STANDARD_LEADS.map(() => new Float32Array(n))
  for (let k = 0; k < n; k++) for (let l = 0; l < 12; l++) leads[l]![k] = buf.readInt16LE(2 * (k * 12 + l)) / 1000
  return leads
}

/** Counts path vertices; every other call is a no-op, so the figure is the JS cost of the drawing code. */
class CountingCtx implements Ctx2D {
  vertices = 0
  fillStyle: string | object = ''
  strokeStyle: string | object = ''
  lineWidth = 1
  lineJoin = ''
  font = ''
  textBaseline = ''
  textAlign = ''
  save(): void {}
  restore(): void {}
  setTransform(): void {}
  clearRect(): void {}
  fillRect(): void {}
  beginPath(): void {}
  moveTo(): void { this.vertices++ }
  lineTo(): void { this.vertices++ }
  stroke(): void {}
  fillText(): void {}
  setLineDash(): void {}
}

const signals = loadRecord()
const byLead = new Map(STANDARD_LEADS.map((l, i) => [l, signals[i]!] as const))
console.log(`PTB-XL 00001_hr, 12 x ${signals[0]!.length} at 500 Hz; ${reps} reps per figure`)
for (const dpr of [1, 2]) {
  const pxPerMm = defaultPxPerMm(dpr)
  for (const layout of PAPER_LAYOUTS) {
    for (const speed of [12.5, 25, 50] as SpeedMmPerS[]) {
      const p = paperLayout({ layout, speedMmPerS: speed, gainMmPerMv: 10 })
      const s = { pxPerMm, speedMmPerS: speed, gainMmPerMv: 10 }
      const ctx = new CountingCtx()
      const input = { byLead, samplingRateHz: 500, filterLabel: '0.5-40 Hz' }
      for (let i = 0; i < 3; i++) drawTraces(ctx, p, s, input) // warm-up
      ctx.vertices = 0
      const t0 = performance.now()
      for (let i = 0; i < reps; i++) drawTraces(ctx, p, s, input)
      const ms = (performance.now() - t0) / reps
      const raw = p.cells.reduce((sum, c) => sum + (c.t1S - c.t0S) * 500, 0)
      console.log(`node dpr ${dpr} ${layout.padEnd(6)} ${String(speed).padStart(4)} mm/s: ${ms.toFixed(2)} ms/trace layer, ${(ctx.vertices / reps).toFixed(0)} vertices (raw samples ${raw})`)
    }
  }
}

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.log(`chromium: skipped (${chromium} not found; set $CHROMIUM)`)
} else {
  const work = resolve(root, 'node_modules/.cache/ui-ecg-bench')
  mkdirSync(work, { recursive: true })
  const flat = new Float32Array(signals.length * signals[0]!.length)
  signals.forEach((s, i) => flat.set(s, i * s.length))
  writeFileSync(resolve(work, 'rec.bin'), flat)
  for (const line of await runInChromium(work, chromium)) console.log(line)
}

/** The page: mounts EcgViewer on the record and times each kind of update, flushing every canvas. */
function pageSource(): string {
  const viewer = resolve(root, 'src/renderer/src/components/ecg/EcgViewer.vue')
  return `
import { createApp, h, nextTick, reactive } from 'vue'
import EcgViewer from ${JSON.stringify(viewer)}
const flat = new Float32Array(await (await fetch('/rec.bin')).arrayBuffer())
const n = flat.length / 12
const leads = ${JSON.stringify(STANDARD_LEADS)}
const signals = leads.map((_, i) => flat.slice(i * n, (i + 1) * n))
const cams = [0, 1].map((k) => Float32Array.from({ length: n }, (_, i) => Math.exp(-(((i / 500 - 3 - 4 * k) / 0.5) ** 2))))
const flush = () => { for (const c of document.querySelectorAll('canvas')) c.getContext('2d').getImageData(0, 0, 1, 1) }
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
window.__bench = async (layout, reps) => {
  const out = {}
  const first = []
  for (let r = 0; r < reps; r++) {
    const el = document.createElement('div'); document.body.append(el)
    const t0 = performance.now()
    const app = createApp(() => h(EcgViewer, { signals, leads, samplingRateHz: 500, layout, filterLabel: 'x' }))
    app.mount(el); flush(); first.push(performance.now() - t0)
    app.unmount(); el.remove()
  }
  out['first full draw'] = mean(first)
  const props = reactive({ gainMmPerMv: 10, filterLabel: 'a', heatmap: { cam: cams[0], opacity: 0.5, label: 'x' } })
  const el = document.createElement('div'); document.body.append(el)
  createApp(() => h(EcgViewer, { signals, leads, samplingRateHz: 500, layout, ...props })).mount(el)
  await nextTick(); flush()
  const time = async (label, change) => {
    const xs = []
    for (let r = 0; r < reps; r++) { const t0 = performance.now(); change(r); await nextTick(); flush(); xs.push(performance.now() - t0) }
    out[label] = mean(xs)
  }
  await time('gain change (all layers)', (r) => { props.gainMmPerMv = r % 2 ? 10 : 20 })
  await time('filter label (trace only)', (r) => { props.filterLabel = 'f' + r })
  await time('new CAM (heatmap only)', (r) => { props.heatmap = { ...props.heatmap, cam: cams[r % 2] } })
  await time('opacity (CSS only)', (r) => { props.heatmap = { ...props.heatmap, opacity: r % 2 ? 0.3 : 0.7 } })
  const ov = el.querySelector('canvas[data-layer="overlay"]')
  const box = ov.getBoundingClientRect()
  ov.dispatchEvent(new PointerEvent('pointerdown', { clientX: box.left + 100, clientY: box.top + 60, button: 0, bubbles: true }))
  await time('caliper move (overlay only)', (r) => { ov.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + 120 + r, clientY: box.top + 60, bubbles: true })) })
  ov.dispatchEvent(new PointerEvent('pointerup', { clientX: box.left + 200, clientY: box.top + 60, bubbles: true }))
  await nextTick()
  // proof the drag really measured: 100 CSS px at 25 mm/s and 96 dpi = 1058 ms
  out.reading = el.querySelector('[data-role="readout"]').textContent
  return out
}
window.__ready = true
`
}

/** Build the page with Vite, serve it on 127.0.0.1, and run the timings in headless Chromium (dpr 1 and 2). */
async function runInChromium(work: string, executablePath: string): Promise<string[]> {
  const { build } = await import('vite')
  const { default: vue } = await import('@vitejs/plugin-vue')
  const { chromium: pw } = await import('playwright-core')
  writeFileSync(resolve(work, 'index.html'), '<!doctype html><html><body style="margin:0"><script type="module" src="./main.js"></script></body></html>')
  writeFileSync(resolve(work, 'main.js'), pageSource())
  await build({
    root: work, logLevel: 'warn', plugins: [vue()],
    resolve: { alias: { '@shared': resolve(root, 'src/shared') } },
    build: { outDir: resolve(work, 'dist'), emptyOutDir: true, target: 'es2022' },
  })
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const file = path === '/rec.bin' ? resolve(work, 'rec.bin') : resolve(work, 'dist', '.' + (path === '/' ? '/index.html' : path))
    if (!file.startsWith(work) || !existsSync(file)) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  const browser = await pw.launch({ executablePath, args: ['--no-sandbox'] })
  const lines: string[] = []
  try {
    for (const dpr of [1, 2]) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: dpr })
      await page.goto(`http://127.0.0.1:${port}/`)
      await page.waitForFunction('window.__ready === true')
      for (const layout of PAPER_LAYOUTS) {
        const out = (await page.evaluate(`window.__bench(${JSON.stringify(layout)}, ${reps})`)) as Record<string, number | string>
        const figures = Object.entries(out).map(([k, v]) => (typeof v === 'number' ? `${k} ${v.toFixed(2)} ms` : `caliper reading "${v}"`)).join(', ')
        lines.push(`chromium dpr ${dpr} ${layout.padEnd(6)} 25 mm/s: ${figures}`)
      }
      await page.close()
    }
  } finally {
    await browser.close()
    server.close()
  }
  return lines
}
