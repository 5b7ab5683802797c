import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ahaFromScp, ahaFromSnomed, catalog, parseScpCodes, scpBridge, snomedBridge, tierOfBridged } from '@shared/labels/catalog'
import { cincRecords, ptbxlRows, readCsv, requireData } from './data'

// Checks the bridges against the real mapping tables and records in ../shared/data (fails when it is missing).
describe('bridges against ../shared/data', () => {
  it('covers every PTB-XL SCP statement and keeps the AHA column of scp_statements.csv', () => {
    const rows = readCsv(requireData('mappings/ptbxl_scp_to_aha.csv'))
    expect(rows).toHaveLength(71)
    expect(Object.keys(scpBridge.statements).sort()).toEqual(rows.map((r) => r.scp_code).sort())
    for (const r of rows) if (r.aha_code) expect(scpBridge.statements[r.scp_code!]!.aha, r.scp_code).toEqual([r.aha_code])
    // the README's gap fills
    expect(ahaFromScp(['1AVB']).codes).toEqual(['82'])
    expect(ahaFromScp(['LVOLT']).codes).toEqual(['125'])
    expect(ahaFromScp([], 'ALAD').codes).toEqual(['121'])
    expect(ahaFromScp([], 'ARAD').codes).toEqual(['120'])
    expect(ahaFromScp([], 'LAD', { axisPolicy: 'readme' }).codes).toEqual(['121'])
    expect(ahaFromScp([], 'RAD', { axisPolicy: 'readme' }).codes).toEqual(['120'])
  })

  it('covers every SNOMED code of the CinC table and keeps AHA_SNOMED_mapping.csv', () => {
    const names = readCsv(requireData('mappings/cinc2021_snomed_abbrev.csv'))
    expect(Object.keys(snomedBridge.codes).sort()).toEqual(names.map((r) => r.snomed).sort())
    for (const r of readCsv(requireData('mappings/AHA_SNOMED_mapping.csv'))) {
      const primary = r.AHA_Code!.split('+')[0]!
      expect(ahaFromSnomed([r.SNOMEDCTCode!]).codes, r.Dx).toEqual([primary])
      expect(snomedBridge.codes[r.SNOMEDCTCode!]!.source).toBe('AHA_SNOMED_mapping.csv')
    }
  })

  it('maps every PTB-XL record to at least one AHA code or reports it', () => {
    const rows = ptbxlRows()
    expect(rows).toHaveLength(500)
    const noCode: string[] = []
    const tiers: Record<string, number> = {}
    for (const r of rows) {
      const scp = parseScpCodes(r.scpCodes, `ptbxl_database.csv ecg_id ${r.ecgId}`)
      for (const s of Object.keys(scp)) expect(scpBridge.statements[s], `ecg_id ${r.ecgId}: statement ${s} unknown to scp_to_aha.json`).toBeDefined()
      const b = ahaFromScp(scp, r.heartAxis || null)
      if (b.codes.length === 0) {
        // reported, never silently dropped: the record's statements come back as unmapped
        expect(b.unmapped.length, `ecg_id ${r.ecgId}`).toBeGreaterThan(0)
        noCode.push(`${r.ecgId} ${r.scpCodes}`)
      }
      const t = tierOfBridged(b, 'tier4').key
      tiers[t] = (tiers[t] ?? 0) + 1
    }
    console.info(`PTB-XL records with no AHA code (${noCode.length}):\n  ${noCode.join('\n  ')}\nPTB-XL 4-tier counts: ${JSON.stringify(tiers)}`)
    expect(noCode.length).toBeLessThanOrEqual(rows.length * 0.02)
    expect(tiers.normal).toBeGreaterThan(200) // 297 of the 500 carry NORM
  })

  it('gives every CinC record a mapped code or reports it', () => {
    const records = cincRecords()
    expect(records).toHaveLength(70)
    const report: string[] = []
    for (const r of records) {
      for (const s of r.dx) expect(snomedBridge.codes[s], `${r.record}: SNOMED ${s} unknown to snomed_to_aha.json`).toBeDefined()
      const b = ahaFromSnomed(r.dx)
      const t = tierOfBridged(b, 'tier3')
      if (t.key === 'unmapped') {
        expect(t.unmapped.length, r.record).toBeGreaterThan(0)
        report.push(`${r.record} ${r.dx.join(',')}`)
      }
    }
    console.info(`CinC records without a tier (${report.length}):\n  ${report.join('\n  ')}`)
    expect(report.length).toBeLessThanOrEqual(records.length * 0.1)
  })

  it('maps the SPH metadata codes (with + modifiers) to catalogued codes', () => {
    const rows = readCsv(requireData('sph/metadata.csv'))
    const known = new Set(catalog.codes.map((e) => e.code))
    for (const r of rows) for (const label of r.AHA_Code!.split(';')) expect(known.has(label.split('+')[0]!), `${r.ECG_ID}: ${label}`).toBe(true)
    expect(readFileSync(requireData('sph/metadata.csv'), 'utf8')).toContain('22;23')
  })
})
