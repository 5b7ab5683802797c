/**
 * Export annotated cases as the open dataset (./dataset.ts), and import one back with full validation.
 * Export is staged and renamed into place; import changes nothing unless every record checks out.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Actor, AnnotatedCase, AuditRecord, LabelItem } from '@shared/contract/clinician'
import type { EcgRecord } from '@shared/ecg'
import type { AuditLog } from '../thresholds/audit-log'
import { ClinicianError } from '../thresholds/errors'
import type { LabelStore } from './label-store'
import { DATASET_FORMAT, README, segmentProblem, zDataset, type Dataset, type DatasetRecord } from './dataset'
import { aecgAnnotations } from './aecg'

export interface AnnotationDeps {
  records: { get(id: string): Promise<EcgRecord> }
  labels: LabelStore
  audit: AuditLog
  /** Exports go to <exportRoot>/ecg-annotations-<time>/ */
  exportRoot: string
  labelMappingVersion: string
  now?: () => Date
}

/** (leads, length) float32 arrays -> little-endian lead-major bytes */
export function packSignals(signals: readonly Float32Array[]): Uint8Array {
  const length = signals[0]?.length ?? 0
  const out = new Uint8Array(signals.length * length * 4)
  const view = new DataView(out.buffer)
  signals.forEach((s, l) => {
    for (let t = 0; t < length; t++) view.setFloat32((l * length + t) * 4, s[t]!, true)
  })
  return out
}

export class AnnotationService {
  private readonly now: () => Date
  constructor(private readonly deps: AnnotationDeps) {
    this.now = deps.now ?? (() => new Date())
  }

  async export(cases: readonly AnnotatedCase[], actor: Actor, format: 'json' | 'hl7-aecg' = 'json'): Promise<{ path: string; records: number; files: number; audit: AuditRecord }> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-')
    const finalDir = join(this.deps.exportRoot, `ecg-annotations-${stamp}`)
    const staging = `${finalDir}.partial`
    const records: DatasetRecord[] = []
    let files = 0
    try {
      await mkdir(join(staging, 'records'), { recursive: true })
      for (const c of cases) {
        let r: EcgRecord
        try {
          r = await this.deps.records.get(c.recordId)
        } catch (err) {
          throw new ClinicianError('not-found', `cannot export case ${c.recordId.slice(0, 12)}: ${err instanceof Error ? err.message : String(err)}`)
        }
        for (const seg of c.segments) {
          const p = segmentProblem(seg, r.durationS, r.leads)
          if (p) throw new ClinicianError('bad-input', `${r.name}: ${p}`)
        }
        const bytes = packSignals(r.signals)
        const file = `records/${r.id}.f32`
        await writeFile(join(staging, file), bytes)
        files++
        if (format === 'hl7-aecg') {
          await writeFile(join(staging, 'records', `${r.id}.annotations.xml`), aecgAnnotations(r, c))
          files++
        }
        records.push({
          id: r.id,
          name: r.name,
          file,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          samplingRateHz: r.samplingRateHz,
          length: r.length,
          leads: [...r.leads],
          units: 'mV',
          sourceFormat: r.format,
          patient: { ...(r.patient.age !== undefined ? { age: r.patient.age } : {}), ...(r.patient.sex ? { sex: r.patient.sex } : {}) }, // no patient id leaves the site
          sourceLabels: r.labels.map((l) => ({ system: l.system, code: l.code })),
          label: c.label,
          segments: c.segments,
          ...(c.aiResult ? { aiResult: c.aiResult } : {}),
        })
      }
      const ds: Dataset = { format: DATASET_FORMAT, version: 1, createdAt: this.now().toISOString(), createdBy: actor.user, labelMappingVersion: this.deps.labelMappingVersion, layout: 'float32 little-endian, lead-major (leads, length), millivolts', records }
      await writeFile(join(staging, 'dataset.json'), JSON.stringify(ds, null, 2) + '\n')
      await writeFile(join(staging, 'README.md'), README)
      await rename(staging, finalDir)
    } catch (err) {
      await rm(staging, { recursive: true, force: true })
      throw err
    }
    const audit = await this.deps.audit.append({ user: actor.user, role: actor.role, action: 'annotations.export', subject: finalDir, from: null, to: { records: records.length, format }, evidence: { recordIds: records.map((r) => r.id) } })
    return { path: finalDir, records: records.length, files: files + 2, audit }
  }

  /** Validate a dataset folder completely; returns it with its samples, or throws naming the file and problem. */
  async validate(dir: string): Promise<{ dataset: Dataset; signals: Map<string, Float32Array[]> }> {
    const root = resolve(dir)
    const index = join(root, 'dataset.json')
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(index, 'utf8'))
    } catch (err) {
      throw new ClinicianError('corrupt-dataset', `${index}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (not an exported annotation dataset?)' : `not valid JSON (${(err as Error).message})`}`)
    }
    const parsed = zDataset.safeParse(raw)
    if (!parsed.success) {
      const i = parsed.error.issues[0]!
      throw new ClinicianError('corrupt-dataset', `${index}: ${i.path.join('.') || '(root)'}: ${i.message}`)
    }
    const signals = new Map<string, Float32Array[]>()
    for (const [k, r] of parsed.data.records.entries()) {
      const where = `${index}: records.${k} (${r.name})`
      if (r.file !== `records/${r.id}.f32`) throw new ClinicianError('corrupt-dataset', `${where}: file ${r.file} does not match the record id`)
      let bytes: Buffer
      try {
        bytes = await readFile(join(root, r.file))
      } catch {
        throw new ClinicianError('corrupt-dataset', `${join(root, r.file)}: missing`)
      }
      const expected = r.leads.length * r.length * 4
      if (bytes.length !== expected) throw new ClinicianError('corrupt-dataset', `${join(root, r.file)}: ${bytes.length} bytes, expected ${expected} (${r.leads.length} leads x ${r.length} samples x 4)`)
      if (createHash('sha256').update(bytes).digest('hex') !== r.sha256) throw new ClinicianError('corrupt-dataset', `${join(root, r.file)}: sha256 does not match dataset.json (file changed or damaged)`)
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const leads = r.leads.map((_, l) => {
        const s = new Float32Array(r.length)
        for (let t = 0; t < r.length; t++) {
          const v = view.getFloat32((l * r.length + t) * 4, true)
          if (!Number.isFinite(v)) throw new ClinicianError('corrupt-dataset', `${join(root, r.file)}: lead ${r.leads[l]} sample ${t} is not finite`)
          s[t] = v
        }
        return s
      })
      for (const seg of r.segments) {
        const p = segmentProblem(seg, r.length / r.samplingRateHz, r.leads)
        if (p) throw new ClinicianError('corrupt-dataset', `${where}: ${p}`)
      }
      signals.set(r.id, leads)
    }
    return { dataset: parsed.data, signals }
  }

  /** Validate, then store the labels (source 'imported'); returns the cases for the renderer's annotation table. */
  async import(dir: string, actor: Actor): Promise<{ cases: AnnotatedCase[]; labelsStored: number; audit: AuditRecord }> {
    const { dataset } = await this.validate(dir)
    const cases: AnnotatedCase[] = dataset.records.map((r) => ({ recordId: r.id, label: r.label, segments: r.segments, ...(r.aiResult ? { aiResult: r.aiResult } : {}) }))
    const items: LabelItem[] = dataset.records
      .filter((r) => r.label.tier3 || r.label.tier4 || r.label.codes)
      .map((r) => ({ recordId: r.id, ...r.label, source: 'imported' as const }))
    if (items.length) await this.deps.labels.put(items)
    const audit = await this.deps.audit.append({ user: actor.user, role: actor.role, action: 'annotations.import', subject: resolve(dir), from: null, to: { records: cases.length, labels: items.length }, evidence: { createdBy: dataset.createdBy, createdAt: dataset.createdAt } })
    return { cases, labelsStored: items.length, audit }
  }
}
