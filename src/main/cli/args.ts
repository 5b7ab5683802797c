/** Command-line parsing for the headless CLI (pure, so usage errors are testable without spawning). */

export const USAGE = `usage:
  triage <files or folders...> [--format table|json|csv] [--scheme tier3|tier4] [--batch N]
      Import ECG files (WFDB .hea/.dat, CinC .hea/.mat, SPH .h5, HL7 aECG .xml, CSV), run both models and print
      file, tier, confidence, top codes, flags and heart rate. One bad file prints its error; the rest go on.
  evaluate <dataset dir> [--model <id>[@version]] [--cohort internal|external|unseen|all] [--format table|json]
           [--compare <reports/evaluation.json>]
      The thesis's metrics in TypeScript on a labelled set (PTB-XL, CinC, SPH layouts), optionally compared
      with the Python pipeline's report for the same model and data.
environment: ECG_APP_ROOT (folder with models/), ECG_USER_DATA_DIR (local model versions and settings),
             ECG_EXECUTION_PROVIDERS (e.g. "cuda,cpu")`

export class UsageError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'UsageError'
  }
}

export interface TriageArgs {
  command: 'triage'
  paths: string[]
  format: 'table' | 'json' | 'csv'
  scheme?: 'tier3' | 'tier4'
  batch: number
}

export interface EvaluateArgs {
  command: 'evaluate'
  dataset: string
  model?: { id: string; version?: string }
  cohort: 'internal' | 'external' | 'unseen' | 'all'
  format: 'table' | 'json'
  compare?: string
}

export type CliArgs = TriageArgs | EvaluateArgs | { command: 'help' }

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value (${allowed.join('|')})`)
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join('|')}, got '${value}'`)
  return value as T
}

/** Split argv into positionals and --flag values (both `--flag value` and `--flag=value`). */
function split(argv: readonly string[], known: readonly string[]): { positional: string[]; flags: Map<string, string | undefined> } {
  const positional: string[] = []
  const flags = new Map<string, string | undefined>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    if (name === 'help') {
      flags.set('help', '')
      continue
    }
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`)
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i]
    flags.set(name, value)
  }
  return { positional, flags }
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' }
  if (command === 'triage') {
    const { positional, flags } = split(rest, ['format', 'scheme', 'batch'])
    if (flags.has('help')) return { command: 'help' }
    if (positional.length === 0) throw new UsageError('triage needs at least one file or folder')
    const batch = flags.has('batch') ? Number(flags.get('batch')) : 8
    if (!Number.isInteger(batch) || batch < 1 || batch > 256) throw new UsageError(`--batch must be an integer 1..256, got '${flags.get('batch')}'`)
    return {
      command: 'triage',
      paths: positional,
      format: flags.has('format') ? oneOf('--format', flags.get('format'), ['table', 'json', 'csv'] as const) : 'table',
      ...(flags.has('scheme') ? { scheme: oneOf('--scheme', flags.get('scheme'), ['tier3', 'tier4'] as const) } : {}),
      batch,
    }
  }
  if (command === 'evaluate') {
    const { positional, flags } = split(rest, ['model', 'cohort', 'format', 'compare'])
    if (flags.has('help')) return { command: 'help' }
    if (positional.length !== 1) throw new UsageError(`evaluate needs exactly one dataset folder, got ${positional.length}`)
    let model: EvaluateArgs['model']
    if (flags.has('model')) {
      const v = flags.get('model')
      if (!v) throw new UsageError('--model needs a value (<id> or <id>@<version>)')
      const [id, version] = v.split('@')
      model = { id: id!, ...(version ? { version } : {}) }
    }
    const compare = flags.get('compare')
    if (flags.has('compare') && !compare) throw new UsageError('--compare needs a report path')
    return {
      command: 'evaluate',
      dataset: positional[0]!,
      ...(model ? { model } : {}),
      cohort: flags.has('cohort') ? oneOf('--cohort', flags.get('cohort'), ['internal', 'external', 'unseen', 'all'] as const) : 'all',
      format: flags.has('format') ? oneOf('--format', flags.get('format'), ['table', 'json'] as const) : 'table',
      ...(compare ? { compare } : {}),
    }
  }
  throw new UsageError(`unknown command '${command}' (triage, evaluate)`)
}
