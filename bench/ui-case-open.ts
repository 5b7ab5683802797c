/**
 * UI timings in headless Chromium against the real services (browser host):
 *   1. case open: click a case in the worklist -> 12 leads drawn and the Grad-CAM heatmap on (median, p95, n)
 *   2. worklist scrolling with 5,000 cases (seeded straight into IndexedDB): frames per second and worst frame
 * Run: npx electron-vite build && npx tsx bench/ui-case-open.ts [--records 8] [--cases 5000]
 * Figures are printed, never asserted (timings depend on the machine).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { launchChromium, newPage, ptbxlSubset, startHost } from '../tests/e2e/harness'

const { values } = parseArgs({ options: { records: { type: 'string', default: '8' }, cases: { type: 'string', default: '5000' } } })
const nRecords = Number(values.records)
const nCases = Number(values.cases)

// The page-side callbacks run in Chromium, but this file is type-checked as Node code (no DOM lib): they reach
// the page's globals through these minimal shapes (types only; nothing here runs in Node).
interface PageEl {
  dataset: Record<string, string | undefined>
  textContent: string | null
  scrollTop: number
  clientHeight: number
  scrollHeight: number
  click(): void
  getAttribute(name: string): string | null
}
interface IdbRequest<T> {
  result: T
  error: unknown
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface IdbStore {
  openCursor(): IdbRequest<{ value: unknown } | null>
  put(value: unknown): void
}
interface IdbTx {
  objectStore(name: string): IdbStore
  oncomplete: (() => void) | null
  onerror: (() => void) | null
  error: unknown
}
interface IdbDb {
  transaction(name: string, mode?: 'readonly' | 'readwrite'): IdbTx
  close(): void
}
interface PageGlobals {
  document: { querySelector(sel: string): PageEl | null; querySelectorAll(sel: string): ArrayLike<PageEl> }
  requestAnimationFrame(cb: (now: number) => void): number
  indexedDB: { open(name: string): IdbRequest<IdbDb> }
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return `median ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms (n=${s.length})`
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ecg-bench-ui-'))
  ptbxlSubset(nRecords, dir)
  const host = await startHost()
  const browser = await launchChromium()
  try {
    const page = await newPage(browser, 1000)
    await page.goto(host.url)
    await page.getByTestId('profile-name').fill('Bench')
    await page.getByTestId('profile-save').click()
    await page.getByTestId('import-path').fill(dir)
    await page.getByTestId('import-path-go').click()
    await page.waitForFunction(
      (n) => {
        const rows = Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="case-row"]'))
        return rows.length === n && rows.every((r) => r.getAttribute('data-analysis') === 'done' || r.getAttribute('data-analysis') === 'failed')
      },
      nRecords,
      { timeout: 300_000 },
    )
    const failed = await page.locator('[data-analysis="failed"]').count()
    if (failed > 0) {
      const why = await page.locator('[data-analysis="failed"] .needs-read').first().getAttribute('title')
      console.log(`case open: NOT MEASURED, ${failed} of ${nRecords} records failed analysis (${why}); it needs working models`)
    }

    // 1. case open -> 12 leads + heatmap drawn, timed inside the page (no Playwright round trips in the figure)
    const times: number[] = []
    const leadTimes: number[] = []
    for (let i = 0; i < (failed > 0 ? 0 : nRecords); i++) {
      await page.getByTestId('nav-worklist').click()
      await page.waitForSelector('[data-testid="case-row"]')
      const t = await page.evaluate(async (index) => {
        const g = globalThis as unknown as PageGlobals
        const btn = g.document.querySelectorAll('[data-testid="open-case"]')[index]!
        const t0 = performance.now()
        let leads = 0
        btn.click()
        await new Promise<void>((done) => {
          const check = (): void => {
            const v = g.document.querySelector('.ecg-viewer')
            const drawn = v?.dataset.ready === 'true' && v.dataset.leads?.split(',').length === 12
            if (drawn && leads === 0) leads = performance.now() - t0
            if (drawn && v?.dataset.heatmap === 'on') g.requestAnimationFrame(() => done())
            else g.requestAnimationFrame(check)
          }
          check()
        })
        return { leads, all: performance.now() - t0 }
      }, i)
      times.push(t.all)
      leadTimes.push(t.leads)
    }
    if (leadTimes.length > 0) console.log(`case open -> 12 leads drawn: ${stats(leadTimes)}`)
    if (times.length > 0) console.log(`case open -> 12 leads + heatmap: ${stats(times)}`)

    // 2. seed N cases straight into IndexedDB (clones of a real triaged row), reload, scroll
    await page.getByTestId('nav-worklist').click()
    await page.evaluate(async (n) => {
      const g = globalThis as unknown as PageGlobals
      const db = await new Promise<IdbDb>((res, rej) => {
        const r = g.indexedDB.open('ecg-workstation')
        r.onsuccess = () => res(r.result)
        r.onerror = () => rej(r.error)
      })
      const template = await new Promise<Record<string, unknown>>((res) => {
        const r = db.transaction('cases').objectStore('cases').openCursor()
        r.onsuccess = () => res(r.result!.value as Record<string, unknown>)
      })
      const tx = db.transaction('cases', 'readwrite')
      const store = tx.objectStore('cases')
      const tiers = ['urgent', 'non-urgent', 'normal']
      for (let i = 0; i < n; i++) {
        const id = (0xb000000 + i).toString(16).padStart(64, 'f')
        const tierKey = tiers[i % 3]
        store.put({ ...template, id, tierKey, urgency: tierKey === 'urgent' ? 0 : 3, importedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), summary: { ...(template.summary as object), id, name: `seed-${i}` } })
      }
      await new Promise<void>((res, rej) => {
        tx.oncomplete = () => res()
        tx.onerror = () => rej(tx.error)
      })
      db.close()
    }, nCases)
    const t0 = Date.now()
    await page.reload()
    await page.waitForFunction(
      (n) => (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="worklist-count"]')?.textContent?.includes(`of ${n} cases`),
      nCases + nRecords,
      { timeout: 60_000 },
    )
    console.log(`worklist load with ${nCases + nRecords} cases: ${Date.now() - t0} ms (reload to rendered)`)
    const scroll = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals
      const el = g.document.querySelector('[data-testid="worklist-scroller"]')!
      const frames: number[] = []
      let last = performance.now()
      const start = last
      let domRowsMax = 0
      await new Promise<void>((done) => {
        const step = (now: number): void => {
          frames.push(now - last)
          last = now
          el.scrollTop += 90 // ~2 rows per frame: a brisk wheel/trackpad scroll
          domRowsMax = Math.max(domRowsMax, g.document.querySelectorAll('[data-testid="case-row"]').length)
          if (frames.length < 300 && el.scrollTop + el.clientHeight < el.scrollHeight) g.requestAnimationFrame(step)
          else done()
        }
        g.requestAnimationFrame(step)
      })
      const elapsed = performance.now() - start
      const sorted = frames.slice(1).sort((a, b) => a - b)
      return { fps: (frames.length - 1) / (elapsed / 1000), p95: sorted[Math.floor(0.95 * sorted.length)] ?? 0, worst: sorted[sorted.length - 1] ?? 0, domRowsMax, frames: frames.length }
    })
    console.log(`worklist scroll (${nCases + nRecords} cases, ${scroll.frames} frames): ${scroll.fps.toFixed(1)} fps, p95 frame ${scroll.p95.toFixed(1)} ms, worst ${scroll.worst.toFixed(1)} ms, at most ${scroll.domRowsMax} rows in the DOM`)
  } finally {
    await browser.close()
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
