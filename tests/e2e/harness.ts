/**
 * End-to-end harness: the REAL main-process services (composeServices) behind the browser host, the built
 * renderer, and Debian's Chromium driven by playwright-core. Nothing here fakes a service: when one has not
 * been wired into compose yet, startHost() fails and says which.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { ChannelName } from '@shared/contract'
import { composeServices, type Services } from '../../src/main/app/compose'
import { HostServer } from '../../src/main/host/server'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const sharedData = resolve(repoRoot, '../shared/data')

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** The channels the workstation cannot work without. */
export const REQUIRED_CHANNELS: ChannelName[] = ['records:importPaths', 'records:importFiles', 'records:get', 'inference:analyze', 'inference:explain', 'report:pdf']

export function requireSharedData(sub: string): string {
  const p = join(sharedData, sub)
  if (!existsSync(p)) throw new Error(`e2e needs the shared data at ${p} (expected ../shared/data beside the repository); it is missing`)
  return p
}

/** Copy PTB-XL records 1..n (500 Hz, .hea + .dat) into a fresh folder. */
export function ptbxlSubset(n: number, into: string): string[] {
  const src = requireSharedData('ptbxl/records500/00000')
  mkdirSync(into, { recursive: true })
  const names: string[] = []
  for (let i = 1; i <= n; i++) {
    const name = `${String(i).padStart(5, '0')}_hr`
    for (const ext of ['.hea', '.dat']) copyFileSync(join(src, name + ext), join(into, name + ext))
    names.push(name)
  }
  return names
}

export interface Host {
  url: string
  userDataDir: string
  services: Services
  close(): Promise<void>
}

export async function startHost(userDataDir = mkdtempSync(join(tmpdir(), 'ecg-e2e-'))): Promise<Host> {
  const rendererDir = join(repoRoot, 'out/renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`${rendererDir}/index.html missing: build first (npm run test:e2e builds; or npx electron-vite build)`)
  // ECG_APP_ROOT runs the journey against another models/ + resources/ root (e.g. freshly trained models)
  const services = await composeServices({ userDataDir, electron: false, appRoot: process.env.ECG_APP_ROOT ?? repoRoot })
  const missing = REQUIRED_CHANNELS.filter((c) => typeof (services.handlers as Record<string, unknown>)[c] !== 'function')
  if (missing.length > 0) {
    await services.dispose()
    throw new Error(`composeServices() does not wire these channels yet: ${missing.join(', ')} (their main-side service has not landed in src/main/app/compose.ts)`)
  }
  const server = new HostServer({ handlers: services.handlers, events: services.events, rendererDir })
  const { url } = await server.listen(0)
  return {
    url,
    userDataDir,
    services,
    async close() {
      await server.close()
      await services.dispose()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('e2e needs Debian Chromium at /usr/bin/chromium (apt-get install chromium); never `npx playwright install`')
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * A page with a 1600-px-wide viewport. tsx/esbuild wrap named functions in `__name(...)` (keepNames); functions
 * passed to page.evaluate are serialised with that call in them, so the page gets a no-op __name.
 */
export async function newPage(browser: Browser, height = 1400): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height } })
  await page.addInitScript('globalThis.__name = (f) => f')
  return page
}
