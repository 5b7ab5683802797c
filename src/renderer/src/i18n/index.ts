import { en, type MessageKey } from './en'

export type { MessageKey }

/** Look up a message and fill `{name}` parameters. An unknown parameter is left visible, never dropped. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** For keys built at run time (tier keys, statuses): falls back to the raw key when there is no message. */
export function tMaybe(key: string, fallback: string, params: Record<string, string | number> = {}): string {
  return key in en ? t(key as MessageKey, params) : fallback
}
