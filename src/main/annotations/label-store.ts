/**
 * The local labelled set: clinician labels (over-reads, annotations, imported datasets) per record, persisted
 * in userDataDir. Each record is assigned to 'train' or 'test' once, from a hash of its id, and keeps that
 * split forever: the test split is the frozen local test set that thresholds and fine-tuned models are judged
 * on, and fine-tuning never sees it.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { zStoredLabel, type LabelItem, type StoredLabel } from '@shared/contract/clinician'
import { readJsonFile, writeJsonAtomic } from '../thresholds/json-file'

const zFile = z.object({ schemaVersion: z.literal(1), testFraction: z.number().min(0).max(1), items: z.array(zStoredLabel) })
type LabelFile = z.infer<typeof zFile>

export const DEFAULT_TEST_FRACTION = 0.3

/** Deterministic split from the record id: the first 32 bits of sha256(id) as a fraction of 2^32. */
export function splitOf(recordId: string, testFraction: number): 'train' | 'test' {
  const h = createHash('sha256').update(recordId).digest()
  return h.readUInt32BE(0) / 2 ** 32 < testFraction ? 'test' : 'train'
}

export class LabelStore {
  private data: LabelFile | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async load(): Promise<LabelFile> {
    this.data ??= await readJsonFile(this.file, zFile, () => ({ schemaVersion: 1 as const, testFraction: DEFAULT_TEST_FRACTION, items: [] }))
    return this.data
  }

  async list(split?: 'train' | 'test'): Promise<StoredLabel[]> {
    const d = await this.load()
    return split ? d.items.filter((i) => i.split === split) : [...d.items]
  }

  /**
   * Insert or replace labels by record id (later labels win: an over-read corrects a source label). Fields a
   * newer item omits are kept from the older one. Writes the whole file atomically or nothing.
   */
  put(items: readonly LabelItem[]): Promise<{ stored: number; changed: number; train: number; test: number }> {
    const run = this.queue.then(async () => {
      const d = await this.load()
      const byId = new Map(d.items.map((i) => [i.recordId, i]))
      const at = this.now().toISOString()
      let changed = 0
      for (const item of items) {
        const old = byId.get(item.recordId)
        const merged: StoredLabel = { ...(old ?? {}), ...stripUndefined(item), recordId: item.recordId, source: item.source, split: old?.split ?? splitOf(item.recordId, d.testFraction), updatedAt: at }
        if (old && sameLabel(old, merged)) continue
        byId.set(item.recordId, merged)
        changed++
      }
      const count = (split: 'train' | 'test', list: StoredLabel[]) => list.filter((i) => i.split === split).length
      if (changed === 0) return { stored: items.length, changed, train: count('train', d.items), test: count('test', d.items) }
      const next: LabelFile = { ...d, items: [...byId.values()] }
      await writeJsonAtomic(this.file, next)
      this.data = next
      return { stored: items.length, changed, train: count('train', next.items), test: count('test', next.items) }
    })
    this.queue = run.catch(() => undefined)
    return run
  }
}

function sameLabel(a: StoredLabel, b: StoredLabel): boolean {
  return a.tier3 === b.tier3 && a.tier4 === b.tier4 && a.source === b.source && (a.codes ?? []).join(',') === (b.codes ?? []).join(',')
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
