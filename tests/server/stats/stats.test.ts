import type { Incident } from '../../../shared/incident/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { Compile } from 'typebox/compile'
import { afterEach, describe, expect, it } from 'vitest'
import { createStatsService } from '../../../server/stats/service.ts'
import { StatsResponse } from '../../../shared/stats/schema.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// Fixtures go through the real incident service on a fixed, movable clock. 2026-11-27 10:00 in Chongqing.
const TEN_AM = Date.parse('2026-11-27T02:00:00Z')
const MIN = 60_000
// The call context in both shapes the incident service has had: a named actor (#2) and a principal (#3).
const operator = {
  actor: { personId: 'op-01', role: 'operator' },
  principal: { kind: 'user', id: 'u-op-01', personId: 'op-01', name: '值班员', roles: ['operator'], gridIds: [], communityId: null, sectorId: null },
  origin: { via: 'internal', ip: null },
} as never

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

async function setup(start = TEN_AM) {
  let clock = start
  t = await buildTestApp({ now: () => new Date(clock) })
  const app = t
  const fx = fixtures(app.ctx)
  const roster = app.ctx.reference.org.rosters.find(r => r.gridId === fx.grid.id)!
  return {
    app,
    fx,
    set: (at: number) => { clock = at },
    advance: (ms: number) => { clock += ms },
    async report(over: Record<string, unknown> = {}): Promise<Incident> {
      const res = await app.ctx.incidents.report(fx.report(over) as never, operator)
      if (!res.ok)
        throw new Error(res.message)
      return res.data
    },
    async act(inc: Incident, action: string, extra: Record<string, unknown> = {}): Promise<Incident> {
      const res = await app.ctx.incidents.act(inc.id, { action, ...extra } as never, operator)
      if (!res.ok)
        throw new Error(`${action}: ${res.message}`)
      return res.data
    },
    /** Walks an incident through the whole closed loop. */
    async close(inc: Incident): Promise<Incident> {
      let i = await this.act(inc, 'accept')
      i = await this.act(i, 'assign', { assigneeId: roster.workerId })
      i = await this.act(i, 'start')
      i = await this.act(i, 'resolve', { note: '已处理' })
      i = await this.act(i, 'verify')
      return this.act(i, 'close')
    },
    /** A fresh computation (no cache) from the service behind the route. */
    stats: (): Promise<StatsResponse> => createStatsService(app.ctx, { ttlMs: 0 }).get(),
  }
}

describe('wall statistics', () => {
  it('counts today\'s reports, acceptances, open, overdue and closed work', async () => {
    const s = await setup()
    const a = await s.report()
    await s.report()
    const c = await s.report()
    await s.act(a, 'accept')
    await s.close(c)
    const before = await s.stats()
    expect(before.today).toEqual({ reported: 3, accepted: 2, open: 2, inProgress: 1, overdue: 0, closed: 1 })

    // A day later nothing was reported or closed "today", and what waited is past its deadline.
    s.advance(24 * 60 * MIN)
    const after = await s.stats()
    expect(after.today).toMatchObject({ reported: 0, accepted: 0, closed: 0, open: 2, overdue: 2 })
  })

  it('draws the day at midnight in Chongqing, not UTC', async () => {
    const midnight = Date.parse('2026-11-26T16:00:00Z') // 2026-11-27 00:00 +08:00
    const s = await setup(midnight - MIN)
    await s.report()
    s.set(midnight + MIN)
    await s.report()
    const stats = await s.stats()
    expect(stats.day).toBe('2026-11-27')
    expect(stats.today.reported).toBe(1)
    expect(stats.daily.at(-1)).toMatchObject({ at: '2026-11-27', reported: 1 })
    expect(stats.daily.at(-2)).toMatchObject({ at: '2026-11-26', reported: 1 })
  })

  it('gives 24 hourly and 30 daily buckets ending now', async () => {
    const s = await setup()
    await s.report()
    s.advance(-3 * 60 * MIN)
    await s.report()
    s.advance(3 * 60 * MIN)
    const stats = await s.stats()
    expect(stats.hourly).toHaveLength(24)
    expect(stats.daily).toHaveLength(30)
    expect(stats.hourly.at(-1)).toMatchObject({ at: '2026-11-27T02:00:00.000Z', reported: 1 })
    expect(stats.hourly.at(-4)).toMatchObject({ at: '2026-11-26T23:00:00.000Z', reported: 1 })
    expect(stats.hourly.reduce((n, p) => n + p.reported, 0)).toBe(2)
  })

  it('measures closure rate, mean times and the share closed inside the grid', async () => {
    const s = await setup()
    const a = await s.report()
    const b = await s.report()
    await s.report()
    s.advance(10 * MIN)
    await s.close(a)
    const escalated = await s.act(b, 'escalate', { note: '网格处理不了' })
    s.advance(20 * MIN)
    await s.close(escalated)
    const stats = await s.stats()
    expect(stats.period).toMatchObject({ days: 30, reported: 3, closed: 2 })
    expect(stats.period.closureRate).toBeCloseTo(2 / 3)
    // a accepted after 10 min, b after 30 min.
    expect(stats.period.avgAcceptMinutes).toBeCloseTo(20)
    expect(stats.loops).toEqual({ closed: 2, grid: 0.5, community: 0.5, subdistrict: 0 })
  })

  it('shows open and overdue work by sector and the 30-day category mix', async () => {
    const s = await setup()
    const sectorCategory = s.app.ctx.catalog.categories.find(c => c.responsibility.type === 'single')!
    await s.report({ category: sectorCategory.code })
    await s.report()
    await s.report()
    const stats = await s.stats()
    const sector = sectorCategory.responsibility.type === 'single' ? sectorCategory.responsibility.sectorId : ''
    expect(stats.sectorLoad.find(r => r.sectorId === sector)).toEqual({ sectorId: sector, open: 1, overdue: 0 })
    expect(stats.sectorLoad.find(r => r.sectorId === null)).toMatchObject({ open: 2 })
    expect(stats.sectorLoad).toHaveLength(s.app.ctx.catalog.sectors.length + 1)
    expect(stats.categories[0]).toEqual({ code: s.fx.category('grid'), count: 2 })
  })

  it('compares the latest full month with the same month a year earlier', async () => {
    const s = await setup(Date.parse('2025-10-10T02:00:00Z'))
    for (let n = 0; n < 4; n++)
      await s.report({ category: 'property_dispute' })
    await s.report({ category: 'petition' })
    s.set(Date.parse('2026-10-20T02:00:00Z'))
    for (let n = 0; n < 3; n++)
      await s.report({ category: 'property_dispute' })
    s.set(TEN_AM)
    await s.report({ category: 'property_dispute' }) // this month: not in the comparison
    const { yoy } = await s.stats()
    expect(yoy).toEqual([
      { code: 'property_dispute', month: '2026-10', count: 3, lastYearMonth: '2025-10', lastYear: 4, change: -0.25 },
      { code: 'petition', month: '2026-10', count: 0, lastYearMonth: '2025-10', lastYear: 1, change: -1 },
    ])
  })

  it('counts N-force members assigned to unfinished work as busy', async () => {
    const s = await setup()
    const unit = s.app.ctx.reference.org.forceUnits[0]!
    const inc = await s.act(await s.report(), 'accept')
    await s.act(inc, 'assign', { assigneeId: unit.memberIds[0] })
    const { forces } = await s.stats()
    const row = forces.find(f => f.kind === unit.kind)!
    const units = s.app.ctx.reference.org.forceUnits.filter(u => u.kind === unit.kind)
    expect(row.units).toBe(units.length)
    expect(row.total).toBe(units.reduce((n, u) => n + u.memberIds.length, 0))
    expect(row.busy).toBe(1)
    expect(row.available).toBe(row.total - 1)
  })

  it('answers GET /api/stats in the documented shape, to signed-in screens only', async () => {
    const s = await setup()
    await s.report()
    expect((await s.app.app.inject('/api/stats')).statusCode).toBe(401)
    const res = await s.app.app.inject({ url: '/api/stats', headers: await s.app.as('wall') })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(Compile(StatsResponse).Errors(body)).toEqual([])
    expect(body.today.reported).toBe(1)
    expect(body.forces.map((f: { kind: string }) => f.kind)).toContain('volunteer')
  })

  it('serves one computation for a few seconds, then recomputes', async () => {
    const s = await setup()
    const stats = createStatsService(s.app.ctx, { ttlMs: 5000 })
    await s.report()
    const first = await stats.get()
    await s.report()
    expect((await stats.get()).today.reported).toBe(first.today.reported)
    s.advance(5000)
    expect((await stats.get()).today.reported).toBe(first.today.reported + 1)
  })
})
