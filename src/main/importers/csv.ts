/**
 * Delimited text ECGs: a header row of lead names, then one row per sample, one column per lead (comma,
 * semicolon, tab or whitespace separated). Optional leading '#' lines carry `sampling_rate=500` (or fs=,
 * sampling_frequency=) and `units=uV` (default mV). Columns named like a time axis are skipped.
 */
import type { EcgRecord } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import { normaliseLeadName } from '@shared/leads'
import { assembleRecord, singleFileIdentity, type RawChannel } from './assemble'
import { asText, decodeText, extension, splitLines } from './text'
import type { ImportContext, Importer, SourceFile } from './types'
import { unitsToMv } from './wfdb-header'

const TIME_COLUMN = /^(time|t|sample|samples|index|idx|ms|s|sec|seconds|timestamp)(\s*\(.*\))?$/i
const RATE_KEYS = new Set(['sampling_rate', 'samplingrate', 'sampling_frequency', 'fs', 'sample_rate', 'rate'])

function delimiterOf(header: string): string | RegExp {
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const)
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a))
  return best[1] > 0 ? best[0] : /\s+/
}

function splitRow(line: string, delimiter: string | RegExp): string[] {
  return line.trim().split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'))
}

/** '#' directives as lower-case key -> value ("# sampling_rate=500", "# fs: 250 Hz"). */
function directives(lines: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const l of lines) {
    const m = /^#\s*([\w ]+?)\s*[=:]\s*(.+?)\s*$/.exec(l)
    if (m) out.set(m[1]!.toLowerCase().replace(/ /g, '_'), m[2]!)
  }
  return out
}

export class CsvImporter implements Importer {
  readonly format = 'csv' as const

  sniff(head: Uint8Array, baseName: string, strict: boolean): boolean {
    const text = asText(head, true)
    if (text === undefined) return false
    if (!strict && ['csv', 'tsv', 'txt'].includes(extension(baseName))) return true
    // Without a telling extension (or in a folder scan), claim text whose first row names a standard lead.
    const header = splitLines(text).find((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    return header !== undefined && splitRow(header, delimiterOf(header)).some((c) => normaliseLeadName(c) !== undefined)
  }

  async read(file: SourceFile, ctx: ImportContext): Promise<EcgRecord> {
    const bytes = await file.read()
    const text = decodeText(bytes)
    if (text === undefined) throw new EcgImportError('unknown-format', file.name, 'not a text file, so not a CSV ECG')
    const lines = splitLines(text)
    let h = 0
    while (h < lines.length && (lines[h]!.trim() === '' || lines[h]!.trim().startsWith('#'))) h++
    const dir = directives(lines.slice(0, h).map((l) => l.trim()))
    const headerLine = lines[h]
    if (headerLine === undefined) throw new EcgImportError('empty-file', file.name, 'no header row of lead names')
    const delimiter = delimiterOf(headerLine)
    const names = splitRow(headerLine, delimiter)
    if (names.every((n) => n !== '' && Number.isFinite(Number(n)))) {
      throw new EcgImportError('malformed-header', file.name, 'the first row holds numbers; a header row of lead names (I, II, ..., V6) is required')
    }
    const rateKey = [...dir.keys()].find((k) => RATE_KEYS.has(k))
    const rate = rateKey !== undefined ? parseFloat(dir.get(rateKey)!) : ctx.options.csvSamplingRateHz
    if (rate === undefined) {
      throw new EcgImportError('bad-sampling-rate', file.name, 'no sampling rate: add a "# sampling_rate=500" line above the header or give the CSV sampling rate when importing')
    }
    const unitFactor = unitsToMv(dir.get('units') ?? 'mV')
    if (unitFactor === undefined) throw new EcgImportError('unsupported-format', file.name, `units "${dir.get('units')}" are not a voltage`)
    const keep = names.map((n, i) => [n, i] as const).filter(([n]) => !TIME_COLUMN.test(n))
    const body = lines.slice(h + 1)
    while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop()
    // (rows, columns) text -> columns x (rows,) millivolts
    const cols = keep.map(() => new Float32Array(body.length))
    for (let r = 0; r < body.length; r++) {
      const fields = splitRow(body[r]!, delimiter)
      const lineNo = h + 2 + r
      if (fields.length !== names.length) {
        throw new EcgImportError('length-mismatch', file.name, `line ${lineNo} has ${fields.length} fields, the header ${names.length}`)
      }
      for (let k = 0; k < keep.length; k++) {
        const [name, i] = keep[k]!
        const raw = fields[i]!
        const v = raw === '' ? NaN : Number(raw)
        if (!Number.isFinite(v)) throw new EcgImportError('non-finite-samples', file.name, `line ${lineNo}, column "${name}": "${raw}" is not a finite number`)
        cols[k]![r] = v * unitFactor
      }
    }
    const channels: RawChannel[] = keep.map(([name], k) => ({ label: name, samples: cols[k]! }))
    return assembleRecord({
      ...singleFileIdentity(file, bytes, this.format),
      samplingRateHz: rate,
      channels,
      meta: rateKey !== undefined ? {} : { samplingRateSource: 'import option' },
    })
  }
}
