import type { Principal } from '../../../shared/auth/authz.ts'
import type { QueueAnswer, QueueTab } from '../../../shared/desk/schema.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBackfill } from '../../../server/demo/sim/backfill.ts'
import { deskReach } from '../../../shared/auth/authz.ts'
import { inTab, onDesk, QUEUE_TABS, queueOrder } from '../../../shared/desk/queue.ts'
import { areRelated } from '../../../shared/incident/duplicates.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The desk's queue: the SQL over the whole table answers exactly what shared/desk/queue.ts says each tab holds,
// within each caller's reach, in the queue's order.

const NOW = new Date('2025-06-15T02:30:00.000Z')
const ROLES = ['operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member'] as const

let t: TestApp
let all: Incident[]
let postCase: string
const headers: Record<string, AuthHeaders> = {}
const principals: Record<string, Principal> = {}

async function queue(role: string, query: string): Promise<QueueAnswer> {
  const res = await t.app.inject({ method: 'GET', url: `/api/desk/queue?${query}`, headers: headers[role] })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** Every page of a tab, in the order the server gives. */
async function everyId(role: string, tab: QueueTab, extra = ''): Promise<string[]> {
  const out: string[] = []
  for (let page = 1; ; page++) {
    const a = await queue(role, `tab=${tab}&pageSize=100&page=${page}${extra}`)
    out.push(...a.items.map(i => i.id))
    if (a.items.length < 100)
      return out
  }
}

function expected(role: string, tab: QueueTab, keep: (i: Incident) => boolean = () => true): string[] {
  const p = principals[role]!
  const reach = deskReach(p)
  return all.filter(i => onDesk(reach, p.personId, i) && inTab(tab, i, p.personId, NOW, p.postId ?? null) && keep(i)).sort(queueOrder).map(i => i.id)
}

beforeAll(async () => {
  t = await buildTestApp({ now: () => NOW })
  await t.ctx.store.importMutations(buildBackfill(t.ctx.reference, t.ctx.catalog, { now: NOW, months: 2, seed: 'desk' }))
  for (const role of ROLES) {
    headers[role] = await t.as(role)
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: headers[role] })
    principals[role] = me.json().principal
  }
  // A report by the grid worker, one assigned by name to the force member: "mine" and "assigned" are not empty.
  const gw = principals.grid_worker!
  const grid = t.ctx.reference.territory.grids.find(g => g.id === gw.gridIds[0])!
  const cat = t.ctx.catalog.categories.find(c => c.loop === 'grid')!.code
  const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: headers.grid_worker, payload: { category: cat, description: '井盖缺失 测试', location: grid.center, reporterPhone: '13800001234', reporterName: '张三' } })
  expect(made.statusCode, made.body).toBe(201)
  const id = made.json().id as string
  for (const body of [{ action: 'accept' }, { action: 'assign', assigneeId: principals.force_member!.personId }])
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: headers.operator, payload: body })).statusCode).toBe(200)
  // One assigned to the post staff's post without a name: on their "assigned to me" list too.
  const forPost = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: headers.operator, payload: { category: 'party_member_affairs', description: '党员组织关系转接', location: grid.center } })
  postCase = forPost.json().id
  for (const body of [{ action: 'accept' }, { action: 'assign', postId: principals.post_staff!.postId }])
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${postCase}/actions`, headers: headers.operator, payload: body })).statusCode).toBe(200)
  all = await t.ctx.store.listReportedBetween('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z')
}, 120_000)

afterAll(() => t.close())

describe('desk queue: every tab within every reach', () => {
  it('has a spread of incidents to check against', () => {
    expect(all.length).toBeGreaterThan(300)
    expect(new Set(all.map(i => i.state)).size).toBeGreaterThanOrEqual(5)
  })

  for (const role of ROLES) {
    it(`${role}: each tab holds what queue.ts says, in queue order, with matching counts`, async () => {
      const counts = (await queue(role, 'tab=all&pageSize=1')).counts
      for (const tab of QUEUE_TABS) {
        const want = expected(role, tab)
        expect(await everyId(role, tab), `${role} ${tab}`).toEqual(want)
        expect(counts[tab], `${role} count of ${tab}`).toBe(tab === 'mine' || tab === 'all' ? undefined : want.length)
      }
    }, 60_000)
  }

  it('a post\'s staff find what is assigned to their post, unnamed, under "assigned to me"', async () => {
    expect(principals.post_staff!.postId).toBe('party.org')
    expect(await everyId('post_staff', 'assigned')).toContain(postCase)
    expect(await everyId('sector_lead', 'assigned')).not.toContain(postCase)
  })

  it('a scoped caller sees only their territory: community staff never see another community', async () => {
    const cs = principals.community_staff!
    const ids = await everyId('community_staff', 'all')
    const foreign = all.filter(i => ids.includes(i.id) && i.owner.communityId !== cs.communityId && i.reporterId !== cs.personId)
    expect(foreign.map(i => i.id)).toEqual([])
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.length).toBeLessThan(all.length)
  })
})

describe('desk queue: filters, search and paging', () => {
  it('filters by community, severity and loop the same way the definition does', async () => {
    const community = all.find(i => i.owner.communityId)!.owner.communityId!
    expect(await everyId('operator', 'all', `&communityId=${community}&severity=3`)).toEqual(expected('operator', 'all', i => i.owner.communityId === community && i.severity === 3))
    expect(await everyId('operator', 'handling', '&loop=community')).toEqual(expected('operator', 'handling', i => i.owner.loop === 'community'))
  })

  it('filters by sector including helper sectors, and by a reporting window', async () => {
    const from = '2025-06-01T00:00:00.000Z'
    const to = '2025-06-10T00:00:00.000Z'
    expect(await everyId('operator', 'all', `&sectorId=safety&from=${from}&to=${to}`))
      .toEqual(expected('operator', 'all', i => (i.owner.sectorId === 'safety' || i.owner.helperSectorIds.includes('safety')) && i.reportedAt >= from && i.reportedAt < to))
  })

  it('searches text in title, description, address and the number, case-insensitively', async () => {
    const target = all[17]!
    const word = target.title.slice(0, 2)
    const byText = await everyId('operator', 'all', `&q=${encodeURIComponent(word)}`)
    expect(byText).toEqual(expected('operator', 'all', i => `${i.id}\n${i.title}\n${i.description}\n${i.address}`.toLowerCase().includes(word.toLowerCase())))
    expect(byText).toContain(target.id)
    expect(await everyId('operator', 'all', `&q=${target.id.toUpperCase()}`)).toEqual([target.id])
  })

  it('finds by the reporter\'s phone for a role that may read it, and refuses the field to one that may not', async () => {
    const found = await queue('operator', 'tab=all&phone=0000123')
    expect(found.items.map(i => i.reporterPhone)).toEqual(['13800001234'])
    const refused = await t.app.inject({ method: 'GET', url: '/api/desk/queue?phone=138', headers: headers.force_member })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toMatchObject({ field: 'phone' })
  })

  it('gives personal data only to roles that may read it', async () => {
    const forForce = await queue('force_member', 'tab=assigned')
    expect(forForce.items).toHaveLength(1)
    expect(forForce.items[0]!.reporterPhone).toBeUndefined()
    expect(forForce.items[0]!.reporterName).toBeUndefined()
    const forOperator = await queue('operator', `tab=all&q=${forForce.items[0]!.id}`)
    expect(forOperator.items[0]!.reporterName).toBe('张三')
  })

  it('pages continue where the last one ended, and say how many there are in all', async () => {
    const first = await queue('operator', 'tab=all&pageSize=25&page=1')
    const second = await queue('operator', 'tab=all&pageSize=25&page=2')
    const want = expected('operator', 'all')
    expect(first.total).toBe(want.length)
    expect([...first.items, ...second.items].map(i => i.id)).toEqual(want.slice(0, 50))
    expect(second.page).toBe(2)
  })

  it('answers bad parameters with a 400 naming the field', async () => {
    for (const [query, field] of [['tab=later', 'tab'], ['pageSize=500', 'pageSize'], ['severity=9', 'severity'], ['from=yesterday', 'from']] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/desk/queue?${query}`, headers: headers.operator })
      expect(res.statusCode, query).toBe(400)
      expect(res.json().field, query).toBe(`querystring.${field}`)
    }
  })
})

describe('merge candidates', () => {
  it('suggests the same or a related category nearby and recent, nearest first, never itself', async () => {
    const target = all.filter(i => i.state === 'reported' || i.state === 'accepted').at(-1) ?? all.at(-1)!
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${target.id}/similar`, headers: headers.operator })
    expect(res.statusCode).toBe(200)
    const got = res.json() as { incident: Incident, meters: number }[]
    const since = Date.parse(target.reportedAt) - 7 * 86_400_000
    for (const c of got) {
      expect(c.incident.id).not.toBe(target.id)
      expect(areRelated(t.ctx.duplicates.rules(), c.incident.category, target.category), c.incident.category).toBe(true)
      expect(c.meters).toBeLessThanOrEqual(800)
      expect(Date.parse(c.incident.reportedAt)).toBeGreaterThanOrEqual(since)
    }
    expect(got.map(c => c.meters)).toEqual([...got.map(c => c.meters)].sort((a, b) => a - b))
    // A twin reported a few metres away is found.
    const twin = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: headers.operator, payload: { category: target.category, description: '重复反映', location: { lon: target.location.lon + 0.0001, lat: target.location.lat } } })
    const again = await t.app.inject({ method: 'GET', url: `/api/incidents/${twin.json().id}/similar`, headers: headers.operator })
    expect(again.json().map((c: { incident: Incident }) => c.incident.id)).toContain(target.id)
    expect(again.json()[0].meters).toBeLessThan(20)
  })

  it('is a 404 naming the id for an unknown incident', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/incidents/inc_nope/similar', headers: headers.operator })
    expect(res.statusCode).toBe(404)
    expect(res.json().field).toBe('id')
  })
})
