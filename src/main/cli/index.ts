/**
 * Headless CLI: `npm run triage -- <files/folders>` and `npm run evaluate -- <dataset dir>`.
 * Exit codes: 0 when the command ran (individual bad files are reported in the output), 2 for usage errors
 * or when nothing can run at all (no usable model), 1 for an unexpected internal error.
 */
import { parseArgs, USAGE, UsageError } from './args'
import { evaluate } from './evaluate'
import { CannotRunError, triage, type CliIo } from './triage'

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let args
  try {
    args = parseArgs(argv)
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${USAGE}`)
      return 2
    }
    throw err
  }
  if (args.command === 'help') {
    io.out(USAGE)
    return 0
  }
  try {
    if (args.command === 'triage') await triage(args, io)
    else await evaluate(args, io)
    return 0
  } catch (err) {
    if (err instanceof UsageError || err instanceof CannotRunError) {
      io.err(`error: ${err.message}`)
      return 2
    }
    io.err(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    return 1
  }
}

const io: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    io.err(`internal error: ${String(err)}`)
    process.exitCode = 1
  },
)
