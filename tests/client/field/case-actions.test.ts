import type { Principal } from '../../../client/auth/rights.ts'
import type { PendingAction } from '../../../client/screens/field/case-actions.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { permitsAction } from '../../../client/auth/rights.ts'
import { deadlineParts, expectedVersion, phoneActions, predictState } from '../../../client/screens/field/case-actions.ts'
import { makeIncident } from '../../shared/fixtures.ts'

function person(roles: string[], over: Partial<Principal> = {}): Principal {
  return { kind: 'user', id: `u-${roles[0]}`, personId: `p-${roles[0]}`, name: roles[0]!, roles, gridIds: [], communityId: null, sectorId: null, ...over }
}
const gridWorker = person(['grid_worker'], { gridIds: ['a-s'], communityId: 'a' })
const postStaff = person(['post_staff'], { sectorId: 'safety' })
const force = person(['force_member'])

const pending = (...bodies: PendingAction['body'][]): PendingAction[] => bodies.map((body, i) => ({ opId: `op-${i}`, body }))
const offered = (p: Principal, inc: Incident, queued: PendingAction[] = []) => phoneActions(inc, queued, a => permitsAction(p, a, inc.owner))

describe('the phone\'s incident actions', () => {
  it('offers a grid worker accept on a report in their grid, and nothing on one elsewhere', () => {
    expect(offered(gridWorker, makeIncident())).toEqual(['accept'])
    expect(offered(gridWorker, makeIncident({ owner: { ...makeIncident().owner, gridId: 'b-n', communityId: 'b' } }))).toEqual([])
  })

  it('offers the handler start, then arrive, progress, resolve and return while handling', () => {
    const assigned = makeIncident({ state: 'assigned', owner: { ...makeIncident().owner, sectorId: 'safety', assigneeId: 'p-post_staff' } })
    expect(offered(postStaff, assigned)).toEqual(['start', 'progress', 'return'])
    expect(offered(postStaff, { ...assigned, state: 'handling' })).toEqual(['arrive', 'progress', 'resolve', 'return'])
    expect(offered(postStaff, { ...assigned, state: 'handling', arrivedAt: '2024-07-10T08:05:00.000Z' })).toEqual(['progress', 'resolve', 'return'])
  })

  it('offers an N-force member only what is assigned to them by name', () => {
    const mine = makeIncident({ state: 'assigned', owner: { ...makeIncident().owner, assigneeId: 'p-force_member' } })
    expect(offered(force, mine)).toEqual(['start', 'progress', 'return'])
    expect(offered(force, { ...mine, owner: { ...mine.owner, assigneeId: 'someone-else' } })).toEqual([])
  })

  it('offers feedback on a verified incident to the grid worker, not to the post that handled it', () => {
    const verified = makeIncident({ state: 'verified', owner: { ...makeIncident().owner, sectorId: 'safety' } })
    expect(offered(gridWorker, verified)).toEqual(['feedback'])
    expect(offered(postStaff, verified)).toEqual([])
  })

  it('shows the state the queued actions will lead to, and offers the step after it', () => {
    const assigned = makeIncident({ state: 'assigned', version: 3, owner: { ...makeIncident().owner, sectorId: 'safety', assigneeId: 'p-post_staff' } })
    const queued = pending({ action: 'start' }, { action: 'arrive' })
    expect(predictState(assigned, queued)).toBe('handling')
    expect(offered(postStaff, assigned, queued)).toEqual(['progress', 'resolve', 'return'])
    expect(predictState(assigned, pending({ action: 'start' }, { action: 'resolve', note: '好了' }))).toBe('resolved')
    // Once resolved the next step is the checker's (return from resolved is a failed verification).
    expect(offered(postStaff, assigned, pending({ action: 'start' }, { action: 'resolve', note: '好了' }))).toEqual([])
    expect(predictState({ state: 'verified' }, pending({ action: 'feedback', satisfied: false }))).toBe('assigned')
    expect(predictState({ state: 'verified' }, pending({ action: 'feedback', satisfied: true }))).toBe('closed')
  })

  it('offers nothing more once the worker handed the incident back', () => {
    const handling = makeIncident({ state: 'handling', owner: { ...makeIncident().owner, sectorId: 'safety', assigneeId: 'p-post_staff' } })
    expect(offered(postStaff, handling, pending({ action: 'return', note: '不属本岗' }))).toEqual([])
  })

  it('expects the seen version, or the one after the last action still on its way', () => {
    expect(expectedVersion({ version: 3 }, [])).toBe(3)
    expect(expectedVersion({ version: 3 }, pending({ action: 'start', expectedVersion: 3 }, { action: 'arrive', expectedVersion: 4 }))).toBe(5)
    // The start's answer already updated the held copy; the start is still listed: the chain is unchanged.
    expect(expectedVersion({ version: 4 }, pending({ action: 'start', expectedVersion: 3 }))).toBe(4)
  })
})

describe('a case\'s deadline on the phone', () => {
  it('gives the Chongqing time, and the day when it is not today there', () => {
    const now = Date.parse('2026-12-06T15:00:00Z') // 23:00 in Chongqing
    expect(deadlineParts(Date.parse('2026-12-06T15:30:00Z'), now)).toEqual({ time: '23:30', m: null, d: null })
    expect(deadlineParts(Date.parse('2026-12-06T16:30:00Z'), now)).toEqual({ time: '00:30', m: 12, d: 7 })
  })
})
