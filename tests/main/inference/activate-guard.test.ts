import { describe, expect, it } from 'vitest'
import { createInferenceHandlers } from '../../../src/main/inference/handlers'

// The generic models:activate channel must not bypass the fine-tuning safety floor.
describe('models:activate', () => {
  const models = [
    { id: 'triage-tier3', version: '1.0.0', shipped: true },
    { id: 'triage-tier3', version: '1.0.0-ft.1', shipped: false },
  ]
  const activated: string[] = []
  const registry = {
    list: () => models,
    activate: async (id: string, version: string) => void activated.push(`${id}@${version}`),
  }
  const service = { invalidate: () => {} }
  const handlers = createInferenceHandlers({ registry, service, appVersion: 't', electron: false } as never)

  it('refuses a locally fine-tuned version and activates nothing', async () => {
    await expect(handlers['models:activate']({ id: 'triage-tier3', version: '1.0.0-ft.1' })).rejects.toThrow(/fine-tuned.*safety-floor/)
    expect(activated).toEqual([])
  })

  it('switches between shipped versions', async () => {
    await handlers['models:activate']({ id: 'triage-tier3', version: '1.0.0' })
    expect(activated).toEqual(['triage-tier3@1.0.0'])
  })
})
