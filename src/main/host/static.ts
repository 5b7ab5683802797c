/**
 * Static file serving for the built renderer (out/renderer). Only files under the root are served; any path
 * that escapes it (../, encoded or not) is refused. The renderer routes by hash, so '/' is index.html.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
}

export interface StaticFile {
  body: Buffer
  contentType: string
}

/** Resolve a URL path to a file under `root`, or null when it does not exist or escapes the root. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const rootAbs = resolve(root)
  const file = resolve(rootAbs, normalize(rel))
  if (file !== rootAbs && !file.startsWith(rootAbs + sep)) return null
  try {
    const s = await stat(file)
    const target = s.isDirectory() ? join(file, 'index.html') : file
    const body = await readFile(target)
    return { body, contentType: TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream' }
  } catch {
    return null
  }
}
