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
      // Locally fine-tuned versions go through 'finetune:activate', which checks the urgent-tier safety floor on
      // the frozen local test set and audits the change; this generic switch only moves between shipped models.
      const target = d.registry.list().find((m) => m.id === id && m.version === version)
      if (target && !target.shipped) {
        throw new Error(`${id}@${version} is a locally fine-tuned version: activate it from the Fine-tune view (safety-floor check and audit)`)
      }
      await d.registry.activate(id, version)
      d.service.invalidate()
      return { models: d.registry.list() }
    },
  }
}
