import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, truncateSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AnnotatedCase } from '@shared/contract/clinician'
import { AnnotationService } from '../../../src/main/annotations/exporter'
import { LabelStore } from '../../../src/main/annotations/label-store'
import { AuditLog } from '../../../src/main/thresholds/audit-log'
import { MapRecords, syntheticRecords } from '../finetune/fixture'

const actor = { user: 'dr.gp', role: 'gp' as const }
const data = syntheticRecords(3, 5)
const ids = [...data.records.keys()]

function service(root: string) {
  const labels = new LabelStore(join(root, 'labels.json'))
  const audit = new AuditLog(join(root, 'audit.jsonl'))
  return { labels, audit, svc: new AnnotationService({ records: new MapRecords(data.records), labels, audit, exportRoot: join(root, 'exports'), labelMappingVersion: '1.0.0' }) }
}

const cases: AnnotatedCase[] = [
  { recordId: ids[0]!, label: { tier3: 'urgent', codes: ['50'] }, segments: [{ start_s: 1.2, end_s: 2.5, leads: ['II', 'V1'], code: '50', note: 'irregular', ai_wrong: true }], aiResult: { tier: 'normal', modelVersion: '1.0.0' } },
  { recordId: ids[1]!, label: { tier3: 'normal' }, segments: [{ start_s: 0, end_s: 10, leads: ['all'], note: '', ai_wrong: false }] },
]

describe('annotation dataset export / import', () => {
  let root: string
  let exported: string
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ecg-ann-'))
    const { svc } = service(root)
    const r = await svc.export(cases, actor, 'hl7-aecg')
    exported = r.path
    expect(r.records).toBe(2)
  })

  it('writes dataset.json, raw float32 records, README and aECG annotations', () => {
    const ds = JSON.parse(readFileSync(join(exported, 'dataset.json'), 'utf8'))
    expect(ds.format).toBe('ecg-triage-annotations')
    expect(ds.records[0].segments[0]).toMatchObject({ start_s: 1.2, end_s: 2.5, leads: ['II', 'V1'], ai_wrong: true })
    expect(ds.records[0].label).toEqual({ tier3: 'urgent', codes: ['50'] })
    expect(readdirSync(join(exported, 'records')).sort()).toHaveLength(4)
    const xml = readFileSync(join(exported, 'records', `${ids[0]}.annotations.xml`), 'utf8')
    expect(xml).toContain('<low value="1200" unit="ms"/><high value="2500" unit="ms"/>')
    expect(xml).toContain('ai_wrong=true')
    expect(existsSync(join(exported, 'README.md'))).toBe(true)
    expect(readdirSync(join(root, 'exports')).some((d) => d.endsWith('.partial'))).toBe(false)
  })

  it('the Python side reads the samples back exactly (numpy, as the README says)', () => {
    const rec = data.records.get(ids[0]!)!
    const py = `import json, numpy as np, sys
ds = json.load(open(sys.argv[1] + "/dataset.json"))
r = ds["records"][0]
x = np.fromfile(sys.argv[1] + "/" + r["file"], dtype="<f4").reshape(len(r["leads"]), r["length"])
print(json.dumps([x.shape[0], x.shape[1], float(x[1, 123]), float(x[11, 4999])]))`
    const out = spawnSync('/usr/bin/python3', ['-c', py, exported], { encoding: 'utf8' })
    expect(out.status, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual([12, 5000, rec.signals[1]![123], rec.signals[11]![4999]])
  })

  it('imports a valid dataset: labels stored as imported, cases returned, audited', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ecg-ann-in-'))
    const { svc, labels } = service(fresh)
    const r = await svc.import(exported, actor)
    expect(r.cases).toHaveLength(2)
    expect(r.cases[0]!.segments[0]!.note).toBe('irregular')
    expect(r.labelsStored).toBe(2)
    const stored = await labels.list()
    expect(stored.find((s) => s.recordId === ids[0])).toMatchObject({ tier3: 'urgent', codes: ['50'], source: 'imported' })
    expect(r.audit.action).toBe('annotations.import')
  })

  const corruptions: Array<[string, (dir: string) => void, RegExp]> = [
    ['damaged samples', (d) => {
      const f = join(d, 'records', `${ids[1]}.f32`)
      const b = readFileSync(f)
      b[100] = b[100]! ^ 0xff
      writeFileSync(f, b)
    }, /\.f32: sha256 does not match dataset\.json/],
    ['truncated samples', (d) => truncateSync(join(d, 'records', `${ids[0]}.f32`), 1000), /\.f32: 1000 bytes, expected 240000/],
    ['missing samples file', (d) => writeFileSync(join(d, 'dataset.json'), readFileSync(join(d, 'dataset.json'), 'utf8').replace(`records/${ids[1]}.f32`, `records/${'0'.repeat(64)}.f32`)), /records\.1 .*does not match the record id/],
    ['broken JSON', (d) => writeFileSync(join(d, 'dataset.json'), '{"format": "ecg-triage-annotations", '), /dataset\.json: not valid JSON/],
    ['segment past the end', (d) => writeFileSync(join(d, 'dataset.json'), readFileSync(join(d, 'dataset.json'), 'utf8').replace('"end_s": 2.5', '"end_s": 25')), /records\.0 .*segment 1\.2-25 s runs past the end of the 10\.00-s recording/],
    ['wrong schema', (d) => writeFileSync(join(d, 'dataset.json'), JSON.stringify({ format: 'something-else' })), /dataset\.json: format: /],
  ]
  for (const [name, corrupt, message] of corruptions) {
    it(`a corrupt dataset (${name}) gives a clear error and changes nothing`, async () => {
      const fresh = mkdtempSync(join(tmpdir(), 'ecg-ann-bad-'))
      const copy = join(fresh, 'copy')
      cpSync(exported, copy, { recursive: true })
      corrupt(copy)
      const { svc, labels } = service(fresh)
      await labels.put([{ recordId: 'x', tier3: 'normal', source: 'over-read' }])
      const before = readFileSync(join(fresh, 'labels.json'), 'utf8')
      await expect(svc.import(copy, actor)).rejects.toMatchObject({ code: 'corrupt-dataset', message: expect.stringMatching(message) })
      expect(readFileSync(join(fresh, 'labels.json'), 'utf8')).toBe(before)
      expect(existsSync(join(fresh, 'audit.jsonl'))).toBe(false)
    })
  }

  it('export refuses a segment outside its record and leaves no partial folder', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ecg-ann-exp-'))
    const { svc } = service(fresh)
    const bad: AnnotatedCase[] = [{ ...cases[0]!, segments: [{ start_s: 3, end_s: 2, leads: ['II'], note: '', ai_wrong: false }] }]
    await expect(svc.export(bad, actor)).rejects.toThrow(/syn0: segment 3-2 s ends before it starts/)
    expect(readdirSync(join(fresh, 'exports'))).toEqual([])
  })
})
