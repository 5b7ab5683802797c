/**
 * Execution providers: which accelerators to try, in order, on this machine, and the fallback to CPU when a
 * provider fails to initialise (no driver, missing add-on library, unsupported operator set).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * onnxruntime-node ships only the CPU provider in its npm package (plus DirectML on Windows and CoreML on
 * macOS); the CUDA provider is an add-on library that scripts/postinstall.mjs downloads when a GPU and the
 * network are present. Trying CUDA without it costs a failed session creation, so look for the file first.
 */
export function cudaLibraryPresent(platform: NodeJS.Platform = process.platform, arch: string = process.arch): boolean {
  try {
    const req = createRequire(import.meta.url)
    const root = dirname(req.resolve('onnxruntime-node/package.json'))
    const dir = join(root, 'bin', 'napi-v6', platform, arch)
    const file = platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'
    return existsSync(join(dir, file))
  } catch {
    return false
  }
}

/** Providers to try, most capable first; always ends with 'cpu'. ECG_EXECUTION_PROVIDERS=a,b overrides. */
export function defaultProviders(platform: NodeJS.Platform = process.platform, hasCuda = cudaLibraryPresent(platform)): string[] {
  const override = process.env.ECG_EXECUTION_PROVIDERS?.split(',').map((s) => s.trim()).filter(Boolean)
  if (override && override.length > 0) return override.includes('cpu') ? override : [...override, 'cpu']
  const list: string[] = []
  if ((platform === 'linux' || platform === 'win32') && hasCuda) list.push('cuda')
  if (platform === 'win32') list.push('dml')
  if (platform === 'darwin') list.push('coreml')
  list.push('cpu')
  return list
}

export interface ProviderAttempt {
  provider: string
  error: string
}

export interface Opened<S> {
  session: S
  provider: string
  /** Providers that were tried before `provider` and failed, with why. */
  failed: ProviderAttempt[]
}

/**
 * Open with the first provider that works. Each provider is tried alone (ORT adds its CPU kernels for
 * operators the accelerator lacks), so a failure is attributable to that provider.
 */
export async function openWithFallback<S>(providers: readonly string[], open: (provider: string) => Promise<S>): Promise<Opened<S>> {
  const failed: ProviderAttempt[] = []
  for (const provider of providers) {
    try {
      return { session: await open(provider), provider, failed }
    } catch (err) {
      failed.push({ provider, error: err instanceof Error ? err.message : String(err) })
    }
  }
  const detail = failed.map((f) => `${f.provider}: ${f.error}`).join('; ')
  throw new Error(`no execution provider could open the model (${detail})`)
}
