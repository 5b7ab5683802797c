/**
 * Model registry: finds models/<id>/<version>/{manifest.json, model.onnx} in the shipped models directory and
 * in the user's models directory (local fine-tuned versions), verifies each one (./verify.ts, then a real
 * session opened by the injected probe), and keeps the active version per id and the active id per role in a
 * small JSON file in the user data directory. A refused model is listed with its reason while the others
 * stay usable. The shipped directory is only ever read.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ModelManifest } from '@shared/manifest'
import type { z } from 'zod'
import type { zModelInfo } from '@shared/contract/inference'
import { checkClasses, ModelRefusedError, readManifest, verifyModelFile } from './verify'

export type ModelInfo = z.infer<typeof zModelInfo>
export type ModelRole = 'tier' | 'codes'

export interface ModelEntry {
  id: string
  version: string
  dir: string
  shipped: boolean
  status: 'ok' | 'refused'
  message?: string
  /** Present when the manifest parsed (also for some refused models, to show what they claimed). */
  manifest?: ModelManifest
  /** Path of the verified ONNX file (status 'ok' only). */
  modelPath?: string
  /** model.int8.onnx beside the model, when the pipeline produced one (benchmarks only; not verified). */
  int8Path?: string
}

/** Opens the model in the runtime that will run it and reports its real input/output names. */
export type SessionProbe = (modelPath: string) => Promise<{ inputNames: string[]; outputNames: string[]; inputShapes?: Record<string, Array<number | string>> }>

export interface RegistryOptions {
  shippedDir: string
  userDir: string
  /** JSON file holding the active versions (in the user data directory). */
  stateFile: string
  probe?: SessionProbe
}

interface RegistryState {
  /** id -> active version */
  versions: Record<string, string>
  /** role -> active id (the tier role chooses between triage-tier3 and triage-tier4) */
  roles: Partial<Record<ModelRole, string>>
}

export const DEFAULT_ROLE_IDS: Record<ModelRole, string> = { tier: 'triage-tier3', codes: 'aha-codes' }

export class ModelNotFoundError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'ModelNotFoundError'
  }
}

/** Semantic-version order (prerelease < release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number[], string] => {
    const [core = '', pre = ''] = v.split(/-(.*)/s)
    return [core.split('.').map((n) => Number(n) || 0), pre]
  }
  const [ca, pa] = parse(a)
  const [cb, pb] = parse(b)
  for (let i = 0; i < 3; i++) if ((ca[i] ?? 0) !== (cb[i] ?? 0)) return (ca[i] ?? 0) - (cb[i] ?? 0)
  if (pa === pb) return 0
  if (!pa) return 1
  if (!pb) return -1
  return pa < pb ? -1 : 1
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  } catch {
    return []
  }
}

export class ModelRegistry {
  private entries: ModelEntry[] = []
  private state: RegistryState = { versions: {}, roles: {} }

  constructor(private readonly options: RegistryOptions) {}

  /** (Re)scan both directories and verify every model. */
  async scan(): Promise<ModelEntry[]> {
    this.state = await this.loadState()
    const found: ModelEntry[] = []
    for (const [root, shipped] of [[this.options.shippedDir, true], [this.options.userDir, false]] as const) {
      for (const id of await listDirs(root)) {
        for (const version of await listDirs(join(root, id))) {
          const dir = join(root, id, version)
          if (!shipped && found.some((e) => e.id === id && e.version === version)) {
            found.push({ id, version, dir, shipped, status: 'refused', message: `${dir}: version ${version} of ${id} is already shipped; a local version needs a new number` })
            continue
          }
          found.push(await this.verify(id, version, dir, shipped))
        }
      }
    }
    this.entries = found
    return found
  }

  private async verify(id: string, version: string, dir: string, shipped: boolean): Promise<ModelEntry> {
    const entry: ModelEntry = { id, version, dir, shipped, status: 'refused' }
    const int8 = join(dir, 'model.int8.onnx')
    if (existsSync(int8)) entry.int8Path = int8
    try {
      const m = await readManifest(dir)
      entry.manifest = m
      if (m.id !== id || m.version !== version) throw new ModelRefusedError(join(dir, 'manifest.json'), `says ${m.id}@${m.version} but lies in ${id}/${version}`)
      checkClasses(m, join(dir, 'manifest.json'))
      const file = await verifyModelFile(dir, m)
      if (this.options.probe) {
        let names: Awaited<ReturnType<SessionProbe>>
        try {
          names = await this.options.probe(file.modelPath)
        } catch (err) {
          throw new ModelRefusedError(file.modelPath, `the runtime cannot open it (${err instanceof Error ? err.message : String(err)})`)
        }
        const missing = [m.input.name, m.outputs.logits.name, m.outputs.features.name, m.outputs.embedding.name].filter((n) => !names.inputNames.includes(n) && !names.outputNames.includes(n))
        if (missing.length > 0) throw new ModelRefusedError(file.modelPath, `the opened session lacks ${missing.join(', ')}`)
        const shape = names.inputShapes?.[m.input.name]
        if (shape && (shape.length !== 3 || shape[1] !== 12 || shape[2] !== m.input.shape[2])) {
          throw new ModelRefusedError(file.modelPath, `the opened session takes '${m.input.name}' of shape (${shape.join(', ')}), the manifest says (batch, 12, ${m.input.shape[2]})`)
        }
      }
      entry.status = 'ok'
      entry.modelPath = file.modelPath
    } catch (err) {
      entry.message = err instanceof Error ? err.message : String(err)
    }
    return entry
  }

  all(): readonly ModelEntry[] {
    return this.entries
  }

  get(id: string, version: string): ModelEntry | undefined {
    return this.entries.find((e) => e.id === id && e.version === version)
  }

  /** The version of `id` in use: the persisted choice when it is usable, else the newest usable shipped one. */
  activeVersion(id: string): ModelEntry | undefined {
    const usable = this.entries.filter((e) => e.id === id && e.status === 'ok')
    const chosen = this.state.versions[id]
    const persisted = usable.find((e) => e.version === chosen)
    if (persisted) return persisted
    const shipped = usable.filter((e) => e.shipped).sort((a, b) => compareVersions(b.version, a.version))
    return shipped[0] ?? usable.sort((a, b) => compareVersions(b.version, a.version))[0]
  }

  /** The id serving a role: the persisted choice, else the default (3-tier triage, as the thesis recommends). */
  activeId(role: ModelRole): string {
    return this.state.roles[role] ?? DEFAULT_ROLE_IDS[role]
  }

  /** The model used for a role now; `id` overrides the role's active id (e.g. the CLI's --scheme tier4). */
  active(role: ModelRole, id?: string): ModelEntry | undefined {
    return this.activeVersion(id ?? this.activeId(role))
  }

  /** Make `version` the active version of `id` and `id` the active model of its role; persisted. */
  async activate(id: string, version: string): Promise<void> {
    const entry = this.get(id, version)
    if (!entry) throw new ModelNotFoundError(`no model ${id}@${version}`)
    if (entry.status !== 'ok' || !entry.manifest) throw new ModelNotFoundError(`${id}@${version} is refused: ${entry.message ?? 'unknown reason'}`)
    this.state.versions[id] = version
    this.state.roles[entry.manifest.role] = id
    await this.saveState()
  }

  list(): ModelInfo[] {
    return this.entries.map((e) => {
      const role: ModelRole = e.manifest?.role ?? (e.id.includes('codes') ? 'codes' : 'tier')
      const active = e.status === 'ok' && this.activeId(role) === e.id && this.activeVersion(e.id)?.version === e.version
      return {
        id: e.id,
        version: e.version,
        role,
        labelScheme: e.manifest?.labelScheme ?? 'unknown',
        active,
        status: e.status,
        ...(e.message ? { message: e.message } : {}),
        shipped: e.shipped,
        parentVersion: e.manifest?.parentVersion ?? null,
      }
    })
  }

  private async loadState(): Promise<RegistryState> {
    try {
      const raw = JSON.parse(await readFile(this.options.stateFile, 'utf8')) as Partial<RegistryState>
      const versions = typeof raw.versions === 'object' && raw.versions ? raw.versions : {}
      const roles = typeof raw.roles === 'object' && raw.roles ? raw.roles : {}
      return { versions: { ...versions }, roles: { ...roles } }
    } catch {
      return { versions: {}, roles: {} } // missing or unreadable: defaults (a broken settings file must not stop triage)
    }
  }

  private async saveState(): Promise<void> {
    await mkdir(dirname(this.options.stateFile), { recursive: true })
    const tmp = `${this.options.stateFile}.tmp`
    await writeFile(tmp, JSON.stringify(this.state, null, 2))
    await rename(tmp, this.options.stateFile) // atomic: never a half-written settings file
  }
}
