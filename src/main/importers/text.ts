/** Text helpers for sniffing and parsing the text formats (WFDB headers, CSV, XML). */

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode bytes as UTF-8 text, or undefined when they are not text (NUL bytes, invalid UTF-8, many control
 * characters). A head cut mid-character is tolerated by dropping up to 3 trailing bytes.
 */
export function asText(bytes: Uint8Array, truncated = false): string | undefined {
  if (bytes.includes(0)) return undefined
  let text: string | undefined
  for (let cut = 0; cut <= (truncated ? 3 : 0) && text === undefined; cut++) {
    try {
      text = utf8.decode(bytes.subarray(0, bytes.length - cut))
    } catch {
      text = undefined
    }
  }
  if (text === undefined) return undefined
  let control = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++
  }
  return control > text.length / 100 ? undefined : text.replace(/^\uFEFF/, '')
}

/** Decode a file known to be text; the caller gives the error when it is not. */
export function decodeText(bytes: Uint8Array): string | undefined {
  return asText(bytes, false)
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}

/** Strip a trailing extension: "A0001.hea" -> "A0001". */
export function stem(baseName: string): string {
  const dot = baseName.lastIndexOf('.')
  return dot > 0 ? baseName.slice(0, dot) : baseName
}

export function extension(baseName: string): string {
  const dot = baseName.lastIndexOf('.')
  return dot > 0 ? baseName.slice(dot + 1).toLowerCase() : ''
}
