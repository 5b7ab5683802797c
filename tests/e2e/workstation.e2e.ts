/**
 * The clinician workstation end to end: real renderer (built), real main-process services (browser host),
 * real PTB-XL records, Debian Chromium. One journey, in order: profile -> import (path + file upload) ->
 * background triage -> worklist order -> open the most urgent case -> heatmap toggle -> ECG canvas check ->
 * confirm + sign -> report PDF -> reload: everything persisted, audit chain intact.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changedFraction, decodePng, fraction, histogramMode, runsPerColumn, type Image } from './png'
import { launchChromium, newPage, ptbxlSubset, startHost, type Host } from './harness'

const N_PATH = 18
const N_UPLOAD = 2
let host: Host
let browser: Browser
let page: Page
let recordsDir: string
const USER = 'Dr E2E Tester'

beforeAll(async () => {
  recordsDir = mkdtempSync(join(tmpdir(), 'ecg-e2e-records-'))
  ptbxlSubset(N_PATH + N_UPLOAD, join(recordsDir, 'all'))
  // the folder import (path) takes the first 18; the last two go through the browser upload (bytes) path.
  // Folders are imported recursively, so the upload files live beside the imported folder, not inside it.
  mkdirSync(join(recordsDir, 'folder'))
  mkdirSync(join(recordsDir, 'upload'))
  for (let i = 1; i <= N_PATH + N_UPLOAD; i++) {
    for (const ext of ['.hea', '.dat']) {
      const name = `${String(i).padStart(5, '0')}_hr${ext}`
      renameSync(join(recordsDir, 'all', name), join(recordsDir, i <= N_PATH ? 'folder' : 'upload', name))
    }
  }
  host = await startHost()
  browser = await launchChromium()
  page = await newPage(browser, 2000) // tall enough for the whole 12x1 paper in one screenshot
  page.on('pageerror', (e) => console.error('[page error]', e.message))
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  if (recordsDir) rmSync(recordsDir, { recursive: true, force: true })
  if (!brokenStep) rmSync(shotsDir, { recursive: true, force: true })
})

async function rows(): Promise<{ id: string; tier: string; urgency: number; analysis: string; status: string }[]> {
  return page.$$eval('[data-testid="case-row"]', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-case-id') ?? '',
      tier: e.getAttribute('data-tier') ?? '',
      urgency: Number(e.getAttribute('data-urgency')),
      analysis: e.getAttribute('data-analysis') ?? '',
      status: e.querySelector('.c-status')?.getAttribute('data-status') ?? '',
    })),
  )
}

let shotCount = 0
const shotsDir = mkdtempSync(join(tmpdir(), 'ecg-e2e-shots-'))
/** Screenshot of the ECG paper; the folder is kept when a step failed so the pixel checks can be looked at. */
async function paperShot(): Promise<Image & { path: string }> {
  const path = join(shotsDir, `paper-${++shotCount}.png`)
  return { ...decodePng(await page.locator('.ecg-viewer__paper').screenshot({ path })), path }
}

/** One journey: once a step fails, later steps fail at once naming it, instead of timing out one by one. */
let brokenStep: string | null = null
function step(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    if (brokenStep) throw new Error(`not run: the earlier step "${brokenStep}" failed`)
    try {
      await fn()
    } catch (err) {
      brokenStep = name
      throw err
    }
  })
}

const isMajorGrid = (r: number, g: number, b: number) => Math.abs(r - 0xe0) < 24 && Math.abs(g - 0x87) < 24 && Math.abs(b - 0x7f) < 24
const isMinorGrid = (r: number, g: number, b: number) => Math.abs(r - 0xf3) < 14 && Math.abs(g - 0xc4) < 14 && Math.abs(b - 0xbf) < 14
// trace ink: dark and grey (anti-aliased 1-px lines are mid grey); the grid is light and pink
const isInk = (r: number, g: number, b: number) => r + g + b < 3 * 150 && Math.max(r, g, b) - Math.min(r, g, b) < 50

describe('clinician workstation (browser host, real services, PTB-XL)', () => {
  step('sets up a profile and imports records by path and by upload; triage runs in the background', async () => {
    await page.goto(host.url)
    await page.getByTestId('profile-name').fill(USER)
    await page.getByTestId('profile-role').selectOption('gp')
    await page.getByTestId('profile-save').click()
    await page.getByTestId('import-path').fill(join(recordsDir, 'folder'))
    await page.getByTestId('import-path-go').click()
    await expect.poll(async () => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain(`Imported ${N_PATH} record(s), 0 failed`)
    await page.getByTestId('file-input').setInputFiles(['hea', 'dat'].flatMap((ext) => [19, 20].map((i) => join(recordsDir, 'upload', `000${i}_hr.${ext}`))))
    await expect.poll(async () => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain(`Imported ${N_UPLOAD} record(s), 0 failed`)
    await expect.poll(async () => (await rows()).length).toBe(N_PATH + N_UPLOAD)
    await expect.poll(async () => (await rows()).every((r) => r.analysis === 'done' || r.analysis === 'failed'), { timeout: 120_000, interval: 500 }).toBe(true)
    const all = await rows()
    const failed = all.filter((r) => r.analysis === 'failed')
    if (failed.length > 0) {
      const why = await page.locator(`[data-case-id="${failed[0]!.id}"] .needs-read`).getAttribute('title')
      throw new Error(`${failed.length} of ${all.length} records failed analysis, e.g.: ${why}`)
    }
  })

  step('orders the worklist by urgency: urgent first, then needs-a-read, then the rest', async () => {
    const all = await rows()
    for (let i = 1; i < all.length; i++) expect(all[i]!.urgency).toBeGreaterThanOrEqual(all[i - 1]!.urgency)
    const urgent = all.filter((r) => r.tier === 'urgent' || r.tier === 'critical')
    expect(urgent.length, `tiers seen: ${all.map((r) => r.tier).join(',')}`).toBeGreaterThan(0)
    expect(['urgent', 'critical']).toContain(all[0]!.tier)
  })

  step('switches the paper to 12x1 in settings (persisted for the reload check)', async () => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-layout').selectOption('12x1')
    await page.getByTestId('nav-worklist').click()
    await expect.poll(async () => (await rows()).length).toBe(N_PATH + N_UPLOAD)
  })

  step('opens the most urgent case: 12 leads on a gridded paper, Grad-CAM heatmap toggles', async () => {
    const first = (await rows())[0]!
    await page.locator(`[data-case-id="${first.id}"] [data-testid="open-case"]`).click()
    const viewer = page.locator('.ecg-viewer')
    await expect.poll(async () => viewer.getAttribute('data-ready'), { timeout: 60_000 }).toBe('true')
    expect((await viewer.getAttribute('data-leads'))!.split(',')).toHaveLength(12)
    expect(await viewer.getAttribute('data-layout')).toBe('12x1')
    await expect.poll(async () => viewer.getAttribute('data-heatmap'), { timeout: 60_000 }).toBe('on')
    expect(await page.getByTestId('stage1-tier').textContent()).toMatch(/Urgent|Critical/)
    expect(await page.getByTestId('recommended-action').textContent()).toContain('Refer urgently')

    await page.getByTestId('heatmap-toggle').uncheck()
    await expect.poll(async () => viewer.getAttribute('data-heatmap')).toBe('off')
    const plain = await paperShot()
    expect(fraction(plain, isMinorGrid), 'minor grid lines').toBeGreaterThan(0.03)
    expect(fraction(plain, isMajorGrid), 'major grid lines').toBeGreaterThan(0.005)
    // 12x1 layout: each lead's trace crosses every column once, so most columns hold 12 separate runs of ink
    const runs = runsPerColumn(plain, isInk)
    const mode = histogramMode(runs)
    expect(mode.value, `ink runs per column ${JSON.stringify(runs)} in ${plain.path}`).toBe(12)
    expect(mode.share).toBeGreaterThan(0.5)

    await page.getByTestId('heatmap-toggle').check()
    await expect.poll(async () => viewer.getAttribute('data-heatmap')).toBe('on')
    await page.waitForTimeout(200)
    const heat = await paperShot()
    // the heatmap tints the paper where the model looked (and the most attributed lead): those pixels change
    const changed = changedFraction(plain, heat)
    expect(changed, `pixels changed by the heatmap: ${changed} (${plain.path} vs ${heat.path})`).toBeGreaterThan(0.005)
  })

  step('explains a Stage 2 code and confirms + signs the AI result, audited', async () => {
    await page.getByTestId('tab-stage2').click()
    const code = page.getByTestId('code-item').first()
    if ((await code.count()) > 0) {
      await code.click()
      await expect.poll(async () => page.getByTestId('explain-target').textContent(), { timeout: 60_000 }).toContain(`${await code.getAttribute('data-code')}`)
    }
    await expect(page.getByTestId('unconfirmed').isVisible()).resolves.toBe(true)
    await page.getByTestId('confirm').click()
    await expect.poll(async () => page.getByTestId('review-line').textContent()).toContain(`Confirmed by ${USER}`)
    await page.getByTestId('sign-name').fill(USER)
    await page.getByTestId('sign').click()
    await expect.poll(async () => page.getByTestId('signed-line').textContent()).toContain(`Signed by ${USER}`)
  })

  step('renders the report and exports a real PDF', async () => {
    await page.getByTestId('open-report').click()
    await expect.poll(async () => page.getByTestId('report-signed').textContent()).toContain(USER)
    expect(await page.getByTestId('report-tier').textContent()).toMatch(/Urgent|Critical/)
    await expect.poll(async () => page.locator('.ecg-viewer').getAttribute('data-ready'), { timeout: 60_000 }).toBe('true')
    await page.getByTestId('export-pdf').click() // browser host: 'report:pdf' is unsupported -> window.print (no-op headless), audited
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true })
    await page.emulateMedia({ media: 'screen' })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages.length).toBeGreaterThanOrEqual(1)
    expect(pdf.length).toBeGreaterThan(20_000)
  })

  step('after a reload everything is persisted and the audit chain verifies', async () => {
    const signedId = decodeURIComponent(new URL(page.url()).hash.split('/').pop() ?? '')
    await page.goto(host.url)
    await expect.poll(async () => (await rows()).length, { timeout: 30_000 }).toBe(N_PATH + N_UPLOAD)
    const after = await rows()
    const signed = after.find((r) => r.id === signedId)!
    expect(signed.status).toBe('signed')
    expect(after.at(-1)!.id).toBe(signedId) // signed cases sink to the bottom
    expect(await page.getByTestId('who').textContent()).toContain(USER)
    await page.locator(`[data-case-id="${signedId}"] [data-testid="open-case"]`).click()
    await expect.poll(async () => page.getByTestId('signed-line').textContent()).toContain(USER)
    expect(await page.locator('.ecg-viewer').getAttribute('data-layout')).toBe('12x1')
    await page.getByTestId('audit').locator('summary').click()
    const auditText = await page.getByTestId('audit').textContent()
    for (const a of ['case.import', 'case.analyze', 'overread.confirm', 'overread.sign', 'report.export']) expect(auditText).toContain(a)
    await page.getByTestId('verify-chain').click()
    await expect.poll(async () => page.getByTestId('chain-status').textContent()).toMatch(/Audit chain intact \(\d+ entries\)/)
  })
})
