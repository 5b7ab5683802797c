/** `triage <files or folders...>`: import, run both stages in the inference worker, print one line per record. */
import { relative } from 'node:path'
import { createImporterRegistry } from '../importers'
import { createInference } from '../inference/create'
import type { TriageArgs } from './args'
import { formatCsv, formatJson, formatTable, type TriageRow } from './format'
import { cliAppRoot, cliUserDataDir } from './paths'
import { join } from 'node:path'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
}

/** Thrown when no analysis can run at all (no usable models): the CLI exits non-zero with this message. */
export class CannotRunError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'CannotRunError'
  }
}

/** The shorter of the path relative to the working directory and the absolute path. */
const show = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel && rel.length < file.length ? rel : file
}

export async function triage(args: TriageArgs, io: CliIo): Promise<TriageRow[]> {
  const appRoot = cliAppRoot()
  const userData = cliUserDataDir()
  const outcomes = await createImporterRegistry().importPaths(args.paths)
  if (outcomes.length === 0) io.err(`no ECG records found in ${args.paths.join(', ')}`)
  const inf = await createInference({ shippedDir: join(appRoot, 'models'), userDir: join(userData, 'models'), stateFile: join(userData, 'models-state.json'), batchSize: args.batch })
  try {
    const tierId = args.scheme ? `triage-${args.scheme}` : undefined
    try {
      await inf.service.models(tierId)
    } catch (err) {
      const refused = inf.registry.list().filter((m) => m.status === 'refused').map((m) => `  ${m.id}@${m.version}: ${m.message}`)
      throw new CannotRunError(`${(err as Error).message}${refused.length ? `\nrefused models:\n${refused.join('\n')}` : ''}`)
    }
    const rows: TriageRow[] = new Array(outcomes.length)
    const records: Array<{ i: number; rec: Extract<(typeof outcomes)[number], { ok: true }>['value'] }> = []
    outcomes.forEach((o, i) => {
      if (o.ok) records.push({ i, rec: o.value })
      else rows[i] = { file: show(o.file), ok: false, error: o.message }
    })
    const { results } = await inf.service.analyzeRecords('cli', records.map((r) => r.rec), tierId ? { tierId } : {})
    results.forEach((res, k) => {
      const { i, rec } = records[k]!
      const file = show(rec.sourceFiles[0] ?? outcomes[i]!.file)
      rows[i] = res.ok ? { file, name: rec.name, ok: true, result: res.result } : { file, name: rec.name, ok: false, error: res.message }
    })
    io.out(args.format === 'json' ? formatJson(rows) : args.format === 'csv' ? formatCsv(rows) : formatTable(rows))
    if (args.format === 'table') {
      const ok = rows.filter((r) => r.ok)
      const provider = inf.service.executionProvider
      const models = ok[0]?.ok ? ok[0].result.provenance.models.map((m) => `${m.id}@${m.version}`).join(', ') : ''
      io.out(`\n${ok.length} analysed, ${rows.length - ok.length} failed; models ${models}; execution provider ${provider}. Not for clinical use.`)
    }
    return rows
  } finally {
    await inf.dispose()
  }
}
