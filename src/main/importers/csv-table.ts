/**
 * Small RFC 4180 CSV reader for the metadata tables that travel with datasets (SPH metadata.csv, PTB-XL
 * ptbxl_database.csv): quoted fields may hold delimiters, doubled quotes and line breaks.
 */

/** (text) -> rows of fields. Empty lines are dropped. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === delimiter) {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      if (row.length > 1 || row[0] !== '') rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.length > 1 || row[0] !== '') rows.push(row)
  return rows
}

/** Rows as objects keyed by the header row; `key` picks the column that indexes the table. */
export function csvIndex(text: string, key: string): { columns: string[]; rows: Map<string, Record<string, string>> } {
  const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ''))
  const columns = (header ?? []).map((h) => h.trim())
  const rows = new Map<string, Record<string, string>>()
  const k = columns.indexOf(key)
  if (k < 0) return { columns, rows }
  for (const r of body) {
    const obj: Record<string, string> = {}
    columns.forEach((c, i) => (obj[c] = r[i] ?? ''))
    rows.set((r[k] ?? '').trim(), obj)
  }
  return { columns, rows }
}
