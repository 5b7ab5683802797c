/**
 * IPC handlers for the records domain: import (paths or uploaded bytes) into the signal store, fetch a stored
 * record, and the native open dialog. Imported records are stored one by one as they are read, and only their
 * summaries travel back to the renderer; the samples are fetched with 'records:get' when a case is opened.
 */
import type { EcgHandlers } from '@shared/contract'
import type { EcgRecord, EcgRecordSummary } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import type { ImporterRegistry } from '../importers/registry'
import type { SignalStore } from './signal-store'

export type RecordHandlers = Pick<EcgHandlers, 'records:importPaths' | 'records:importFiles' | 'records:get' | 'dialog:openPaths'>

export interface RecordHandlerDeps {
  registry: ImporterRegistry
  store: SignalStore
  /** The native open dialog (Electron); absent under plain Node (CLI, tests, browser host). */
  openDialog?: (options: { directory: boolean }) => Promise<string[]>
  /** Sampling rate assumed for CSV files that do not state one (none: such files are refused). */
  csvSamplingRateHz?: number
}

export function createRecordHandlers(deps: RecordHandlerDeps): RecordHandlers {
  const { registry, store } = deps
  const opts = deps.csvSamplingRateHz !== undefined ? { csvSamplingRateHz: deps.csvSamplingRateHz } : {}
  // Save each record as soon as it is read; a failed save is that record's failure, not the batch's.
  const save = async (record: EcgRecord): Promise<EcgRecordSummary> => {
    try {
      return await store.put(record)
    } catch (e) {
      throw new EcgImportError('io-error', record.sourceFiles[0] ?? record.name, `imported but not saved: ${(e as Error).message}`)
    }
  }
  return {
    'records:importPaths': async ({ paths }) => ({ outcomes: await registry.importPathsWith(paths, opts, save) }),
    'records:importFiles': async ({ files }) => ({ outcomes: await registry.importFilesWith(files, opts, save) }),
    'records:get': async ({ id }) => store.get(id),
    'dialog:openPaths': async ({ directory }) =>
      deps.openDialog ? { supported: true, paths: await deps.openDialog({ directory }) } : { supported: false, paths: [] },
  }
}
