import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  LABEL_MAPPING_VERSION, TRAINING_CODES, ahaFromScp, ahaFromSnomed, catalog, codeInfo, parseScpCodes, tierOfBridged, tierOfCode,
  tierOfCodes, tiersOf, type Scheme,
} from '@shared/labels/catalog'
import { repoRoot } from './data'

// The 44 primary AHA codes of SPH (the brief / SPH paper) and thesis Table 2 read as merged cells.
const SPH44 = ['1', '21', '22', '23', '30', '31', '36', '37', '50', '51', '54', '60', '80', '81', '82', '83', '84', '85', '86', '87', '88',
  '101', '102', '104', '105', '106', '108', '120', '121', '125', '140', '142', '143', '145', '146', '147', '148', '152', '153', '155',
  '160', '161', '165', '166']
const TABLE2_3 = {
  normal: ['1', '23', '147'],
  'non-urgent': ['21', '22', '30', '36', '82', '101', '105', '120', '121', '125', '145', '146'],
  urgent: ['50', '51', '60', '104', '106', '142'],
}
const SCHEMES: Scheme[] = ['tier3', 'tier4']
const labelFile = (name: string): unknown => JSON.parse(readFileSync(path.join(repoRoot, 'resources/labels', name), 'utf8'))

describe('catalog.json', () => {
  it('has a semver version exported as LABEL_MAPPING_VERSION', () => {
    expect(LABEL_MAPPING_VERSION).toMatch(/^\d+\.\d+\.\d+$/)
    expect(LABEL_MAPPING_VERSION).toBe((labelFile('catalog.json') as { version: string }).version)
  })

  it('lists exactly the 44 SPH codes, each tiered in both schemes with a source and a rationale', () => {
    expect([...TRAINING_CODES].sort()).toEqual([...SPH44].sort())
    for (const code of SPH44) {
      const info = codeInfo(code)
      expect(info, code).toBeDefined()
      expect(info!.inTrainingSet).toBe(true)
      expect(info!.name.length, code).toBeGreaterThan(3)
      expect(info!.rationale.length, code).toBeGreaterThan(20)
      for (const s of SCHEMES) expect(tierOfCode(code, s), `${code} ${s}`).not.toBe('unmapped')
    }
  })

  it('keeps Table 2 where it speaks and marks every other code as a decision', () => {
    const table2 = new Set(Object.values(TABLE2_3).flat())
    expect(table2.size).toBe(21)
    for (const [tier, codes] of Object.entries(TABLE2_3)) for (const c of codes) expect(tierOfCode(c, 'tier3'), c).toBe(tier)
    for (const c of TABLE2_3.normal) expect(tierOfCode(c, 'tier4')).toBe('normal')
    for (const c of TABLE2_3.urgent) expect(tierOfCode(c, 'tier4')).toBe('critical')
    for (const c of TABLE2_3['non-urgent']) expect(['minor', 'major']).toContain(tierOfCode(c, 'tier4'))
    for (const c of SPH44) expect(codeInfo(c)!.source, c).toBe(table2.has(c) ? 'thesis-table-2' : 'decision')
  })

  it('records the literal Table 2 reading where the Minor/Major decision departs from it', () => {
    const departed = catalog.codes.filter((e) => e.tier4Alternative !== undefined)
    expect(departed.map((e) => e.code).sort()).toEqual(['101', '105', '120', '121', '36', '82'])
    for (const e of departed) {
      expect(e.tier4Alternative).not.toBe(e.tier4)
      expect(e.rationale).toMatch(/Literal reading/)
    }
  })

  it('collapses every 4-tier key onto its 3-tier key', () => {
    const collapse = Object.fromEntries(tiersOf('tier4').map((t) => [t.key, t.tier3]))
    for (const e of [...catalog.codes, ...catalog.extraCodes]) expect(collapse[e.tier4], e.code).toBe(e.tier3)
    expect(tiersOf('tier3').map((t) => [t.key, t.rank, t.action])).toEqual([['normal', 0, 'reassure'], ['non-urgent', 1, 'follow up'], ['urgent', 2, 'refer urgently']])
    expect(tiersOf('tier4').map((t) => t.key)).toEqual(['normal', 'minor', 'major', 'critical'])
  })

  it('has extra (unseen-pathology) codes outside the training set and the modifiers seen in the mappings', () => {
    for (const c of ['20', '55', '107', '141', '162', '163', '205', '226', '227', '366', '367', '501', '502']) {
      expect(codeInfo(c)?.inTrainingSet, c).toBe(false)
    }
    const mods = new Set(catalog.modifiers.map((m) => m.code))
    for (const m of ['308', '310', '340', '341', '346', '347', '349', '366', '367']) expect(mods.has(m), m).toBe(true)
  })
})

describe('tier rule', () => {
  const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'tests/shared/labels/cases.json'), 'utf8')) as {
    tierCases: { codes: string[]; tier3: string; tier4: string; unmapped: string[]; why: string }[]
  }

  it.each(fixture.tierCases)('$why: $codes', (c) => {
    expect(tierOfCodes(c.codes, 'tier3')).toEqual({ key: c.tier3, unmapped: c.unmapped })
    expect(tierOfCodes(c.codes, 'tier4')).toEqual({ key: c.tier4, unmapped: c.unmapped })
  })

  it('takes the most severe tier for every pair of catalogued codes', () => {
    const all = [...catalog.codes, ...catalog.extraCodes].map((e) => e.code)
    for (const s of SCHEMES) {
      const rank = (k: string): number => tiersOf(s).findIndex((t) => t.key === k)
      for (const a of all) {
        for (const b of all) {
          const ra = rank(tierOfCode(a, s))
          const rb = rank(tierOfCode(b, s))
          expect(rank(tierOfCodes([a, b], s).key)).toBe(Math.max(ra, rb))
        }
      }
    }
  })

  it('never reads an unmapped code as normal', () => {
    for (const e of [...catalog.codes, ...catalog.extraCodes]) {
      for (const s of SCHEMES) {
        const r = tierOfCodes([e.code, 'X1'], s)
        expect(r.unmapped).toEqual(['X1'])
        expect(r.key).toBe(e[s] === 'normal' ? 'unmapped' : e[s])
      }
    }
  })
})

describe('bridges', () => {
  const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'tests/shared/labels/cases.json'), 'utf8')) as {
    scpCases: { scp: Record<string, number> | string[]; axis: string | null; axisPolicy?: 'readme'; minLikelihood?: number; codes: string[]; unmapped: string[]; oneOf: unknown[]; tier3: string; tier4: string }[]
    snomedCases: { snomed: string[]; codes: string[]; modifiers: string[]; unmapped: string[]; oneOf: unknown[]; tier3: string; tier4: string }[]
  }

  it.each(fixture.scpCases)('SCP $scp axis=$axis', (c) => {
    const opts = { ...(c.axisPolicy ? { axisPolicy: c.axisPolicy } : {}), ...(c.minLikelihood !== undefined ? { minLikelihood: c.minLikelihood } : {}) }
    const r = ahaFromScp(c.scp, c.axis, opts)
    expect(r).toEqual({ codes: c.codes, modifiers: [], unmapped: c.unmapped, oneOf: c.oneOf })
    expect(tierOfBridged(r, 'tier3').key).toBe(c.tier3)
    expect(tierOfBridged(r, 'tier4').key).toBe(c.tier4)
  })

  it.each(fixture.snomedCases)('SNOMED $snomed', (c) => {
    const r = ahaFromSnomed(c.snomed)
    expect(r).toEqual({ codes: c.codes, modifiers: c.modifiers, unmapped: c.unmapped, oneOf: c.oneOf })
    expect(tierOfBridged(r, 'tier3').key).toBe(c.tier3)
    expect(tierOfBridged(r, 'tier4').key).toBe(c.tier4)
  })

  it('keeps unresolved oneOf sources unmapped under plain tierOfCodes', () => {
    const r = ahaFromSnomed(['164865005', '426783006'])
    expect(tierOfCodes([...r.codes, ...r.unmapped], 'tier3').key).toBe('unmapped')
    expect(tierOfBridged(r, 'tier3')).toEqual({ key: 'urgent', unmapped: [] })
  })

  it('parses PTB-XL scp_codes cells and names the place of a bad one', () => {
    expect(parseScpCodes("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}")).toEqual({ NORM: 100, LVOLT: 0, SR: 0 })
    expect(parseScpCodes('{}')).toEqual({})
    expect(() => parseScpCodes("{'NORM' 100.0}", 'ptbxl_database.csv ecg_id 7')).toThrow(/ecg_id 7: cannot read entry/)
    expect(() => parseScpCodes('NORM', 'row 3')).toThrow(/row 3: expected a/)
    expect(() => parseScpCodes("{'NORM': 250.0}", 'row 4')).toThrow(/row 4: likelihood 250/)
  })
})
