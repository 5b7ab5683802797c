/** Where the CLI finds the shipped models and the user's local model versions (same places as the app). */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** ECG_APP_ROOT, else the repository this file belongs to (src/main/cli -> ../../..). */
export function cliAppRoot(): string {
  return resolve(process.env.ECG_APP_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url)))
}

/**
 * ECG_USER_DATA_DIR, else Electron's userData location for this app (so the CLI uses the versions the
 * clinician activated in the app). The CLI only reads it.
 */
export function cliUserDataDir(): string {
  if (process.env.ECG_USER_DATA_DIR) return resolve(process.env.ECG_USER_DATA_DIR)
  const name = 'ecg-triage-workstation'
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name)
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name)
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name)
}
