import { describe, expect, it } from 'vitest'
import { decodeWire, encodeWire } from '@shared/contract/wire'
import { createHttpApi } from '../../src/renderer/src/api/http'
import { attributionOption, tierProbabilityOption } from '../../src/renderer/src/charts/attribution'
import { scrollToReveal, virtualWindow } from '../../src/renderer/src/components/worklist/virtual'
import { chunkUploads, stemOf } from '../../src/renderer/src/domain/files'
import { sanitiseDisplay } from '../../src/renderer/src/domain/display'
import { tierThresholdInForce } from '../../src/renderer/src/domain/thresholds'
import { compareCases, recommendedAction, urgencyOf } from '../../src/renderer/src/domain/tiers'
import { t } from '../../src/renderer/src/i18n'
import { parseHash, toHash } from '../../src/renderer/src/router'
import { result } from './fixtures'

describe('virtual list window', () => {
  it('renders only the rows in view plus overscan, whatever the list length', () => {
    expect(virtualWindow(0, 400, 40, 5000, 5)).toEqual({ start: 0, end: 16, offsetTop: 0, totalHeight: 200_000 })
    const mid = virtualWindow(100_000, 400, 40, 5000, 5)
    // first visible row 2500, 11 rows in view (+1 partial), 5 overscan each side
    expect(mid).toEqual({ start: 2495, end: 2516, offsetTop: 99_800, totalHeight: 200_000 })
    expect(virtualWindow(199_800, 400, 40, 5000, 5).end).toBe(5000)
    expect(virtualWindow(0, 400, 40, 0)).toMatchObject({ start: 0, end: 0 })
    expect(() => virtualWindow(0, 400, 0, 10)).toThrow(RangeError)
  })
  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(5, 0, 400, 40)).toBeNull()
    expect(scrollToReveal(20, 0, 400, 40)).toBe(440)
    expect(scrollToReveal(2, 200, 400, 40)).toBe(80)
  })
})

describe('chart option builders', () => {
  it('attribution: one bar per lead in order, strongest lead highlighted', () => {
    const leads = ['I', 'II', 'III']
    const o = attributionOption(leads, [0.1, 0.5, 0.2], 'attr') as { yAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[] }[] }
    expect(o.yAxis.data).toEqual(leads)
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([0.1, 0.5, 0.2])
    expect(o.series[0]!.data.map((d) => d.itemStyle.color)).toEqual(['#7f8c8d', '#c0392b', '#7f8c8d'])
    expect(() => attributionOption(leads, [1], 'x')).toThrow(/1 values for 3 leads/)
  })
  it('tier probabilities: decided tier highlighted, threshold drawn as a line', () => {
    const o = tierProbabilityOption(['normal', 'non-urgent', 'urgent'], ['N', 'NU', 'U'], [0.2, 0.3, 0.5], 2, 0.3) as {
      series: { data: { itemStyle: { color: string } }[]; markLine?: { data: { yAxis: number }[] } }[]
    }
    expect(o.series[0]!.data[2]!.itemStyle.color).toBe('#2c3e50')
    expect(o.series[0]!.markLine!.data[0]!.yAxis).toBe(0.3)
    const none = tierProbabilityOption(['a', 'b'], ['a', 'b'], [0.5, 0.5], 0, null) as { series: { markLine?: unknown }[] }
    expect(none.series[0]!.markLine).toBeUndefined()
  })
})

describe('tier domain', () => {
  it('urgency groups: urgent first, then needs-read/failed, then unanalysed, then the rest, signed last', () => {
    expect(urgencyOf({ status: 'triaged', analysis: 'done', tierKey: 'critical' })).toBe(0)
    expect(urgencyOf({ status: 'triaged', analysis: 'done', tierKey: 'normal', needsHumanRead: true })).toBe(1)
    expect(urgencyOf({ status: 'new', analysis: 'failed' })).toBe(1)
    expect(urgencyOf({ status: 'new', analysis: 'pending' })).toBe(2)
    expect(urgencyOf({ status: 'triaged', analysis: 'done', tierKey: 'non-urgent' })).toBe(3)
    expect(urgencyOf({ status: 'reviewed', analysis: 'done', tierKey: 'normal', review: { tierKey: 'urgent' } })).toBe(0)
    expect(urgencyOf({ status: 'signed', analysis: 'done', tierKey: 'urgent' })).toBe(4)
    const c = (urgency: number, importedAt: string, name: string) => ({ urgency, importedAt, summary: { name } })
    const sorted = [c(3, '2', 'a'), c(0, '9', 'z'), c(3, '1', 'b'), c(3, '1', 'a')].sort(compareCases)
    expect(sorted.map((x) => `${x.urgency}${x.importedAt}${x.summary.name}`)).toEqual(['09z', '31a', '31b', '32a'])
  })
  it('never recommends "reassure" for an uncertain result', () => {
    expect(recommendedAction('urgent', false)).toBe('refer-urgently')
    expect(recommendedAction('urgent', true)).toBe('refer-urgently')
    expect(recommendedAction('normal', true)).toBe('human-read')
    expect(recommendedAction('normal', false)).toBe('reassure')
    expect(recommendedAction('major', false)).toBe('refer-routine')
    expect(recommendedAction('minor', false)).toBe('follow-up')
  })
  it('threshold in force: own tier threshold, or the first abnormal tier for normal (prefixed keys)', () => {
    const r = result(1, 'urgent')
    r.provenance.thresholds = { 'tier:non-urgent': 0.55, 'tier:urgent': 0.25, 'code:50': 0.5 }
    expect(tierThresholdInForce(r)).toEqual({ key: 'urgent', value: 0.25 })
    const n = result(1, 'normal')
    n.provenance.thresholds = { 'tier:non-urgent': 0.55, 'tier:urgent': 0.25 }
    expect(tierThresholdInForce(n)).toEqual({ key: 'non-urgent', value: 0.55 })
  })
})

describe('small helpers', () => {
  it('router round-trips routes and falls back to the worklist', () => {
    for (const r of [{ name: 'worklist' }, { name: 'settings' }, { name: 'case', id: 'ab12' }, { name: 'report', id: 'a/b' }] as const) expect(parseHash(toHash(r))).toEqual(r)
    expect(parseHash('#/nonsense')).toEqual({ name: 'worklist' })
  })
  it('i18n fills parameters and leaves unknown ones visible', () => {
    expect(t('triage.progress', { done: 3, total: 20 })).toBe('Triaging 3 / 20')
    expect(t('triage.progress', { done: 3 })).toBe('Triaging 3 / {total}')
  })
  it('uploads keep companion files together and respect the file limit', () => {
    const f = (name: string, size = 10) => ({ name, bytes: new Uint8Array(size) })
    expect(stemOf('dir/00001_hr.hea')).toBe('00001_hr')
    const chunks = chunkUploads([f('a.hea'), f('b.hea'), f('a.dat'), f('b.dat'), f('c.h5')], 3)
    expect(chunks.map((c) => c.map((x) => x.name))).toEqual([['a.hea', 'a.dat'], ['b.hea', 'b.dat', 'c.h5']])
    expect(chunkUploads([f('a.dat', 60), f('b.dat', 60)], 100, 100)).toHaveLength(2)
  })
  it('display settings keep only allowed values', () => {
    expect(sanitiseDisplay({ layout: '12x1', speed: 33, gain: 20, heatmapOpacity: 3 })).toEqual({ layout: '12x1', speed: 25, gain: 20, amplitudeUnit: 'mV', heatmapOpacity: 0.45 })
  })
})

describe('HTTP transport', () => {
  it('posts tagged JSON per channel, decodes typed arrays and raises the server error by name', async () => {
    const sent: { url: string; body: string }[] = []
    const fetchImpl = async (url: string, init: { body: string }) => {
      sent.push({ url, body: init.body })
      if (decodeURIComponent(url).endsWith('records:get')) return { status: 400, text: async () => JSON.stringify({ error: { name: 'IpcValidationError', message: 'Invalid request on "records:get": id: bad' } }) }
      return { status: 200, text: async () => encodeWire({ recordId: 'r', cam: new Float32Array([0.25, 1]) }) }
    }
    const events: { type: string; fn: (e: { data: string }) => void }[] = []
    const api = createHttpApi('http://127.0.0.1:1', fetchImpl, () => ({ addEventListener: (type, fn) => events.push({ type, fn }), close: () => {} }))
    const e = await api['inference:explain']({ recordId: 'r', target: { role: 'tier', classIndex: 1 } })
    expect(sent[0]!.url).toBe('http://127.0.0.1:1/api/invoke/inference%3Aexplain')
    expect(decodeWire(sent[0]!.body)).toEqual({ recordId: 'r', target: { role: 'tier', classIndex: 1 } })
    expect(e.cam).toBeInstanceOf(Float32Array)
    expect(Array.from(e.cam)).toEqual([0.25, 1])
    await expect(api['records:get']({ id: 'x' })).rejects.toMatchObject({ name: 'IpcValidationError', status: 400, message: expect.stringContaining('id: bad') })
    const got: unknown[] = []
    const off = api.on('inference:progress', (p) => got.push(p))
    events[0]!.fn({ data: encodeWire({ jobId: 'j', done: 1, total: 2 }) })
    off()
    events[0]!.fn({ data: encodeWire({ jobId: 'j', done: 2, total: 2 }) })
    expect(got).toEqual([{ jobId: 'j', done: 1, total: 2 }])
  })
})
