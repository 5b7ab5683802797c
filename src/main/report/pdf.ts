/**
 * 'report:pdf' handler. The printer is injected: under Electron it wraps webContents.printToPDF of the app
 * window (src/main/index.ts); the CLI and the browser host have no window, so they pass none and the
 * renderer falls back to the browser's own print (window.print / Playwright page.pdf).
 */
export interface PdfPrinter {
  printToPdf(options: { landscape: boolean; pageSize: 'A4' | 'Letter' }): Promise<Uint8Array>
}

export class PdfError extends Error {
  constructor(detail: string) {
    super(`report:pdf: ${detail}`)
    this.name = 'PdfError'
  }
}

export function createReportHandlers(printer: PdfPrinter | null) {
  return {
    'report:pdf': async (req: { landscape: boolean; pageSize: 'A4' | 'Letter' }) => {
      if (!printer) return { supported: false, pdf: null }
      const pdf = await printer.printToPdf(req)
      // a PDF always starts with "%PDF-"; anything else would be saved as a broken file
      if (pdf.length < 5 || String.fromCharCode(...pdf.subarray(0, 5)) !== '%PDF-') throw new PdfError('printer returned no PDF')
      return { supported: true, pdf }
    },
  }
}
