import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// The horse race over HTTP: patrol check-ins, a worker's own breakdown, everyone's (admin), rankings for the
// wall, and frozen months that later data cannot change.

let now = new Date('2026-10-31T16:30:00.000Z') // 00:30 on 1 November in Chongqing
let t: TestApp
let myGrid: { id: string, center: { lon: number, lat: number } }
let otherGrid: { id: string, center: { lon: number, lat: number } }

beforeAll(async () => {
  t = await buildTestApp({ now: () => now })
  const me = t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!
  const mine = t.ctx.reference.org.rosters.find(r => r.workerId === me.id)!.gridId
  myGrid = t.ctx.reference.territory.grids.find(g => g.id === mine)!
  otherGrid = t.ctx.reference.territory.grids.find(g => g.id !== mine && t.ctx.grids.locate(g.center)?.id === g.id)!
})
afterAll(() => t.close())

const sessions = new Map<string, Record<string, string>>()
/** Signs in again whenever the test clock has moved: it jumps weeks, past any session's idle limit. */
async function as(who: string): Promise<Record<string, string>> {
  const key = `${who}@${now.getTime()}`
  if (sessions.has(key))
    return sessions.get(key)!
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who, password: demoPassword(who) } })
  const cookie = res.cookies.find(c => c.name === SESSION_COOKIE)!
  sessions.set(key, { 'cookie': `${SESSION_COOKIE}=${cookie.value}`, 'x-csrf-token': res.json().csrf as string })
  return sessions.get(key)!
}
const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: await as(who) })
async function post(who: string, url: string, payload: object, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, payload, headers: { ...(await as(who)), ...headers } })
}

describe('patrol check-ins', () => {
  it('records a grid worker\'s check-in inside their grid, once per operation id', async () => {
    const first = await post('grid_worker', '/api/patrols', { location: myGrid.center, note: '巡查楼栋消防通道' }, { 'idempotency-key': 'patrol-0001' })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ gridId: myGrid.id, at: now.toISOString() })
    const again = await post('grid_worker', '/api/patrols', { location: myGrid.center, note: '巡查楼栋消防通道' }, { 'idempotency-key': 'patrol-0001' })
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(first.json().id)
    expect((await get('grid_worker', '/api/patrols/me?month=2026-11')).json()).toHaveLength(1)
  })

  it('refuses a check-in outside the worker\'s grids, and anyone who is not a grid worker', async () => {
    const outside = await post('grid_worker', '/api/patrols', { location: otherGrid.center })
    expect(outside.statusCode).toBe(403)
    expect(outside.json().field).toBe('location')
    expect((await post('admin', '/api/patrols', { location: myGrid.center })).statusCode).toBe(403)
    expect((await post('leader', '/api/patrols', { location: myGrid.center })).statusCode).toBe(403)
    const denied = await t.ctx.authStore.queryAudit({ action: 'patrol:checkin', result: 'deny', limit: 10 })
    expect(denied.length).toBeGreaterThanOrEqual(3)
  })

  it('refuses a time in the future or more than a week back', async () => {
    const res = await post('grid_worker', '/api/patrols', { location: myGrid.center, at: '2026-12-01T00:00:00.000Z' })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('at')
  })
})

describe('monthly scores', () => {
  it('shows a worker their own breakdown with every input and the arithmetic', async () => {
    // A report at 00:30 on 1 November (Chongqing) counts in November.
    const { report } = fixtures(t.ctx)
    expect((await post('grid_worker', '/api/incidents', report({ location: myGrid.center }))).statusCode).toBe(201)
    now = new Date('2026-11-15T04:00:00.000Z')
    const res = await get('grid_worker', '/api/scores/me?month=2026-11')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ month: '2026-11', frozen: false, of: t.ctx.reference.org.rosters.length })
    // Category, place and address are there; the description (楼道堆放杂物) is under 10 characters and there is no photo.
    expect(body.score.inputs).toMatchObject({ reports: 1, reportFieldsChecked: 5, reportFieldsFilled: 3, patrols: 1, activeDays: 1 })
    expect(body.score.dimensions.map((d: { key: string }) => d.key)).toEqual(['completeness', 'activity', 'completion'])
    expect(body.score.formula).toMatch(/= \d+\.\d\d$/)
    expect((await get('grid_worker', '/api/scores/me?month=2026-10')).json().score.inputs.reports).toBe(0)
  })

  it('lets admin and the commander see everyone\'s scores, and no one else', async () => {
    const all = await get('admin', '/api/scores?month=2026-11')
    expect(all.statusCode).toBe(200)
    expect(all.json().scores).toHaveLength(t.ctx.reference.org.rosters.length)
    expect((await get('commander', '/api/scores?month=2026-11')).statusCode).toBe(200)
    for (const who of ['grid_worker', 'community_staff', 'leader', 'wall'])
      expect((await get(who, '/api/scores?month=2026-11')).statusCode, who).toBe(403)
    expect((await get('admin', '/api/scores/me')).statusCode).toBe(404)
  })

  it('gives the wall the rankings, and refuses a month that has not started', async () => {
    const res = await get('wall', '/api/scores/rankings?month=2026-11')
    expect(res.statusCode).toBe(200)
    const r = res.json()
    expect(r.gridWorkers).toHaveLength(t.ctx.reference.org.rosters.length)
    expect(r.gridWorkers[0].rank).toBe(1)
    expect(r.sectors.map((s: { id: string }) => s.id).sort()).toEqual(t.ctx.catalog.sectors.map(s => s.id).sort())
    expect(r.tierCounts.map((c: { name: string }) => c.name)).toEqual(['优秀', '良好', '合格', '不合格'])
    expect((await get('wall', '/api/scores/rankings?month=2026-12')).statusCode).toBe(400)
    expect((await get('wall', '/api/scores/rankings?month=2026-13')).statusCode).toBe(400)
  })
})

describe('frozen months', () => {
  it('freezes an ended month once, and later data does not change it', async () => {
    // A wall watches (since November, when nothing had ended): the freeze reaches it once, as it happens.
    const url = await t.listen()
    const wall = watcher(url, null, (await as('wall')).cookie)
    const heard: string[] = []
    wall.socket.on('scores:frozen', e => heard.push(e.month))
    await wall.ready
    now = new Date('2026-12-02T02:00:00.000Z')
    const frozen = await post('admin', '/api/scores/freeze', {})
    expect(frozen.statusCode).toBe(200)
    expect(frozen.json().frozen).toEqual(['2026-11'])
    expect((await post('admin', '/api/scores/freeze', {})).json().frozen).toEqual([])
    await expect.poll(() => heard).toEqual(['2026-11'])
    wall.close()
    const before = (await get('admin', '/api/scores?month=2026-11')).json()
    expect(before.frozen).toBe(true)

    // Late data for November: a check-in written straight to the store, and one refused over HTTP.
    await t.ctx.store.scoring.importPatrols([{ id: 'pt_late', personId: before.scores.find((s: { gridIds: string[] }) => s.gridIds.includes(myGrid.id)).personId, gridId: myGrid.id, at: '2026-11-20T02:00:00.000Z', location: myGrid.center, note: null, device: null, recordedAt: now.toISOString() }])
    expect((await t.ctx.store.scoring.listPatrols('2026-11-19T16:00:00.000Z', '2026-11-20T16:00:00.000Z'))).toHaveLength(1)
    const refused = await post('grid_worker', '/api/patrols', { location: myGrid.center, at: '2026-11-30T10:00:00.000Z' })
    expect(refused.statusCode).toBe(409)

    const after = (await get('admin', '/api/scores?month=2026-11')).json()
    expect(after).toEqual(before)
    expect((await get('grid_worker', '/api/scores/me?month=2026-11')).json().score.inputs.patrols).toBe(1)
  })

  it('is append-only in the database itself', async () => {
    const store = t.ctx.store.scoring
    const frozen = (await store.getFrozen('2026-11'))!
    expect(await store.freeze({ ...frozen, frozenAt: 'later', scores: [] })).toEqual(frozen)
  })

  it('compares the running month with the frozen one before it', async () => {
    const r = (await get('wall', '/api/scores/rankings?month=2026-12')).json()
    expect(r.previousMonth).toBe('2026-11')
    expect(r.gridWorkers).toHaveLength(127)
    expect(r.gridWorkers.filter((w: { previousRank: number | null }) => w.previousRank === null)).toEqual([])
  })
})
