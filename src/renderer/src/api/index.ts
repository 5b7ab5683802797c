/**
 * The renderer's only door to main: window.ecg under Electron (preload), else the HTTP transport of the
 * browser host on the page's own origin. Tests inject an API with setApi().
 */
import type { EcgApi } from '@shared/contract'
import { createHttpApi } from './http'

let current: EcgApi | null = null

export function useApi(): EcgApi {
  current ??= window.ecg ?? createHttpApi(window.location.origin)
  return current
}

export function setApi(api: EcgApi | null): void {
  current = api
}

export { ApiError } from './http'
