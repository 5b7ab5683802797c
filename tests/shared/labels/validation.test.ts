import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabelError, validateLabelFiles } from '@shared/labels/catalog'
import { repoRoot } from './data'

// Broken label files must be rejected at load with the file and field named, never half-used.
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (name: string): Json => JSON.parse(readFileSync(path.join(repoRoot, 'resources/labels', name), 'utf8')) as Json
const files = (): [Json, Json, Json] => [load('catalog.json'), load('scp_to_aha.json'), load('snomed_to_aha.json')]

function rejects(mutate: (cat: Json, scp: Json, sn: Json) => void, message: RegExp): void {
  const [cat, scp, sn] = files()
  mutate(cat, scp, sn)
  let error: unknown
  try { validateLabelFiles(cat, scp, sn) } catch (e) { error = e }
  expect(error).toBeInstanceOf(LabelError)
  expect((error as Error).message).toMatch(message)
}

describe('label file validation', () => {
  it('accepts the shipped files', () => {
    const [cat, scp, sn] = files()
    expect(validateLabelFiles(cat, scp, sn).catalog.codes).toHaveLength(44)
  })

  it('rejects a code without a tier, naming file and field', () => {
    rejects((cat) => { delete cat.codes[3].tier4 }, /resources\/labels\/catalog\.json: invalid label file: codes\.3\.tier4/)
  })

  it('rejects an unknown tier key', () => {
    rejects((cat) => { cat.codes[0].tier3 = 'soon' }, /catalog\.json.*codes\.0\.tier3/)
  })

  it('rejects a missing rationale', () => {
    rejects((cat) => { cat.codes[5].rationale = '' }, /catalog\.json.*codes\.5\.rationale/)
  })

  it('rejects a catalog that lost one of the 44 codes', () => {
    rejects((cat) => { cat.codes.pop() }, /catalog\.json.*codes/)
  })

  it('rejects a 4-tier key that contradicts the 3-tier key', () => {
    rejects((cat) => { const e = cat.codes.find((c: Json) => c.code === '50'); e.tier4 = 'minor' }, /catalog\.codes\.50: tier4 'minor' collapses to 'non-urgent', but tier3 is 'urgent'/)
  })

  it('rejects a duplicated code', () => {
    rejects((cat) => { cat.extraCodes.push({ ...cat.codes[0] }) }, /code 1 is listed twice/)
  })

  it('rejects tiers out of rank order', () => {
    rejects((cat) => { cat.tiers.tier3.reverse() }, /catalog\.tiers\.tier3: keys must be normal,non-urgent,urgent/)
  })

  it('rejects a bridge pointing at a code the catalog does not have', () => {
    rejects((_c, scp) => { scp.statements.NORM.aha = ['9999'] }, /scp_to_aha\.json statements\.NORM: AHA code 9999 is not in catalog\.json/)
    rejects((_c, _s, sn) => { sn.codes['164889003'].modifiers = ['398'] }, /snomed_to_aha\.json codes\.164889003: modifier 398/)
  })

  it('rejects a null mapping without a reason', () => {
    rejects((_c, scp) => { delete scp.statements.QWAVE.reason }, /statements\.QWAVE: no AHA code and no reason/)
  })

  it('rejects bridge files of another mapping version', () => {
    rejects((_c, _s, sn) => { sn.version = '0.9.0' }, /snomed_to_aha\.json: version 0\.9\.0 differs from catalog\.json/)
  })
})
