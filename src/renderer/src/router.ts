/**
 * A tiny hash router (four routes do not justify a dependency). Hash routes work the same from file:// under
 * Electron and from the browser host.
 */
import { ref } from 'vue'

export type Route = { name: 'worklist' } | { name: 'case'; id: string } | { name: 'report'; id: string } | { name: 'settings' } | { name: 'clinician' }

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'case' && parts[1]) return { name: 'case', id: parts[1] }
  if (parts[0] === 'report' && parts[1]) return { name: 'report', id: parts[1] }
  if (parts[0] === 'settings') return { name: 'settings' }
  if (parts[0] === 'clinician') return { name: 'clinician' }
  return { name: 'worklist' }
}

export function toHash(r: Route): string {
  switch (r.name) {
    case 'case':
    case 'report':
      return `#/${r.name}/${encodeURIComponent(r.id)}`
    case 'settings':
      return '#/settings'
    case 'clinician':
      return '#/clinician'
    default:
      return '#/'
  }
}

export const route = ref<Route>(parseHash(typeof window === 'undefined' ? '' : window.location.hash))

export function installRouter(): void {
  window.addEventListener('hashchange', () => {
    route.value = parseHash(window.location.hash)
  })
}

export function navigate(r: Route): void {
  const h = toHash(r)
  if (window.location.hash !== h) window.location.hash = h
  route.value = r
}
