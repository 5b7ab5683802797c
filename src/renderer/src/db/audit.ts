/**
 * Append-only, hash-chained audit log. Each entry stores SHA-256(prevHash + canonical JSON of its body), so
 * changing, removing or reordering any entry breaks every later link; the head (last seq + hash) is also kept in
 * `settings` so cutting entries off the end is detected too. Hashing uses crypto.subtle (WebCrypto).
 */
import Dexie from 'dexie'
import type { WorkstationDb } from './schema'
import type { AuditBody, AuditEntry } from './types'

export const GENESIS_HASH = '0'.repeat(64)
const HEAD_KEY = 'auditHead'

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Only the body fields are hashed (never seq/prevHash/hash themselves). */
export function auditBody(e: AuditBody): AuditBody {
  return { at: e.at, user: e.user, role: e.role, action: e.action, caseId: e.caseId, modelVersion: e.modelVersion, thresholds: e.thresholds, details: e.details }
}

export function hashEntry(prevHash: string, body: AuditBody): Promise<string> {
  return sha256Hex(`${prevHash}\n${canonicalJson(auditBody(body))}`)
}

/**
 * Append one entry. Joins the caller's transaction when there is one (so a case and its audit entry commit or
 * fail together); Dexie.waitFor keeps the IndexedDB transaction alive across the async WebCrypto digest.
 */
export function appendAudit(db: WorkstationDb, body: AuditBody): Promise<AuditEntry> {
  return db.transaction('rw', db.auditLog, db.settings, async () => {
    const last = await db.auditLog.orderBy('seq').last()
    const prevHash = last?.hash ?? GENESIS_HASH
    const hash = await Dexie.waitFor(hashEntry(prevHash, body))
    const entry: AuditEntry = { ...auditBody(body), prevHash, hash }
    const seq = await db.auditLog.add(entry)
    await db.settings.put({ key: HEAD_KEY, value: { seq, hash } })
    return { ...entry, seq }
  })
}

export type ChainReport = { ok: true; count: number } | { ok: false; count: number; brokenAt: number; reason: string }

/** Recompute the whole chain. Reports the first entry whose link or content does not match. */
export async function verifyChain(db: WorkstationDb): Promise<ChainReport> {
  const entries = await db.auditLog.orderBy('seq').toArray()
  let prev = GENESIS_HASH
  for (const e of entries) {
    const seq = e.seq ?? -1
    if (e.prevHash !== prev) return { ok: false, count: entries.length, brokenAt: seq, reason: 'does not link to the entry before it (an entry was removed or reordered)' }
    if ((await hashEntry(e.prevHash, e)) !== e.hash) return { ok: false, count: entries.length, brokenAt: seq, reason: 'content does not match its hash (the entry was changed)' }
    prev = e.hash
  }
  const head = (await db.settings.get(HEAD_KEY))?.value as { seq: number; hash: string } | undefined
  if (head && head.hash !== prev) return { ok: false, count: entries.length, brokenAt: head.seq, reason: 'the latest entries are missing (the log was cut short)' }
  if (!head && entries.length > 0) return { ok: false, count: entries.length, brokenAt: entries[entries.length - 1]?.seq ?? -1, reason: 'the chain head record is missing' }
  return { ok: true, count: entries.length }
}
