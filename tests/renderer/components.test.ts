import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { h } from 'vue'
import { setDb, WorkstationDb } from '../../src/renderer/src/db/schema'
import type { CaseRow } from '../../src/renderer/src/db/types'
import VirtualList from '../../src/renderer/src/components/worklist/VirtualList.vue'
import WorklistView from '../../src/renderer/src/components/worklist/WorklistView.vue'
import Stage1Panel from '../../src/renderer/src/components/case/Stage1Panel.vue'
import Stage2Panel from '../../src/renderer/src/components/case/Stage2Panel.vue'
import { route } from '../../src/renderer/src/router'
import { useWorklistStore } from '../../src/renderer/src/stores/worklist'
import { useProfileStore } from '../../src/renderer/src/stores/profile'
import { recordId, result, summary } from './fixtures'

let db: WorkstationDb
let n = 0
beforeEach(async () => {
  setActivePinia(createPinia())
  db = new WorkstationDb(`components-${++n}`)
  setDb(db)
  await useProfileStore().saveProfile('Dr Vos', 'gp')
})
afterEach(async () => {
  setDb(null)
  db.close()
  await Dexie.delete(db.name)
})

function row(i: number, over: Partial<CaseRow> = {}): CaseRow {
  return { id: recordId(i), summary: summary(i), importedAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, status: 'triaged', analysis: 'done', flagKinds: [], codes: [], urgency: 3, tierKey: 'normal', confidence: 0.9, ...over }
}

describe('VirtualList', () => {
  it('keeps a handful of rows in the DOM for 5,000 items and follows the scroll position', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `r${i}` }))
    const w = mount(VirtualList, { props: { items, rowHeight: 40 }, slots: { row: ({ item }: { item: { id: string } }) => h('span', { class: 'cell' }, item.id) } as never })
    const cells = () => w.findAll('.cell').map((c) => c.text())
    expect(cells().length).toBeLessThan(40)
    expect(cells()[0]).toBe('r0')
    const el = w.find('[data-testid="worklist-scroller"]').element as HTMLElement
    el.scrollTop = 40 * 3000
    await w.find('[data-testid="worklist-scroller"]').trigger('scroll')
    expect(cells()).toContain('r3000')
    expect(cells()).not.toContain('r0')
    expect((w.find('.vlist-sizer').element as HTMLElement).style.height).toBe('200000px')
  })
})

describe('WorklistView', () => {
  it('shows cases in urgency order and moves/open with the keyboard', async () => {
    const wl = useWorklistStore()
    wl.upsert(row(1))
    wl.upsert(row(2, { tierKey: 'urgent', urgency: 0, flagKinds: ['quality'] }))
    wl.upsert(row(3, { needsHumanRead: true, urgency: 1 }))
    const w = mount(WorklistView, { attachTo: document.body })
    await flushPromises()
    const tiers = () => w.findAll('[data-testid="case-row"]').map((r) => r.attributes('data-tier'))
    expect(tiers()).toEqual(['urgent', 'normal', 'normal'])
    expect(w.findAll('[data-testid="case-row"]')[0]!.text()).toContain('Signal quality problem')
    expect(w.findAll('[data-testid="case-row"]')[1]!.text()).toContain('Needs a human read')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j' }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }))
    await flushPromises()
    expect(wl.selectedId).toBe(recordId(3))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k' }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))
    expect(route.value).toEqual({ name: 'case', id: recordId(2) })
    await w.find('[data-testid="filter-tier"]').setValue('urgent')
    expect(tiers()).toEqual(['urgent'])
    w.unmount()
  })
})

describe('Stage panels', () => {
  it('Stage 1 states the tier, the action, the threshold in force and flags in plain words', () => {
    const r = result(1, 'urgent', { probs: [0.2, 0.3, 0.5] })
    r.provenance.thresholds = { 'tier:non-urgent': 0.5, 'tier:urgent': 0.35 }
    r.flags = [{ kind: 'quality', severity: 'warn', message: 'baseline wander', leads: ['V1'] }]
    const w = mount(Stage1Panel, { props: { result: r, selected: false }, global: { stubs: { EChart: true } } })
    expect(w.get('[data-testid="stage1-tier"]').text()).toBe('Urgent')
    expect(w.get('[data-testid="recommended-action"]').text()).toContain('Refer urgently')
    expect(w.get('[data-testid="threshold"]').text()).toBe('Threshold in force for “Urgent”: 0.35')
    expect(w.get('[data-testid="flags"]').text()).toContain('Signal quality problem: baseline wander (V1)')
  })
  it('Stage 2 lists only codes above threshold, grouped most severe tier first, and asks to explain by class index', async () => {
    const r = result(1, 'urgent', { codes: [['1', 0.6], ['50', 0.9], ['22', 0.2]] })
    r.codes = r.codes.map((c, i) => ({ ...c, classIndex: i + 10, tier: c.code === '50' ? 'urgent' : 'normal' }))
    const w = mount(Stage2Panel, { props: { result: r, selectedCode: null } })
    expect(w.findAll('[data-testid="code-item"]').map((b) => b.attributes('data-code'))).toEqual(['50', '1'])
    await w.findAll('[data-testid="code-item"]')[0]!.trigger('click')
    expect(w.emitted('explain')).toEqual([[11, '50 code 50']])
  })
})
