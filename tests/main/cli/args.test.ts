import { describe, expect, it } from 'vitest'
import { parseArgs, UsageError } from '../../../src/main/cli/args'

describe('CLI arguments', () => {
  it('parses triage with defaults and options in both spellings', () => {
    expect(parseArgs(['triage', 'a.hea', 'dir'])).toEqual({ command: 'triage', paths: ['a.hea', 'dir'], format: 'table', batch: 8 })
    expect(parseArgs(['triage', '--format', 'json', 'a', '--scheme=tier4', '--batch', '2'])).toEqual({ command: 'triage', paths: ['a'], format: 'json', scheme: 'tier4', batch: 2 })
  })
  it('parses evaluate', () => {
    expect(parseArgs(['evaluate', 'data', '--model', 'aha-codes@1.0.0', '--cohort', 'internal', '--compare', 'r.json'])).toEqual({
      command: 'evaluate', dataset: 'data', model: { id: 'aha-codes', version: '1.0.0' }, cohort: 'internal', format: 'table', compare: 'r.json',
    })
  })
  it('refuses bad usage with a message naming the problem', () => {
    expect(() => parseArgs(['triage'])).toThrow(/at least one file/)
    expect(() => parseArgs(['triage', 'a', '--format', 'xml'])).toThrow(/--format must be one of table\|json\|csv, got 'xml'/)
    expect(() => parseArgs(['triage', 'a', '--scheme'])).toThrow(/--scheme needs a value/)
    expect(() => parseArgs(['triage', 'a', '--colour', 'red'])).toThrow(/unknown option --colour/)
    expect(() => parseArgs(['triage', 'a', '--batch', '0'])).toThrow(UsageError)
    expect(() => parseArgs(['evaluate'])).toThrow(/exactly one dataset folder/)
    expect(() => parseArgs(['frobnicate'])).toThrow(/unknown command 'frobnicate'/)
  })
  it('help', () => {
    expect(parseArgs([])).toEqual({ command: 'help' })
    expect(parseArgs(['triage', '--help'])).toEqual({ command: 'help' })
  })
})
