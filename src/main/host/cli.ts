/**
 * `npm run host [-- --port 5174] [--user-data DIR] [--renderer out/renderer]`: serve the built renderer and the
 * main-process services to a browser on 127.0.0.1. Without --user-data a fresh temp folder is used (and kept,
 * so a restart with --user-data can reuse it). Build the renderer first: `npx electron-vite build`.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { composeServices } from '../app/compose'
import { HostServer } from './server'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5174' },
      'user-data': { type: 'string' },
      renderer: { type: 'string', default: 'out/renderer' },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`)
  const rendererDir = resolve(values.renderer)
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`--renderer: ${rendererDir}/index.html not found; run \`npx electron-vite build\` first`)
  const userDataDir = values['user-data'] ? resolve(values['user-data']) : mkdtempSync(join(tmpdir(), 'ecg-host-'))
  const services = await composeServices({ userDataDir, electron: false })
  const server = new HostServer({ handlers: services.handlers, events: services.events, rendererDir })
  const { url } = await server.listen(port)
  console.log(`ECG workstation host: ${url}  (user data: ${userDataDir})`)
  const stop = async (): Promise<void> => {
    await server.close()
    await services.dispose()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
