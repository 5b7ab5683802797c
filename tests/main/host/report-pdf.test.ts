import { describe, expect, it } from 'vitest'
import { createReportHandlers } from '../../../src/main/report/pdf'

describe("'report:pdf' handler", () => {
  it('answers unsupported where there is no window to print (CLI, browser host)', async () => {
    expect(await createReportHandlers(null)['report:pdf']({ landscape: true, pageSize: 'A4' })).toEqual({ supported: false, pdf: null })
  })
  it('passes the page options to the printer and returns its PDF bytes', async () => {
    const seen: unknown[] = []
    const pdf = new TextEncoder().encode('%PDF-1.7\n...')
    const h = createReportHandlers({ printToPdf: async (o) => (seen.push(o), pdf) })
    expect(await h['report:pdf']({ landscape: false, pageSize: 'Letter' })).toEqual({ supported: true, pdf })
    expect(seen).toEqual([{ landscape: false, pageSize: 'Letter' }])
  })
  it('refuses bytes that are not a PDF instead of handing a broken file to the user', async () => {
    const h = createReportHandlers({ printToPdf: async () => new TextEncoder().encode('<html>') })
    await expect(h['report:pdf']({ landscape: true, pageSize: 'A4' })).rejects.toThrow(/printer returned no PDF/)
  })
})
