import type { RoutedNotice } from '../../../shared/desk/schema.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { routedBy } from '../../../shared/desk/routed.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// Who is told when an incident lands in their hands: the rule (routed.ts), then the push over real sockets.

const REF = buildCuntanReference()
const roster = REF.org.rosters[0]!
const grid = REF.territory.grids.find(g => g.id === roster.gridId)!
const postStaff = REF.org.people.find(p => p.roles.includes('post_staff') && p.postId)!
const colleagues = REF.org.people.filter(p => p.postId === postStaff.postId).map(p => p.id).sort()

function incident(over: Omit<Partial<Incident>, 'owner'> & { owner?: Partial<Incident['owner']> } = {}): Incident {
  const { owner, ...rest } = over
  return {
    id: 'inc_1',
    version: 2,
    category: 'x',
    title: 't',
    description: 'd',
    severity: 3,
    location: grid.center,
    address: '',
    channel: 'grid_worker',
    reporterId: roster.workerId,
    state: 'assigned',
    reportedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    stageDeadline: null,
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
    owner: { loop: 'grid', communityId: grid.communityId, gridId: grid.id, sectorId: postStaff.sectorId!, postId: postStaff.postId!, helperSectorIds: [], assigneeId: null, ...owner },
    ...rest,
  }
}

describe('routedBy: who is told', () => {
  it('an assignment by name tells that person only', () => {
    expect(routedBy(REF, 'assign', incident({ owner: { assigneeId: 'p-x' } }), 'op')).toEqual({ why: 'assigned', personIds: ['p-x'] })
  })

  it('an assignment to a post tells everyone on that post', () => {
    expect(routedBy(REF, 'assign', incident(), 'op')).toEqual({ why: 'assigned', personIds: colleagues })
  })

  it('a joint case assigned to its lead post tells the helper posts\' staff too', () => {
    const joint = incident({ category: 'expired_food', owner: { loop: 'subdistrict', sectorId: 'safety', postId: 'safety.law_enforcement', helperSectorIds: ['economy'] } })
    const lead = REF.org.people.filter(p => p.postId === 'safety.law_enforcement').map(p => p.id)
    const helper = REF.org.people.filter(p => p.postId === 'economy.business_env').map(p => p.id)
    expect(helper.length).toBeGreaterThan(0)
    expect(routedBy(REF, 'assign', joint, 'op', DEFAULT_CATALOG)).toEqual({ why: 'assigned', personIds: [...lead, ...helper].sort() })
  })

  it('a report into a grid tells its worker, but not when the worker reported it', () => {
    const reported = incident({ state: 'reported', version: 1 })
    expect(routedBy(REF, 'report', reported, 'someone-else')).toEqual({ why: 'reported', personIds: [roster.workerId] })
    expect(routedBy(REF, 'report', reported, roster.workerId)).toBeNull()
  })

  it('an escalation to the community tells its community staff', () => {
    const up = incident({ state: 'reported', owner: { loop: 'community' } })
    const staff = REF.org.people.filter(p => p.communityId === grid.communityId && p.roles.includes('community_staff')).map(p => p.id).sort()
    expect(staff.length).toBeGreaterThan(0)
    expect(routedBy(REF, 'escalate', up, 'system')).toEqual({ why: 'escalated', personIds: staff })
  })

  it('a return to the desk tells the owning loop; accept and resolve tell nobody new', () => {
    expect(routedBy(REF, 'return', incident({ state: 'accepted' }), 'p-h')).toEqual({ why: 'returned', personIds: [roster.workerId] })
    expect(routedBy(REF, 'accept', incident({ state: 'accepted' }), 'p')).toBeNull()
    expect(routedBy(REF, 'resolve', incident({ state: 'resolved' }), 'p')).toBeNull()
  })
})

describe('incident:routed over real sockets', () => {
  let t: TestApp
  let url: string
  let operator: AuthHeaders

  beforeAll(async () => {
    t = await buildTestApp()
    url = await t.listen()
    operator = await t.as('operator')
  })
  afterAll(() => t.close())

  it('reaches the assignee\'s socket at once, and nobody else\'s', async () => {
    const handler = t.ctx.reference.org.people.find(p => p.roles.includes('post_staff'))!
    const other = t.ctx.reference.org.people.find(p => p.roles.includes('post_staff') && p.postId !== handler.postId)!
    const mine = watcher(url, null, (await t.phoneOf(handler.id)).cookie)
    const theirs = watcher(url, null, (await t.phoneOf(other.id)).cookie)
    const got: RoutedNotice[] = []
    const stray: RoutedNotice[] = []
    mine.socket.on('incident:routed', n => got.push(n))
    theirs.socket.on('incident:routed', n => stray.push(n))
    await Promise.all([mine.ready, theirs.ready])
    const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: operator, payload: fixtures(t.ctx).report({ reporterPhone: '13900000000' }) })
    const id = made.json().id as string
    await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: operator, payload: { action: 'accept' } })
    const assigned = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: operator, payload: { action: 'assign', assigneeId: handler.id } })
    expect(assigned.statusCode).toBe(200)
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise(r => setTimeout(r, 10))
    expect(got.map(n => [n.why, n.incident.id, n.incident.owner.assigneeId])).toEqual([['assigned', id, handler.id]])
    // Pushed without personal data: a screen that may see it fetches the incident.
    expect(got[0]!.incident.reporterPhone).toBeUndefined()
    expect(stray).toEqual([])
    mine.close()
    theirs.close()
  })
})
