import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Test helpers: the shared data folder (../shared/data beside the repo) and the few readers the label tests need. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const dataDir = path.resolve(repoRoot, '../shared/data')

/** Fails loudly (never skips) when the shared data is absent. */
export function requireData(rel: string): string {
  const p = path.join(dataDir, rel)
  if (!existsSync(p)) throw new Error(`shared data missing: ${p} not found (expected ../shared/data beside the repository, see ../shared/README.md)`)
  return p
}

/** Minimal RFC 4180 CSV reader (quoted fields may hold commas, doubled quotes and newlines). */
export function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(field); field = '' }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field); rows.push(row); row = []; field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row) }
  const [header = [], ...body] = rows.filter((r) => r.length > 1 || r[0] !== '')
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

/** PTB-XL database rows: ecg_id, scp_codes (Python dict literal), heart_axis (may be empty). */
export function ptbxlRows(): { ecgId: string; scpCodes: string; heartAxis: string }[] {
  return readCsv(requireData('ptbxl/ptbxl_database.csv')).map((r) => ({ ecgId: r.ecg_id ?? '', scpCodes: r.scp_codes ?? '', heartAxis: r.heart_axis ?? '' }))
}

/** CinC records: name and the SNOMED codes of the '#Dx:' header line. */
export function cincRecords(): { record: string; dx: string[] }[] {
  const root = requireData('cinc')
  const out: { record: string; dx: string[] }[] = []
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.hea')).sort()) {
      const line = readFileSync(path.join(root, dir, f), 'utf8').split(/\r?\n/).find((l) => l.startsWith('#Dx'))
      if (!line) throw new Error(`${dir}/${f}: no #Dx line`)
      out.push({ record: `${dir}/${f.slice(0, -4)}`, dx: line.slice(line.indexOf(':') + 1).split(',').map((s) => s.trim()).filter(Boolean) })
    }
  }
  return out
}
