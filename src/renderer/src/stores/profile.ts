/** The local user profile (name + role) and display settings, persisted in IndexedDB and audited. */
import { defineStore } from 'pinia'
import { appendAudit } from '../db/audit'
import { useDb } from '../db/schema'
import type { Actor, Role } from '../db/types'
import { DEFAULT_DISPLAY, sanitiseDisplay, type DisplaySettings } from '../domain/display'

const DISPLAY_KEY = 'display'

export type CaseViewKind = 'stage1' | 'stage2' | 'annotate'

/** The role decides which panel a case opens on: GPs triage, cardiologists read codes, annotators mark segments. */
export function defaultViewFor(role: Role): CaseViewKind {
  return role === 'gp' ? 'stage1' : role === 'cardiologist' ? 'stage2' : 'annotate'
}

export class ProfileError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'ProfileError'
  }
}

export const useProfileStore = defineStore('profile', {
  state: () => ({
    name: '' as string,
    role: 'gp' as Role,
    hasProfile: false,
    display: { ...DEFAULT_DISPLAY } as DisplaySettings,
    loaded: false,
  }),
  getters: {
    actor(state): Actor {
      if (!state.hasProfile) throw new ProfileError('no user profile: set your name and role first')
      return { user: state.name, role: state.role }
    },
    defaultView(state): CaseViewKind {
      return defaultViewFor(state.role)
    },
  },
  actions: {
    async load(): Promise<void> {
      const db = useDb()
      const p = await db.profile.get('me')
      if (p) Object.assign(this, { name: p.name, role: p.role, hasProfile: true })
      this.display = sanitiseDisplay((await db.settings.get(DISPLAY_KEY))?.value)
      this.loaded = true
    },
    async saveProfile(name: string, role: Role): Promise<void> {
      const clean = name.trim()
      if (!clean) throw new ProfileError('a name is required: it is written into the audit log with every action')
      const db = useDb()
      const before = this.hasProfile ? { user: this.name, role: this.role } : null
      await db.transaction('rw', db.profile, db.auditLog, db.settings, async () => {
        await db.profile.put({ id: 'me', name: clean, role })
        await appendAudit(db, { at: new Date().toISOString(), user: clean, role, action: 'profile.change', caseId: null, modelVersion: null, thresholds: null, details: { from: before } })
      })
      Object.assign(this, { name: clean, role, hasProfile: true })
    },
    async saveDisplay(patch: Partial<DisplaySettings>): Promise<void> {
      const next = sanitiseDisplay({ ...this.display, ...patch })
      const db = useDb()
      const actor = this.hasProfile ? this.actor : null
      await db.transaction('rw', db.settings, db.auditLog, async () => {
        await db.settings.put({ key: DISPLAY_KEY, value: next })
        // opacity moves with a slider: not worth an audit entry per step; paper settings are
        if (actor && (next.layout !== this.display.layout || next.speed !== this.display.speed || next.gain !== this.display.gain || next.amplitudeUnit !== this.display.amplitudeUnit))
          await appendAudit(db, { at: new Date().toISOString(), ...actor, action: 'settings.change', caseId: null, modelVersion: null, thresholds: null, details: { display: next } })
      })
      this.display = next
    },
  },
})
