// `npm start`: launch the Electron app when its binary is present (or can be fetched); otherwise say so plainly
// and point to the headless commands, which need no Electron.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const electronDir = dirname(require.resolve('electron/package.json'))
const pathTxt = join(electronDir, 'path.txt')
let binary = existsSync(pathTxt) ? join(electronDir, 'dist', readFileSync(pathTxt, 'utf8')) : null
if (!binary || !existsSync(binary)) {
  console.log('Electron binary not installed; trying to download it (needs internet)...')
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 })
  // electron's installer prints a stack trace when offline: show only its first line
  const why = `${r.stderr ?? ''}`.split('\n').find((l) => l.trim()) ?? ''
  if (r.status !== 0 && why) console.error(`Download failed: ${why.trim()}`)
  binary = existsSync(pathTxt) ? join(electronDir, 'dist', readFileSync(pathTxt, 'utf8')) : null
  if (r.status !== 0 || !binary || !existsSync(binary)) {
    console.error(
      [
        '',
        'The Electron binary is not available on this machine (no internet to fetch it), so the desktop app cannot start.',
        'Everything else works headless:',
        '  npm run triage -- ../shared/data/ptbxl/records500/00000     triage ECG files or folders',
        '  npm run evaluate -- --help                                  metrics on a labelled set',
        '  npm run host                                                the workstation UI in a browser (same services)',
        '',
      ].join('\n'),
    )
    process.exit(1)
  }
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const run = spawnSync(binary, ['.'], { stdio: 'inherit' })
process.exit(run.status ?? 0)
