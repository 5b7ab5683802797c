/**
 * Composition root: the one place where main-process services are constructed and wired. Importable under
 * plain Node (no Electron): the CLI, the tests and the browser host for end-to-end tests all call this.
 * Each domain contributes its handlers through a factory in its own folder.
 */
import { join, resolve } from 'node:path'
import type { EcgHandlers } from '@shared/contract'
import { EventBus } from './events'
import { createReportHandlers, type PdfPrinter } from '../report/pdf'
import { appVersionFrom, createInference } from '../inference/create'
import { createImporterRegistry } from '../importers'
import { SignalStore } from '../records/signal-store'
import { createRecordHandlers, type RecordHandlerDeps } from '../records/handlers'
import { createClinician, type Clinician } from '../finetune/create'
import { preprocess } from '@shared/dsp'
import { LABEL_MAPPING_VERSION } from '@shared/labels/catalog'

export interface ComposeOptions {
  /** Writable per-user directory (signal store, user model versions, settings). */
  userDataDir: string
  /** Root holding `models/` and `resources/` (the repo root in development, the app path when packaged). */
  appRoot?: string
  electron: boolean
  /** Electron only: prints the app window to PDF ('report:pdf'); absent elsewhere (the renderer prints itself). */
  pdfPrinter?: PdfPrinter
  /** Electron only: the native open dialog ('dialog:openPaths'); absent elsewhere (answers supported: false). */
  openDialog?: RecordHandlerDeps['openDialog']
}

export interface Services {
  handlers: EcgHandlers
  events: EventBus
  dispose(): Promise<void>
}

export function defaultAppRoot(): string {
  return resolve(process.env.ECG_APP_ROOT ?? process.cwd())
}

export async function composeServices(options: ComposeOptions): Promise<Services> {
  const appRoot = options.appRoot ?? defaultAppRoot()
  const events = new EventBus()
  const paths = {
    models: join(appRoot, 'models'),
    resources: join(appRoot, 'resources'),
    userModels: join(options.userDataDir, 'models'),
    signals: join(options.userDataDir, 'signals'),
  }
  void paths
  const store = new SignalStore(paths.signals)
  const importers = createImporterRegistry()
  // the clinician loop's operating points feed inference; it is built after inference (it runs models through it)
  let clinician: Clinician | null = null
  const inference = await createInference({
    thresholds: (id, version) => clinician?.thresholdSource(id, version),
    records: store,
    shippedDir: paths.models,
    userDir: paths.userModels,
    stateFile: join(options.userDataDir, 'models-state.json'),
    events,
    electron: options.electron,
    appVersion: appVersionFrom(appRoot),
  })
  clinician = await createClinician({
    userDataDir: options.userDataDir,
    userModelsDir: paths.userModels,
    registry: inference.registry,
    engine: inference.worker,
    records: store,
    preprocess,
    events,
    labelMappingVersion: LABEL_MAPPING_VERSION,
    onActivated: () => inference.service.invalidate(),
  })
  const handlers = {
    ...clinician.handlers,
    ...createRecordHandlers({ registry: importers, store, ...(options.openDialog ? { openDialog: options.openDialog } : {}) }),
    ...createReportHandlers(options.pdfPrinter ?? null),
    ...inference.handlers,
  } as EcgHandlers
  return { handlers, events, dispose: async () => { await inference.dispose() } }
}
