import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { stageClocks } from '../../../client/incident/clocks.ts'
import { reloadDue } from '../../../client/ui/useQuietReload.ts'
import { makeIncident } from '../../shared/fixtures.ts'

const T0 = Date.parse('2026-11-27T02:00:00Z')
const MIN = 60_000
const iso = (t: number) => new Date(t).toISOString()

/** An incident reported at T0 with 30 minutes to its stage deadline. */
const incident = (over: Partial<Incident>): Incident => makeIncident({ reportedAt: iso(T0), updatedAt: iso(T0), stageDeadline: iso(T0 + 30 * MIN), ...over })

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
