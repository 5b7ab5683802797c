/**
 * Small JSON stores for the clinician loop: validated on read, written atomically (temp file + rename) so a
 * crash mid-write never leaves half a file, and a corrupt file is reported by name instead of being replaced.
 */
import { mkdir, readFile, rename, writeFile, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { z } from 'zod'

export class ClinicianStoreError extends Error {
  constructor(
    readonly code: 'corrupt-store' | 'io-error',
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`)
    this.name = 'ClinicianStoreError'
  }
}

/** The parsed file, or `fallback` when it does not exist. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, fallback: () => z.output<S>): Promise<z.output<S>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback()
    throw new ClinicianStoreError('io-error', file, `cannot read: ${(err as Error).message}`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new ClinicianStoreError('corrupt-store', file, `not valid JSON (${(err as Error).message}); the file was left untouched`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ClinicianStoreError('corrupt-store', file, `unexpected content at ${issue?.path.join('.') || '(root)'}: ${issue?.message}; the file was left untouched`)
  }
  return parsed.data
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeBytesAtomic(file, new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n'))
}

export async function writeBytesAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  try {
    await writeFile(tmp, bytes)
    const fh = await open(tmp, 'r+')
    await fh.sync()
    await fh.close()
    await rename(tmp, file)
  } catch (err) {
    throw new ClinicianStoreError('io-error', file, `cannot write: ${(err as Error).message}`)
  }
}
