import type { ActionBody, Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { buildBackfill } from '../../../server/demo/sim/backfill.ts'
import { applyAction, isOpen } from '../../../shared/incident/lifecycle.ts'
import { hourOf } from '../../../shared/kernel/time.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { backfill, byIncident, finals, NOW, REF } from './helpers.ts'

const YEAR_MS = 365 * 24 * 3_600_000

describe('demo back-fill', () => {
  it('is the same for the same seed and differs for another', () => {
    const again = buildBackfill(REF, DEFAULT_CATALOG, { now: NOW, months: 13, seed: 'test' })
    expect(JSON.stringify(again)).toBe(JSON.stringify(backfill().mutations))
    // Seeds compared on one month of history: as telling, a thirteenth of the work.
    const month = (seed: string) => buildBackfill(REF, DEFAULT_CATALOG, { now: NOW, months: 1, seed })
    expect(month('other')[0]!.incident.id).not.toBe(month('test')[0]!.incident.id)
  })

  it('records every incident as contiguous versions from 1 that replay through the lifecycle', () => {
    const all = byIncident(backfill().mutations)
    const final = new Map(finals(backfill().mutations).map(i => [i.id, i]))
    for (const [id, steps] of all) {
      expect(steps.map(s => s.incident.version), id).toEqual(steps.map((_, i) => i + 1))
      expect(steps[0]!.entry.action).toBe('report')
      let current: Incident = steps[0]!.incident
      for (const { incident, entry } of steps.slice(1)) {
        const data = (entry.data ?? {}) as Record<string, string | boolean | null>
        const body: ActionBody = { action: entry.action }
        if (entry.note)
          body.note = entry.note
        if (entry.action === 'assign' || entry.action === 'transfer') {
          if (data.postId)
            body.postId = data.postId as string
          else if (data.sectorId)
            body.sectorId = data.sectorId as string
          if (data.assigneeId)
            body.assigneeId = data.assigneeId as string
        }
        if (entry.action === 'merge')
          body.mergeInto = data.mergeInto as string
        if (entry.action === 'feedback')
          body.satisfied = data.satisfied as boolean
        const mergeTarget = body.mergeInto ? final.get(body.mergeInto) : undefined
        const res = applyAction(current, body, entry.actor, { now: new Date(entry.at), catalog: DEFAULT_CATALOG, mergeTarget, device: entry.device })
        expect(res.ok, `${id} ${entry.action}`).toBe(true)
        if (!res.ok)
          return
        expect(res.incident).toEqual(incident)
        expect(res.entry).toEqual(entry)
        current = res.incident
      }
    }
  })

  it('closes about as many problems a year as the source reports (3,148)', () => {
    const closed = finals(backfill().mutations).filter(i => i.closedAt && Date.parse(i.closedAt) >= NOW.getTime() - YEAR_MS)
    expect(closed.length).toBeGreaterThanOrEqual(3000)
    expect(closed.length).toBeLessThanOrEqual(3500)
  })

  it('tells a realistic story: escalations, rejections, merges, reopenings, and a few open and overdue', () => {
    const incidents = finals(backfill().mutations)
    const count = (f: (i: Incident) => boolean) => incidents.filter(f).length
    const n = incidents.length
    expect(count(i => i.escalations > 0) / n).toBeGreaterThan(0.03)
    expect(count(i => i.escalations > 0) / n).toBeLessThan(0.15)
    expect(count(i => i.state === 'rejected')).toBeGreaterThan(20)
    expect(count(i => i.state === 'merged')).toBeGreaterThan(3)
    expect(count(i => i.reopenCount > 0)).toBeGreaterThan(20)
    const open = incidents.filter(isOpen)
    expect(open.length).toBeGreaterThan(5)
    expect(open.filter(i => Date.parse(i.reportedAt) <= NOW.getTime() - 30 * 24 * 3_600_000).map(i => i.reportedAt)).toEqual([])
    // Reports from the last few days are still being worked on; some of those are past their stage deadline.
    expect(count(i => isOpen(i) && i.stageDeadline !== null && Date.parse(i.stageDeadline) < NOW.getTime())).toBeGreaterThan(0)
    expect(backfill().mutations.filter(m => Date.parse(m.entry.at) >= NOW.getTime()).map(m => `${m.incident.id} ${m.entry.at}`)).toEqual([])
  })

  it('follows the daily rhythm: nights are quiet, mornings busy', () => {
    const hours = Array.from({ length: 24 }, () => 0)
    for (const i of finals(backfill().mutations))
      hours[hourOf(Date.parse(i.reportedAt))]!++
    const night = hours.slice(1, 5).reduce((s, n) => s + n, 0) / 4
    const morning = hours.slice(9, 12).reduce((s, n) => s + n, 0) / 3
    expect(night * 10).toBeLessThan(morning)
  })

  it('uses real people in roles that may act, from the owning grid, community or post', () => {
    const people = new Map(REF.org.people.map(p => [p.id, p]))
    for (const { entry, incident } of backfill().mutations) {
      if (entry.actor.role === 'system' || entry.actor.role === 'integration')
        continue
      const person = people.get(entry.actor.personId)
      expect(person?.roles, entry.actor.personId).toContain(entry.actor.role)
      if (entry.actor.role === 'grid_worker' && incident.owner.gridId)
        expect(REF.org.rosters.find(r => r.gridId === incident.owner.gridId)?.workerId).toBe(person!.id)
      // A post's staff act on their own post's jobs (a transfer hands the job to another post).
      if (entry.actor.role === 'post_staff' && entry.action !== 'transfer')
        expect(person!.postId).toBe(incident.owner.postId)
    }
  })
})
