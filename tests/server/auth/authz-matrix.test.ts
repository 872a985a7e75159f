import type { Principal } from '../../../shared/auth/authz.ts'
import type { ActionBody, ActionKind, Incident, IncidentState, ReportBody } from '../../../shared/incident/schema.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import type { TestSocket } from '../../helpers/socket.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERNAL } from '../../../server/audit/service.ts'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { principalFor } from '../../../shared/auth/authz.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// The role × action table as built: who may do what on an incident in their own territory.
// Every cell is checked over HTTP and over the socket; anything not listed must be refused with 403.
const DISPATCH = ['admin', 'commander', 'operator']
const OWNERS = [...DISPATCH, 'sector_lead', 'community_staff', 'grid_worker']
const HANDLERS = [...OWNERS, 'post_staff', 'force_member']
const ALLOWED: Record<ActionKind, string[]> = {
  report: [...HANDLERS, 'integration'],
  accept: [...OWNERS, 'post_staff'],
  assign: OWNERS,
  transfer: [...OWNERS, 'post_staff'],
  start: HANDLERS,
  arrive: HANDLERS,
  progress: HANDLERS,
  resolve: HANDLERS,
  verify: OWNERS,
  feedback: [...DISPATCH, 'community_staff', 'grid_worker'],
  close: [...DISPATCH, 'community_staff'],
  return: HANDLERS,
  escalate: HANDLERS,
  reopen: DISPATCH,
  merge: OWNERS,
  reject: [...DISPATCH, 'sector_lead', 'community_staff'],
  // The desk's side of a 12345 order; the hotline's key marks and answers by order number (tests/server/hotline).
  hotline: HANDLERS,
}
const CALLERS = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall', 'integration', 'share'] as const
type Caller = typeof CALLERS[number]

/** The state each action is tried from, and the body that makes it valid there. */
const PLAN: Record<Exclude<ActionKind, 'report'>, { from: IncidentState, body: (t: Target) => ActionBody }> = {
  accept: { from: 'reported', body: () => ({ action: 'accept' }) },
  assign: { from: 'accepted', body: t => ({ action: 'assign', ...t.assign }) },
  transfer: { from: 'assigned', body: () => ({ action: 'transfer', note: '转给同事', assigneeId: 'gw-002' }) },
  start: { from: 'assigned', body: () => ({ action: 'start' }) },
  arrive: { from: 'handling', body: () => ({ action: 'arrive', location: { lon: 106.6, lat: 29.6 } }) },
  progress: { from: 'handling', body: () => ({ action: 'progress', note: '已联系商户' }) },
  resolve: { from: 'handling', body: () => ({ action: 'resolve', note: '已处理' }) },
  verify: { from: 'resolved', body: () => ({ action: 'verify' }) },
  feedback: { from: 'verified', body: () => ({ action: 'feedback', satisfied: true }) },
  close: { from: 'verified', body: () => ({ action: 'close' }) },
  return: { from: 'handling', body: () => ({ action: 'return', note: '不属本岗' }) },
  escalate: { from: 'handling', body: () => ({ action: 'escalate', note: '处置不了' }) },
  reopen: { from: 'closed', body: () => ({ action: 'reopen', note: '群众再次反映' }) },
  merge: { from: 'reported', body: t => ({ action: 'merge', mergeInto: t.twin! }) },
  reject: { from: 'reported', body: () => ({ action: 'reject', note: '不属实' }) },
  hotline: { from: 'handling', body: () => ({ action: 'hotline', hotline: { op: 'reply', text: '已答复来电人' } }) },
}
const PATH: IncidentState[] = ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified', 'closed']

interface Target { category: string, location: { lon: number, lat: number }, assign: Partial<ActionBody>, twin?: string }

let t: TestApp
let operator: Principal
const http: Partial<Record<Caller, Record<string, string>>> = {}
const sockets: Partial<Record<Caller, TestSocket>> = {}

beforeAll(async () => {
  t = await buildTestApp()
  operator = principalFor(t.ctx.reference, 'op-01', ['operator'])
  const url = await t.listen()
  for (const c of CALLERS) {
    if (c === 'integration') {
      http[c] = { authorization: `Bearer ${DEMO_INTEGRATION_KEY}` }
      continue
    }
    const auth: AuthHeaders = c === 'share' ? await t.shareSession() : await t.as(c)
    http[c] = auth
    const w = watcher(url, null, auth.cookie)
    await w.ready
    sockets[c] = w.socket
  }
}, 60_000)
afterAll(async () => {
  Object.values(sockets).forEach(s => s.close())
  await t.close()
})

/** Each caller's own territory: where an action of theirs is in scope. */
function targetFor(c: Caller): Target {
  const ref = t.ctx.reference
  const gridOf = (id: string) => ref.territory.grids.find(g => g.id === id)!
  const workerGrid = gridOf(ref.org.rosters.find(r => r.workerId === 'gw-001')!.gridId)
  if (c === 'community_staff') {
    const cs = ref.org.people.find(p => p.id === 'cs-01')!
    return { category: 'streetlight', location: ref.territory.grids.find(g => g.communityId === cs.communityId)!.center, assign: { assigneeId: 'gw-001' } }
  }
  if (c === 'sector_lead' || c === 'post_staff')
    return { category: 'volunteer_request', location: workerGrid.center, assign: { sectorId: 'party' } }
  if (c === 'force_member')
    return { category: 'noise', location: workerGrid.center, assign: { assigneeId: 'fm-001' } }
  return { category: 'noise', location: workerGrid.center, assign: { assigneeId: 'gw-001' } }
}

/** Builds an incident in `state` inside the target, moved there by the duty operator. */
async function incidentIn(target: Target, state: IncidentState, extra: Partial<ReportBody> = {}): Promise<Incident> {
  const call = { principal: operator, origin: INTERNAL }
  const made = await t.ctx.incidents.report({ category: target.category, description: '权限矩阵', location: target.location, ...extra }, call)
  if (!made.ok)
    throw new Error(made.message)
  let inc = made.data
  const steps: Record<string, ActionBody> = {
    accepted: { action: 'accept' },
    assigned: { action: 'assign', ...target.assign },
    handling: { action: 'start' },
    resolved: { action: 'resolve', note: '办结' },
    verified: { action: 'verify' },
    closed: { action: 'close' },
  }
  for (const s of PATH.slice(1, PATH.indexOf(state) + 1)) {
    const res = await t.ctx.incidents.act(inc.id, steps[s]!, call)
    if (!res.ok)
      throw new Error(`${s}: ${res.message}`)
    inc = res.data
  }
  return inc
}

const cases = CALLERS.flatMap(c => (Object.keys(ALLOWED) as ActionKind[]).map(a => [c, a, ALLOWED[a].includes(c)] as const))

describe('authorisation matrix', () => {
  describe.each(['http', 'socket'] as const)('over %s', (via) => {
    // API keys have no socket (the handshake needs a session: see sessions.test.ts).
    it.each(via === 'socket' ? cases.filter(c => c[0] !== 'integration') : cases)('%s → %s: allowed %s', async (caller, action, allowed) => {
      const target = targetFor(caller)
      let status: number
      if (action === 'report') {
        const body = { category: target.category, description: '矩阵上报', location: target.location }
        if (via === 'http') {
          status = (await t.app.inject({ method: 'POST', url: '/api/incidents', headers: http[caller], payload: body })).statusCode
        }
        else {
          const ack = await sockets[caller]!.emitWithAck('incident:report', { opId: `m-${caller}-${Math.random()}`, body })
          status = ack.ok ? 201 : ack.status
        }
        expect(status).toBe(allowed ? 201 : 403)
        return
      }
      const plan = PLAN[action]
      if (action === 'merge')
        target.twin = (await incidentIn(target, 'reported')).id
      const inc = await incidentIn(target, plan.from, action === 'hotline' ? { hotline: { orderNo: `GD-matrix-${Math.random()}` } } : {})
      const body = plan.body(target)
      if (via === 'http') {
        status = (await t.app.inject({ method: 'POST', url: `/api/incidents/${inc.id}/actions`, headers: http[caller], payload: body })).statusCode
      }
      else {
        const ack = await sockets[caller]!.emitWithAck('incident:action', { opId: `m-${caller}-${action}-${inc.id}`, id: inc.id, body })
        status = ack.ok ? 200 : ack.status
      }
      expect(status).toBe(allowed ? 200 : 403)
    })
  })
})

describe('territory', () => {
  const elsewhere = () => {
    const ref = t.ctx.reference
    const mine = new Set(ref.org.rosters.filter(r => r.workerId === 'gw-001').map(r => r.gridId))
    const cs = ref.org.people.find(p => p.id === 'cs-01')!
    return ref.territory.grids.find(g => !mine.has(g.id) && g.communityId !== cs.communityId)!
  }

  it.each([
    ['grid_worker', 'noise', { action: 'accept' }],
    ['community_staff', 'streetlight', { action: 'accept' }],
    ['sector_lead', 'illegal_parking', { action: 'accept' }],
    ['post_staff', 'illegal_parking', { action: 'accept' }],
  ] as const)('refuses %s acting outside their territory', async (caller, category, body) => {
    const inc = await incidentIn({ category, location: elsewhere().center, assign: {} }, 'reported')
    const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${inc.id}/actions`, headers: http[caller], payload: body })
    expect(res.statusCode).toBe(403)
    expect(res.json().message).toMatch(/territory/)
  })

  it('refuses a grid worker reporting in another grid, and a force member handling what is not assigned to them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: http.grid_worker, payload: { category: 'noise', description: '别人的网格', location: elsewhere().center } })
    expect(res.statusCode).toBe(403)
    const inc = await incidentIn({ category: 'noise', location: elsewhere().center, assign: { assigneeId: 'gw-001' } }, 'handling')
    const res2 = await t.app.inject({ method: 'POST', url: `/api/incidents/${inc.id}/actions`, headers: http.force_member, payload: { action: 'resolve', note: 'x' } })
    expect(res2.statusCode).toBe(403)
  })
})
