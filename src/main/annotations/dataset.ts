/**
 * The open annotation dataset: one folder per export, readable without this app.
 *   dataset.json         index: records, labels, segment annotations, provenance (schema below)
 *   records/<id>.f32     samples, float32 little-endian, lead-major (leads, length), millivolts
 *   README.md            how to load it (Python/numpy snippet)
 * Import validates everything (schema, files, sizes, sha256, finite samples, segment bounds) before changing
 * anything.
 */
import { z } from 'zod'
import { STANDARD_LEADS } from '@shared/leads'
import { zSegment } from '@shared/contract/clinician'

export const DATASET_FORMAT = 'ecg-triage-annotations'

export const zDatasetRecord = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  file: z.string().regex(/^records\/[0-9a-f]{64}\.f32$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  samplingRateHz: z.number().positive(),
  length: z.number().int().positive(),
  leads: z.array(z.enum(STANDARD_LEADS)).min(1).max(12),
  units: z.literal('mV'),
  sourceFormat: z.string(),
  patient: z.object({ age: z.number().optional(), sex: z.enum(['M', 'F']).optional() }),
  sourceLabels: z.array(z.object({ system: z.string(), code: z.string() })),
  label: z.object({ tier3: z.string().optional(), tier4: z.string().optional(), codes: z.array(z.string()).optional() }),
  segments: z.array(zSegment),
  aiResult: z.object({ tier: z.string().optional(), codes: z.array(z.string()).optional(), modelVersion: z.string().optional() }).optional(),
})

export const zDataset = z.object({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  createdBy: z.string(),
  labelMappingVersion: z.string(),
  layout: z.literal('float32 little-endian, lead-major (leads, length), millivolts'),
  records: z.array(zDatasetRecord).min(1),
})

export type Dataset = z.infer<typeof zDataset>
export type DatasetRecord = z.infer<typeof zDatasetRecord>

export const README = `# ECG triage annotation dataset

Exported by the ECG triage workstation. Open format, one folder:

- \`dataset.json\`: \`records[]\` with \`id\` (SHA-256 of the source files), \`samplingRateHz\`, \`length\`, \`leads\`
  (row order of the samples), \`label\` (\`tier3\`, \`tier4\`, AHA \`codes\`), \`segments\` (\`start_s\`, \`end_s\`,
  \`leads\` or ["all"], \`code\`/\`tier\`, \`note\`, \`ai_wrong\`), the AI's answer at the time, and \`sha256\` of the
  samples file.
- \`records/<id>.f32\`: float32 little-endian, lead-major, shape (len(leads), length), millivolts.

\`\`\`python
import json, numpy as np
ds = json.load(open("dataset.json"))
for r in ds["records"]:
    x = np.fromfile(r["file"], dtype="<f4").reshape(len(r["leads"]), r["length"])  # (leads, samples) mV
\`\`\`
`

/** Segment sanity against its record: inside the recording, start before end, known leads. */
export function segmentProblem(seg: z.infer<typeof zSegment>, durationS: number, leads: readonly string[]): string | null {
  if (!(seg.end_s > seg.start_s)) return `segment ${seg.start_s}-${seg.end_s} s ends before it starts`
  if (seg.end_s > durationS + 1e-6) return `segment ${seg.start_s}-${seg.end_s} s runs past the end of the ${durationS.toFixed(2)}-s recording`
  const bad = seg.leads.filter((l) => l !== 'all' && !leads.includes(l))
  if (bad.length) return `segment names lead(s) ${bad.join(', ')} that the record does not have`
  return null
}
