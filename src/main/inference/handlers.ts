/**
 * IPC handlers for the inference channels (src/shared/contract/inference.ts), over the registry and the
 * inference service. Wired in src/main/app/compose.ts.
 */
import type { EcgHandlers } from '@shared/contract'
import { LABEL_MAPPING_VERSION } from '@shared/labels/catalog'
import type { ModelRegistry } from '../models/registry'
import type { InferenceService } from './service'

export type InferenceHandlers = Pick<EcgHandlers, 'app:info' | 'inference:analyze' | 'inference:cancel' | 'inference:explain' | 'models:list' | 'models:activate'>

export interface InferenceHandlerDeps {
  registry: ModelRegistry
  service: InferenceService
  appVersion: string
  electron: boolean
}

export function createInferenceHandlers(d: InferenceHandlerDeps): InferenceHandlers {
  return {
    'app:info': async () => ({
      appVersion: d.appVersion,
      executionProvider: d.service.executionProvider,
      labelMappingVersion: LABEL_MAPPING_VERSION,
      electron: d.electron,
    }),
    'inference:analyze': async ({ jobId, recordIds }) => d.service.analyze(jobId, recordIds),
    'inference:cancel': async ({ jobId }) => ({ cancelled: d.service.cancel(jobId) }),
    'inference:explain': async ({ recordId, target }) => d.service.explain(recordId, target),
    'models:list': async () => ({ models: d.registry.list() }),
    'models:activate': async ({ id, version }) => {
      await d.registry.activate(id, version)
      d.service.invalidate()
      return { models: d.registry.list() }
    },
  }
}
