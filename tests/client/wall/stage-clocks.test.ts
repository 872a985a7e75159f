import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { stageClocks } from '../../../client/incident/clocks.ts'
import { reloadDue } from '../../../client/ui/useQuietReload.ts'

const T0 = Date.parse('2026-11-27T02:00:00Z')
const MIN = 60_000
const iso = (t: number) => new Date(t).toISOString()

function incident(over: Partial<Incident>): Incident {
  return {
    id: 'i1',
    version: 1,
    category: 'garbage',
    title: '垃圾乱堆',
    description: 'd',
    severity: 4,
    location: { lon: 106.6, lat: 29.6 },
    address: '',
    channel: 'grid_worker',
    reporterId: null,
    state: 'reported',
    owner: { loop: 'grid', communityId: null, gridId: null, sectorId: null, postId: null, helperSectorIds: [], assigneeId: null },
    reportedAt: iso(T0),
    updatedAt: iso(T0),
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    stageDeadline: iso(T0 + 30 * MIN),
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
    ...over,
  }
}

describe('stage clocks', () => {
  it('counts from the stored report time to now while open', () => {
    const c = stageClocks(incident({}), T0 + 10 * MIN)
    expect(c).toEqual({ sinceReport: 10 * MIN, toAccept: null, toResolve: null, remaining: 20 * MIN })
  })

  it('goes negative once the stage deadline has passed', () => {
    expect(stageClocks(incident({}), T0 + 45 * MIN).remaining).toBe(-15 * MIN)
  })

  it('measures accept and resolve from the report, and stops at closure', () => {
    const closed = incident({ state: 'closed', acceptedAt: iso(T0 + 5 * MIN), resolvedAt: iso(T0 + 50 * MIN), closedAt: iso(T0 + 90 * MIN), stageDeadline: null })
    const c = stageClocks(closed, T0 + 24 * 60 * MIN)
    expect(c).toEqual({ sinceReport: 90 * MIN, toAccept: 5 * MIN, toResolve: 50 * MIN, remaining: null })
  })
})

describe('quiet-hours reload', () => {
  const at330 = Date.parse('2026-11-27T19:30:10Z') // 03:30 on the 28th in Chongqing

  it('is due in the configured minute, Chongqing time', () => {
    expect(reloadDue(at330, '03:30', null)).toBe(true)
    expect(reloadDue(at330 + 60_000, '03:30', null)).toBe(false)
    expect(reloadDue(at330, null, null)).toBe(false)
  })

  it('never reloads twice in a night', () => {
    expect(reloadDue(at330 + 30_000, '03:30', at330)).toBe(false)
    expect(reloadDue(at330 + 24 * 3600_000, '03:30', at330)).toBe(true)
  })
})
