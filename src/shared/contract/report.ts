import { z } from 'zod'
import { channel } from './define'

export const reportChannels = {
  /**
   * Print the window's current page (the report route) to PDF. Electron answers with the bytes
   * (webContents.printToPDF); the browser host answers `supported: false` and the renderer uses window.print().
   */
  'report:pdf': channel(
    z.object({ landscape: z.boolean().default(true), pageSize: z.enum(['A4', 'Letter']).default('A4') }),
    z.object({ supported: z.boolean(), pdf: z.instanceof(Uint8Array).nullable() }),
  ),
}
