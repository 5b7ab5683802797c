/**
 * WFDB records: a .hea header plus its signal files. Two importers share this code:
 * - 'wfdb': binary .dat signal files (PTB-XL, MIT-BIH style; formats in wfdb-decode.ts);
 * - 'cinc-mat': PhysioNet/CinC Challenge 2020-21 records, whose samples are a MATLAB v4 matrix `val` (12 x N)
 *   and whose header comments carry #Age, #Sex and #Dx (SNOMED CT codes).
 * The header decides which: signal files named *.mat are CinC.
 */
import type { EcgRecord, PatientInfo, SourceFormat, SourceLabel } from '@shared/ecg'
import { EcgImportError } from '@shared/errors'
import { assembleRecord, checkSamplingRate, parseAge, parseSex, recordId, type RawChannel } from './assemble'
import { readMat4 } from './mat4'
import { ptbxlFacts, type SidecarFacts } from './ptbxl-db'
import { asText, decodeText, extension } from './text'
import type { ImportContext, Importer, SourceFile } from './types'
import { bytesFor, checksumsAgree, decodeSamples, samplesIn, SUPPORTED_FORMATS, wfdbChecksum } from './wfdb-decode'
import { commentFields, looksLikeWfdbHeader, parseWfdbHeader, startToIso, unitsToMv, type WfdbHeader, type WfdbSignal } from './wfdb-header'

/** Integer ADC samples of the signals stored in one signal file, interleaved frame by frame. */
interface SignalBlock {
  signals: number[]
  /** (frames * signals.length,) interleaved, or channel-contiguous when `contiguous`. */
  samples: Int32Array | Float64Array
  frames: number
  contiguous: boolean
  integer: boolean
}

function isMatName(name: string): boolean {
  return extension(name) === 'mat'
}

/** Signal file names of a header-looking text, or undefined when the text is not a WFDB header. */
function signalFileNames(head: Uint8Array): string[] | undefined {
  const text = asText(head, true)
  if (text === undefined || !looksLikeWfdbHeader(text)) return undefined
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  const nsig = Number(/^\S+\s+(\d+)/.exec(lines[0] ?? '')?.[1] ?? 0)
  return lines.slice(1, 1 + nsig).map((l) => l.split(/\s+/)[0]!)
}

export class WfdbImporter implements Importer {
  readonly format: SourceFormat

  constructor(private readonly kind: 'dat' | 'mat') {
    this.format = kind === 'dat' ? 'wfdb' : 'cinc-mat'
  }

  sniff(head: Uint8Array): boolean {
    const names = signalFileNames(head)
    if (!names) return false
    // Sniffing does not validate: a multi-segment or broken header still belongs to WFDB, to get WFDB's error.
    return (names.length > 0 && names.every(isMatName)) === (this.kind === 'mat')
  }

  companions(head: Uint8Array): string[] {
    return [...new Set(signalFileNames(head) ?? [])]
  }

  async read(file: SourceFile, ctx: ImportContext): Promise<EcgRecord> {
    const headerBytes = await file.read()
    const text = decodeText(headerBytes)
    if (text === undefined) throw new EcgImportError('malformed-header', file.name, 'the header is not text')
    const header = parseWfdbHeader(file.name, text)
    checkSamplingRate(file.name, header.samplingRateHz)
    if (header.signals.length === 0) throw new EcgImportError('wrong-lead-count', file.name, 'the header lists no signals')
    const parts: Uint8Array[] = [headerBytes]
    const sourceFiles = [file.name]
    const blocks: SignalBlock[] = []
    for (const [fileName, indices] of groupByFile(header.signals)) {
      const sig = await ctx.companion(file, fileName)
      if (!sig) throw new EcgImportError('missing-companion-file', file.name, `signal file "${fileName}" named in the header was not found beside it`)
      const bytes = await sig.read()
      if (bytes.length === 0) throw new EcgImportError('empty-file', sig.name, 'the signal file is empty')
      parts.push(bytes)
      sourceFiles.push(sig.name)
      blocks.push(isMatName(fileName) ? matBlock(sig.name, bytes, header, indices) : datBlock(sig.name, bytes, header, indices))
    }
    const channels = toChannels(file.name, header, blocks)
    const facts = this.kind === 'mat' ? cincFacts(header) : await ptbxlFacts(file, header.recordName, ctx)
    const meta: Record<string, string> = { ...facts?.meta }
    if (header.start.length > 0) meta.recordStart = header.start.join(' ')
    const recordedAt = facts?.recordedAt ?? startToIso(header.start)
    return assembleRecord({
      file: file.name,
      id: recordId(parts),
      name: header.recordName,
      format: this.format,
      sourceFiles,
      samplingRateHz: header.samplingRateHz,
      channels,
      patient: facts?.patient ?? {},
      ...(recordedAt !== undefined ? { recordedAt } : {}),
      labels: facts?.labels ?? [],
      meta,
    })
  }
}

function groupByFile(signals: WfdbSignal[]): Map<string, number[]> {
  const out = new Map<string, number[]>()
  signals.forEach((s, i) => out.set(s.fileName, [...(out.get(s.fileName) ?? []), i]))
  return out
}

function datBlock(file: string, bytes: Uint8Array, header: WfdbHeader, indices: number[]): SignalBlock {
  const first = header.signals[indices[0]!]!
  for (const i of indices) {
    const s = header.signals[i]!
    if (s.format !== first.format || s.byteOffset !== first.byteOffset) {
      throw new EcgImportError('malformed-header', file, `signals in one file must share format and offset (signal ${i + 1}: ${s.format}+${s.byteOffset})`)
    }
    if (s.samplesPerFrame !== 1 || s.skew !== 0) {
      throw new EcgImportError('unsupported-format', file, `signal ${i + 1}: multi-frequency (x${s.samplesPerFrame}) or skewed signals are not supported`)
    }
  }
  if (!SUPPORTED_FORMATS.has(first.format)) {
    throw new EcgImportError('unsupported-format', file, `WFDB format ${first.format} is not supported (supported: ${[...SUPPORTED_FORMATS].join(', ')})`)
  }
  const data = bytes.subarray(first.byteOffset)
  const n = indices.length
  const frames = header.length ?? Math.floor(samplesIn(data.length, first.format) / n)
  const need = bytesFor(frames * n, first.format)
  if (data.length < need) {
    throw new EcgImportError('truncated', file, `the header announces ${frames} samples x ${n} signals (${need} bytes of format ${first.format}) but the file holds ${data.length} bytes`)
  }
  // Without a length in the header the file's size decides, and a partial trailing frame is padding.
  if (header.length !== undefined && data.length > need) {
    throw new EcgImportError('length-mismatch', file, `the file holds ${data.length} bytes but the header announces ${frames} samples x ${n} signals (${need} bytes): header and data disagree`)
  }
  return { signals: indices, samples: decodeSamples(data, first.format, frames * n), frames, contiguous: false, integer: true }
}

function matBlock(file: string, bytes: Uint8Array, header: WfdbHeader, indices: number[]): SignalBlock {
  const val = readMat4(file, bytes).find((m) => m.name === 'val')
  if (!val) throw new EcgImportError('unsupported-format', file, 'the MAT-file has no variable "val"')
  const n = indices.length
  // CinC stores (signals, N); a transposed (N, signals) matrix is accepted too.
  const contiguous = val.rows !== n && val.cols === n
  if (val.rows !== n && !contiguous) {
    throw new EcgImportError('wrong-lead-count', file, `"val" is ${val.rows} x ${val.cols} but the header lists ${n} signals in this file`)
  }
  const frames = contiguous ? val.rows : val.cols
  if (header.length !== undefined && frames !== header.length) {
    const code = frames < header.length ? 'truncated' : 'length-mismatch'
    throw new EcgImportError(code, file, `"val" holds ${frames} samples per signal but the header announces ${header.length}`)
  }
  return { signals: indices, samples: val.data, frames, contiguous, integer: val.integer }
}

/** ADC blocks -> millivolt channels, verifying each signal's checksum and initial value against the header. */
function toChannels(file: string, header: WfdbHeader, blocks: SignalBlock[]): RawChannel[] {
  const frames = blocks[0]!.frames
  const channels: RawChannel[] = new Array<RawChannel>(header.signals.length)
  for (const b of blocks) {
    if (b.frames !== frames) throw new EcgImportError('length-mismatch', file, `signal files hold different lengths (${frames} and ${b.frames})`)
    const n = b.signals.length
    b.signals.forEach((sigIndex, k) => {
      const s = header.signals[sigIndex]!
      const label = s.description || `signal ${sigIndex + 1}`
      const [offset, stride] = b.contiguous ? [k * frames, 1] : [k, n]
      if (b.integer && s.checksum !== undefined) {
        const sum = wfdbChecksum(b.contiguous ? b.samples.subarray(offset, offset + frames) : b.samples, b.contiguous ? 0 : offset, stride)
        if (!checksumsAgree(sum, s.checksum)) {
          throw new EcgImportError('checksum-mismatch', file, `lead ${label}: checksum ${sum} does not match the header's ${s.checksum} (corrupt or altered samples)`)
        }
      }
      if (b.integer && s.initialValue !== undefined && frames > 0 && b.samples[offset] !== s.initialValue) {
        throw new EcgImportError('checksum-mismatch', file, `lead ${label}: first sample ${b.samples[offset]} differs from the header's initial value ${s.initialValue} (wrong byte offset or corrupt file)`)
      }
      const factor = unitsToMv(s.units)
      if (factor === undefined) throw new EcgImportError('unsupported-format', file, `lead ${label}: units "${s.units}" are not a voltage`)
      // (frames,) ADC units -> millivolts: (adc - baseline) / gain, scaled from the header's units.
      const out = new Float32Array(frames)
      const scale = factor / s.gain
      for (let t = 0; t < frames; t++) out[t] = ((b.samples[offset + t * stride] as number) - s.baseline) * scale
      channels[sigIndex] = { label, samples: out }
    })
  }
  return channels
}

/** CinC header comments: #Age, #Sex, #Dx (comma-separated SNOMED CT codes); the rest kept verbatim in meta. */
function cincFacts(header: WfdbHeader): SidecarFacts {
  const fields = commentFields(header.comments)
  const patient: PatientInfo = {}
  const age = parseAge(fields.get('Age'))
  if (age !== undefined) patient.age = age
  const sex = parseSex(fields.get('Sex'))
  if (sex !== undefined) patient.sex = sex
  const labels: SourceLabel[] = (fields.get('Dx') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => /^\d+$/.test(c))
    .map((code) => ({ system: 'snomed', code }))
  const meta: Record<string, string> = {}
  for (const [k, v] of fields) if (k !== 'Age' && k !== 'Sex' && k !== 'Dx') meta[k] = v
  return { labels, patient, meta }
}
