import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'

// The duty roster over HTTP: read by every screen, edited by the duty desk, and who is reached last.
// Cuntan's people: cmd-01 the commander, op-01…op-06 duty operators, ld-01…ld-12 subdistrict leaders.

let t: TestApp
// 2026-07-10 20:00 in Chongqing.
const now = new Date('2026-07-10T12:00:00.000Z')

beforeAll(async () => {
  t = await buildTestApp({ now: () => now })
})
afterAll(() => t.close())

const put = async (date: string, body: object, who = 'operator') => t.app.inject({ method: 'PUT', url: `/api/duty/${date}`, headers: await t.as(who), payload: body })

describe('the duty roster', () => {
  it('lets the commander, an operator and an admin set a day', async () => {
    const first = await put('2026-07-10', { leaderId: 'ld-03', operatorIds: ['op-01', 'op-02'] })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({ id: '2026-07-10', version: 1, leader: { id: 'ld-03', name: '张艳雪' }, operators: [{ id: 'op-01' }, { id: 'op-02' }] })
    expect((await put('2026-07-11', { leaderId: 'cmd-01', operatorIds: ['op-03'] }, 'commander')).statusCode).toBe(201)
    const edit = await put('2026-07-11', { leaderId: 'ld-05', operatorIds: ['op-03', 'op-04'], version: 1 }, 'admin')
    expect(edit.statusCode, edit.body).toBe(200)
    expect(edit.json().version).toBe(2)
  })

  it('refuses roles that may not edit it, and says why', async () => {
    for (const who of ['grid_worker', 'leader', 'wall', 'sector_lead']) {
      const res = await put('2026-07-12', { leaderId: 'ld-01', operatorIds: [] }, who)
      expect(res.statusCode, who).toBe(403)
    }
    const share = await t.shareSession()
    expect((await t.app.inject({ method: 'PUT', url: '/api/duty/2026-07-12', headers: share, payload: { leaderId: null, operatorIds: [] } })).statusCode).toBe(403)
  })

  it('refuses people who cannot stand that duty, a stale version and an impossible day, naming the field', async () => {
    const gridWorker = t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!.id
    expect((await put('2026-07-12', { leaderId: gridWorker, operatorIds: [] })).json().field).toBe('leaderId')
    expect((await put('2026-07-12', { leaderId: 'ld-01', operatorIds: ['op-01', 'ld-02'] })).json().field).toBe('operatorIds[1]')
    expect((await put('2026-07-12', { leaderId: 'ld-01', operatorIds: ['op-01', 'op-01'] })).json().field).toBe('operatorIds')
    const stale = await put('2026-07-11', { leaderId: 'ld-01', operatorIds: [], version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().field).toBe('version')
    expect((await put('2026-02-30', { leaderId: null, operatorIds: [] })).statusCode).toBe(400)
    expect((await put('2029-07-10', { leaderId: null, operatorIds: [] })).json().field).toBe('date')
  })

  it('is read by every screen, names only, with the people who may be put on it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/duty?from=2026-07-09&days=7', headers: await t.as('wall') })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.days.map((d: { id: string }) => d.id)).toEqual(['2026-07-10', '2026-07-11'])
    expect(JSON.stringify(body)).not.toMatch(/1[3-9]\d{9}/) // no mobile numbers
    expect(body.candidates.leaders.map((p: { id: string }) => p.id)).toContain('cmd-01')
    expect(body.candidates.leaders.map((p: { id: string }) => p.id)).toContain('ld-12')
    expect(body.candidates.operators.map((p: { id: string }) => p.id)).toEqual(['cmd-01', 'op-01', 'op-02', 'op-03', 'op-04', 'op-05', 'op-06'])
    // A day's roster is in the change log, so walls follow an edit live.
    const log = await t.app.inject({ method: 'GET', url: '/api/changes?since=0&limit=1000', headers: await t.as('commander') })
    expect(log.json().changes.filter((c: { kind: string }) => c.kind === 'duty').map((c: { id: string }) => c.id)).toEqual(['2026-07-10', '2026-07-11', '2026-07-11'])
  })
})

describe('ctx.duty.lastResort', () => {
  it('answers the day\'s leader, then its operators, by the Asia/Shanghai day', async () => {
    // 23:59:59 on 10 July in Chongqing, then midnight: 11 July.
    expect(await t.ctx.duty.lastResort(new Date('2026-07-10T15:59:59.000Z'))).toEqual(['ld-03', 'op-01', 'op-02'])
    expect(await t.ctx.duty.lastResort(new Date('2026-07-10T16:00:00.000Z'))).toEqual(['ld-05', 'op-03', 'op-04'])
    // Early on 10 July in Chongqing is still 9 July in UTC: the Chongqing day decides.
    expect(await t.ctx.duty.lastResort(new Date('2026-07-09T16:30:00.000Z'))).toEqual(['ld-03', 'op-01', 'op-02'])
    expect(await t.ctx.duty.lastResort()).toEqual(['ld-03', 'op-01', 'op-02'])
  })

  it('falls back to the commanders on a day nobody is rostered', async () => {
    expect(await t.ctx.duty.lastResort(new Date('2026-07-20T04:00:00.000Z'))).toEqual(['cmd-01'])
    // A day cleared of everyone is empty too.
    expect((await put('2026-07-13', { leaderId: null, operatorIds: [] })).statusCode).toBe(201)
    expect(await t.ctx.duty.lastResort(new Date('2026-07-13T04:00:00.000Z'))).toEqual(['cmd-01'])
  })
})
