import { z } from 'zod'
import { channel } from './define'
import { zImportOutcome, zRecord, zUint8Array } from './common'

export const recordChannels = {
  /** Import files or folders from the local file system (dialog, drag-and-drop paths, CLI). */
  'records:importPaths': channel(
    z.object({ paths: z.array(z.string().min(1)).min(1).max(10_000) }),
    z.object({ outcomes: z.array(zImportOutcome) }),
  ),
  /** Import uploaded file contents (drag-and-drop of File objects); companion files (.hea/.dat) travel together. */
  'records:importFiles': channel(
    z.object({ files: z.array(z.object({ name: z.string().min(1), bytes: zUint8Array })).min(1).max(2_000) }),
    z.object({ outcomes: z.array(zImportOutcome) }),
  ),
  /** The full record with samples, from the signal store. */
  'records:get': channel(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }), zRecord),
  /** Native open dialog (Electron only); the browser host answers with `supported: false`. */
  'dialog:openPaths': channel(
    z.object({ directory: z.boolean().default(false) }),
    z.object({ supported: z.boolean(), paths: z.array(z.string()) }),
  ),
}
