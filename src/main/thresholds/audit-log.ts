/**
 * Main-side append-only audit log of clinician-loop changes (JSON lines, hash-chained: each record's hash covers
 * the previous record's hash, so an edited or deleted line breaks verification). The same records are returned
 * to the renderer, which appends them to its own Dexie audit log.
 */
import { createHash, randomUUID } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { zAuditRecord, type AuditRecord } from '@shared/contract/clinician'
import { ClinicianStoreError } from './json-file'

export type AuditDraft = Omit<AuditRecord, 'id' | 'at' | 'prevHash' | 'hash'>

const GENESIS = '0'.repeat(64)

/** JSON with object keys sorted at every level, so the hash does not depend on key order after a re-parse. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function auditHash(prevHash: string, body: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex')
}

export class AuditLog {
  private lastHash: string | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends are serialised so concurrent changes still form one chain. */
  append(draft: AuditDraft): Promise<AuditRecord> {
    const next = this.queue.then(async () => {
      const prevHash = this.lastHash ?? (await this.tailHash())
      const body = { ...draft, id: randomUUID(), at: this.now().toISOString(), prevHash }
      const record: AuditRecord = { ...body, hash: auditHash(prevHash, body) }
      await mkdir(dirname(this.file), { recursive: true })
      await appendFile(this.file, JSON.stringify(record) + '\n')
      this.lastHash = record.hash
      return record
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  async list(): Promise<AuditRecord[]> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new ClinicianStoreError('io-error', this.file, (err as Error).message)
    }
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((line, i) => {
        try {
          return zAuditRecord.parse(JSON.parse(line))
        } catch {
          throw new ClinicianStoreError('corrupt-store', this.file, `line ${i + 1} is not an audit record`)
        }
      })
  }

  /** Recompute the chain; returns the index of the first broken record, or -1 when intact. */
  async verify(): Promise<number> {
    const records = await this.list()
    let prev = GENESIS
    for (let i = 0; i < records.length; i++) {
      const { hash, ...body } = records[i]!
      if (body.prevHash !== prev || auditHash(prev, body) !== hash) return i
      prev = hash
    }
    return -1
  }

  private async tailHash(): Promise<string> {
    const records = await this.list()
    return records.length ? records[records.length - 1]!.hash : GENESIS
  }
}
