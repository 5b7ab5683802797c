/**
 * Checks a model directory before it may be used: the manifest against the schema, the file against its
 * SHA-256, the ONNX graph against the manifest (input name and shape, output names, head initializers and
 * class count) and the classes against the label catalog. Each failure is one clear sentence naming the place.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { zManifest, type ModelManifest } from '@shared/manifest'
import { tiersOf } from '@shared/labels/catalog'
import { readGraphInfo, OnnxParseError, type OnnxGraphInfo, type OnnxValueInfo } from './onnx-graph'

export class ModelRefusedError extends Error {
  constructor(readonly place: string, detail: string) {
    super(`${place}: ${detail}`)
    this.name = 'ModelRefusedError'
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  const place = join(dir, 'manifest.json')
  let text: string
  try {
    text = await readFile(place, 'utf8')
  } catch {
    throw new ModelRefusedError(place, 'missing or unreadable')
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ModelRefusedError(place, `not valid JSON (${(err as Error).message})`)
  }
  const parsed = zManifest.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new ModelRefusedError(place, `does not match the manifest schema (${issues})`)
  }
  return parsed.data
}

function dimsText(v: OnnxValueInfo): string {
  return `(${v.dims.map((d) => (d === null ? '?' : String(d))).join(', ')})`
}

/** The graph must take exactly what the manifest says and produce the outputs Grad-CAM and fine-tuning use. */
export function checkGraph(m: ModelManifest, g: OnnxGraphInfo, place: string): void {
  const input = g.inputs.find((i) => i.name === m.input.name)
  if (!input) throw new ModelRefusedError(place, `the model has no input '${m.input.name}' (it has ${g.inputs.map((i) => `'${i.name}'`).join(', ') || 'none'})`)
  const [, leads, samples] = m.input.shape
  const fixed = input.dims.slice(1)
  if (input.dims.length !== 3 || fixed[0] !== leads || fixed[1] !== samples) {
    throw new ModelRefusedError(place, `input '${input.name}' has shape ${dimsText(input)} but the manifest says (batch, ${leads}, ${samples})`)
  }
  if (m.input.preprocessing.windowSamples !== samples) {
    throw new ModelRefusedError(place, `manifest preprocessing windowSamples ${m.input.preprocessing.windowSamples} differs from input shape ${samples}`)
  }
  for (const key of ['logits', 'features', 'embedding'] as const) {
    const name = m.outputs[key].name
    if (!g.outputs.some((o) => o.name === name)) throw new ModelRefusedError(place, `the model has no output '${name}' (manifest outputs.${key})`)
  }
  const logits = g.outputs.find((o) => o.name === m.outputs.logits.name)!
  const classes = logits.dims[1]
  if (typeof classes === 'number' && classes !== m.classes.length) {
    throw new ModelRefusedError(place, `output '${logits.name}' has ${classes} classes but the manifest lists ${m.classes.length}`)
  }
  const features = g.outputs.find((o) => o.name === m.outputs.features.name)!
  if (typeof features.dims[1] === 'number' && features.dims[1] !== m.head.inFeatures) {
    throw new ModelRefusedError(place, `output '${features.name}' has ${features.dims[1]} channels but head.inFeatures is ${m.head.inFeatures}`)
  }
  for (const init of [m.head.weightInitializer, m.head.biasInitializer]) {
    if (!g.initializerNames.has(init)) throw new ModelRefusedError(place, `head initializer '${init}' is not in the model`)
  }
}

/** Classes and thresholds must mean what the app's catalog means. */
export function checkClasses(m: ModelManifest, place: string): void {
  if (m.role === 'tier') {
    if (m.labelScheme !== 'tier3' && m.labelScheme !== 'tier4') throw new ModelRefusedError(place, `a tier model needs labelScheme tier3 or tier4, got '${m.labelScheme}'`)
    const expected = tiersOf(m.labelScheme).map((t) => t.key)
    const got = m.classes.map((c) => c.key)
    if (got.join(',') !== expected.join(',')) throw new ModelRefusedError(place, `tier classes must be ${expected.join(', ')} in severity order, got ${got.join(', ')}`)
    for (const key of expected.slice(1)) {
      if (m.thresholds[key] === undefined) throw new ModelRefusedError(place, `no threshold for tier '${key}'`)
    }
  } else {
    if (m.labelScheme !== 'aha') throw new ModelRefusedError(place, `a code model needs labelScheme aha, got '${m.labelScheme}'`)
    if (m.task !== 'multi-label') throw new ModelRefusedError(place, `a code model must be multi-label, got '${m.task}'`)
    const keys = new Set(m.classes.map((c) => c.key))
    if (keys.size !== m.classes.length) throw new ModelRefusedError(place, 'duplicate class keys')
  }
}

export interface VerifiedFile {
  modelPath: string
  sizeBytes: number
  graph: OnnxGraphInfo
}

/** File present, hash as in the manifest, graph matching the manifest. */
export async function verifyModelFile(dir: string, m: ModelManifest): Promise<VerifiedFile> {
  const modelPath = join(dir, m.file)
  let size: number
  try {
    size = (await stat(modelPath)).size
  } catch {
    throw new ModelRefusedError(modelPath, 'model file is missing')
  }
  const bytes = new Uint8Array(await readFile(modelPath))
  const digest = createHash('sha256').update(bytes).digest('hex')
  let graph: OnnxGraphInfo | undefined
  let parseError: string | undefined
  try {
    graph = readGraphInfo(bytes)
  } catch (err) {
    parseError = err instanceof OnnxParseError ? err.message : String(err)
  }
  if (digest !== m.sha256) {
    const why = parseError ? `; the file does not parse as ONNX (${parseError}): truncated or corrupt` : '; the file is corrupt or was modified'
    throw new ModelRefusedError(modelPath, `SHA-256 ${digest.slice(0, 12)}... does not match the manifest's ${m.sha256.slice(0, 12)}...${why}`)
  }
  if (!graph) throw new ModelRefusedError(modelPath, `not a valid ONNX model (${parseError})`)
  checkGraph(m, graph, modelPath)
  return { modelPath, sizeBytes: size, graph }
}
