/// <reference types="vite/client" />
import type { EcgApi } from '@shared/contract'

declare global {
  interface Window {
    /** Present under Electron (preload); absent in the browser host, where the HTTP transport is used. */
    ecg?: EcgApi
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
export {}
