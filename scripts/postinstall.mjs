// Post-install: fetch what the registry cannot carry, only when it can be fetched.
// - onnxruntime-node's CUDA provider (linux/x64, NVIDIA driver present): .npmrc skips ORT's own download so an
//   offline install never fails; here we run it when a GPU and the NuGet host are both reachable.
// - The Electron binary is fetched lazily by electron itself on first `npm start`; we pre-fetch it when online.
// Never fails the install: an offline machine gets the CPU runtime and the headless commands.
import { spawnSync, execFileSync } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
if (process.env.CI || process.env.ECG_SKIP_POSTINSTALL) process.exit(0)

async function reachable(host) {
  try {
    await Promise.race([lookup(host), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000))])
    return true
  } catch {
    return false
  }
}

function hasNvidiaGpu() {
  try {
    execFileSync('nvidia-smi', ['-L'], { stdio: 'ignore', timeout: 5000 })
    return true
  } catch {
    return false
  }
}

const notes = []
if (process.platform === 'linux' && process.arch === 'x64' && hasNvidiaGpu()) {
  if (await reachable('api.nuget.org')) {
    const script = join(dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js')
    const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' }
    delete env.npm_config_onnxruntime_node_install
    const r = spawnSync(process.execPath, [script], { stdio: 'inherit', env, timeout: 600_000 })
    notes.push(r.status === 0 ? 'CUDA execution provider installed' : 'CUDA provider download failed: CPU will be used')
  } else notes.push('GPU found but the CUDA provider host is unreachable: CPU will be used')
}
try {
  const electronDir = dirname(require.resolve('electron/package.json'))
  if (!existsSync(join(electronDir, 'path.txt')) && (await reachable('github.com'))) {
    const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 600_000 })
    notes.push(r.status === 0 ? 'Electron binary installed' : 'Electron binary download failed: `npm start` will retry')
  }
} catch {
  /* electron is a dev dependency; absent in a production install */
}
for (const n of notes) console.log(`[postinstall] ${n}`)
