/**
 * Runs every benchmark script in bench/ (each *.ts except this one) one after another, each in its own process
 * so that their memory figures do not mix, and prints their output and a summary. Benchmarks print figures;
 * none asserts a speed. A script that fails is reported and the others still run.
 * Run: npm run bench [-- name-filter ...]   e.g. npm run bench -- inference import
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const filters = process.argv.slice(2)
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
if (scripts.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`)
  process.exit(2)
}
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')

function run(script: string): Promise<{ code: number; seconds: number }> {
  const t0 = performance.now()
  return new Promise((res) => {
    const child = spawn(process.execPath, [tsx, join(here, script)], { cwd: root, stdio: 'inherit' })
    child.on('close', (code) => res({ code: code ?? -1, seconds: (performance.now() - t0) / 1000 }))
    child.on('error', () => res({ code: -1, seconds: (performance.now() - t0) / 1000 }))
  })
}

const summary: string[] = []
for (const s of scripts) {
  console.log(`\n=== bench/${s} ${'='.repeat(Math.max(0, 60 - s.length))}`)
  const { code, seconds } = await run(s)
  summary.push(`${code === 0 ? 'ok    ' : `FAILED (exit ${code})`}  ${s}  ${seconds.toFixed(1)} s`)
}
console.log(`\n=== summary ${'='.repeat(56)}\n${summary.join('\n')}`)
process.exitCode = summary.some((l) => l.startsWith('FAILED')) ? 1 : 0
