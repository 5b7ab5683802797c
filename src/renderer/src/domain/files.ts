/**
 * Dropped files travel to main as bytes ('records:importFiles'). A record can span companion files
 * (WFDB .hea + .dat, CinC .hea + .mat), so files are grouped by name stem and a group is never split across
 * requests; requests are capped in file count (the contract's limit) and bytes (to keep each POST modest).
 */
export interface NamedBytes {
  name: string
  bytes: Uint8Array<ArrayBuffer>
}

export function stemOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}

export function chunkUploads(files: readonly NamedBytes[], maxFiles = 500, maxBytes = 64 * 1024 * 1024): NamedBytes[][] {
  const groups = new Map<string, NamedBytes[]>()
  for (const f of files) {
    const g = groups.get(stemOf(f.name)) ?? []
    g.push(f)
    groups.set(stemOf(f.name), g)
  }
  const chunks: NamedBytes[][] = []
  let cur: NamedBytes[] = []
  let bytes = 0
  for (const g of groups.values()) {
    const gBytes = g.reduce((a, f) => a + f.bytes.byteLength, 0)
    if (cur.length > 0 && (cur.length + g.length > maxFiles || bytes + gBytes > maxBytes)) {
      chunks.push(cur)
      cur = []
      bytes = 0
    }
    cur.push(...g)
    bytes += gBytes
  }
  if (cur.length > 0) chunks.push(cur)
  return chunks
}

/** Files of a drop, walking dropped folders too (webkitGetAsEntry is the one cross-browser way). */
export async function filesFromDrop(dt: DataTransfer): Promise<File[]> {
  const entries = Array.from(dt.items ?? [])
    .map((i) => i.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null)
  if (entries.length === 0) return Array.from(dt.files ?? [])
  const out: File[] = []
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) out.push(await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej)))
    else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader()
      // readEntries returns at most ~100 entries per call: read until empty
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej))
        if (batch.length === 0) break
        for (const child of batch) await walk(child)
      }
    }
  }
  for (const e of entries) await walk(e)
  return out
}

export async function readFiles(files: readonly File[]): Promise<NamedBytes[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
}
