import type { Principal, Target } from '../../../shared/auth/authz.ts'
import type { ActionKind, Incident } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { bulkAcceptSteps, bulkAssignSteps } from '../../../client/screens/desk/bulk.ts'
import { deskActions, routedOption } from '../../../client/screens/desk/offer.ts'
import { queueUrl } from '../../../client/screens/desk/queue-store.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { authorizeIncident } from '../../../shared/auth/authz.ts'

const ref = buildCuntanReference()
const community = ref.territory.communities[0]!.id

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    version: 1,
    category: 'missing_manhole',
    title: '井盖缺失',
    description: '井盖缺失',
    severity: 2,
    location: { lon: 106.6, lat: 29.6 },
    address: '',
    channel: 'grid_worker',
    reporterId: null,
    state: 'reported',
    owner: { loop: 'community', communityId: community, gridId: null, sectorId: 'livelihood', postId: 'livelihood.urban', helperSectorIds: [], assigneeId: null },
    reportedAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    stageDeadline: null,
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
    ...over,
  }
}

function principal(role: string, over: Partial<Principal> = {}): Principal {
  return { kind: 'user', id: role, personId: `p-${role}`, name: role, roles: [role] as Principal['roles'], gridIds: [], communityId: null, sectorId: null, ...over }
}
const mayAs = (p: Principal) => (a: ActionKind, t: Target) => authorizeIncident(p, a, t).allow

describe('queueUrl', () => {
  it('sends the tab, the page and only the filters that are set', () => {
    expect(queueUrl('intake', { q: '井盖', communityId: undefined, severity: 2, phone: '' }, 3)).toBe('/api/desk/queue?tab=intake&page=3&pageSize=20&q=%E4%BA%95%E7%9B%96&severity=2')
  })
})

describe('deskActions', () => {
  it('offers community staff in their community what the state allows them', () => {
    const staff = principal('community_staff', { communityId: community })
    expect(deskActions(incident(), mayAs(staff))).toEqual(['accept', 'escalate', 'merge', 'reject'])
  })

  it('offers nothing outside the caller\'s territory', () => {
    const staff = principal('community_staff', { communityId: 'elsewhere' })
    expect(deskActions(incident(), mayAs(staff))).toEqual([])
  })

  it('never offers escalation from the top loop', () => {
    const operator = principal('operator')
    expect(deskActions(incident({ owner: { ...incident().owner, loop: 'subdistrict' } }), mayAs(operator))).toEqual(['accept', 'merge', 'reject'])
  })
})

describe('routedOption', () => {
  it('is the post routing chose, so confirming it is one click', () => {
    expect(routedOption(ref.org, incident())).toMatchObject({ postId: 'livelihood.urban', personId: null, why: 'routed' })
  })

  it('is absent when routing chose no post', () => {
    expect(routedOption(ref.org, incident({ owner: { ...incident().owner, postId: null } }))).toBeNull()
  })
})

describe('bulk steps', () => {
  const operator = mayAs(principal('operator'))
  const reported = incident({ id: 'a' })
  const accepted = incident({ id: 'b', state: 'accepted', version: 2 })
  const noPost = incident({ id: 'c', state: 'accepted', owner: { ...incident().owner, postId: null } })

  it('accepts only what waits for acceptance', () => {
    expect(bulkAcceptSteps([reported, accepted], operator).map(s => [s.incident.id, s.body])).toEqual([['a', { action: 'accept' }]])
  })

  it('assigns each accepted incident to its own routed post and skips those without one', () => {
    expect(bulkAssignSteps([reported, accepted, noPost], ref.org, operator).map(s => [s.incident.id, s.body])).toEqual([['b', { action: 'assign', postId: 'livelihood.urban' }]])
  })
})
