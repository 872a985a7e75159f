import type { Principal } from '../../../shared/auth/authz.ts'
import type { Operation, Plan, Task } from '../../../shared/wartime/schema.ts'
import type { AuthHeaders } from '../../helpers/app.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { loadCuntanPackage } from '../../../server/setup/packages.ts'
import { RESPONDER_COLUMNS, RESPONDER_SHEET } from '../../../server/wartime/after-action/xlsx.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { testConfig } from '../../helpers/app.ts'

// An exercise outside the demo: a real install (demo off) with its own package and accounts, four responders of one
// community answering at controlled times, then the report read back from the figures, the HTML and the XLSX.

const T0 = Date.parse('2026-07-15T02:00:00.000Z')
const MIN = 60_000
let clock = new Date(T0)
function at(minutes: number) {
  clock = new Date(T0 + minutes * MIN)
  return clock.toISOString()
}

const store = createSqliteStore({ file: ':memory:' })
let ctx: Awaited<ReturnType<typeof createContext>>
let app: Awaited<ReturnType<typeof buildApp>>['app']
const sessions = new Map<string, AuthHeaders>()
let people: { id: string, name: string }[] = []
let assigned: Map<string, string[]>
let op: Operation

beforeAll(async () => {
  ctx = await createContext(testConfig({ demo: false }), { store, now: () => clock })
  await ensureAccounts(ctx, { ONESCREEN_ADMIN_PASSWORD: 'a-long-admin-password-2026' })
  await ctx.setup.seed(await loadCuntanPackage(), 'the Cuntan package, imported by the admin')
  const ref = ctx.reference
  const worker = ref.org.people.find(p => p.roles.includes('grid_worker'))!
  for (const [username, role, personId] of [['zhang.cmd', 'commander', null], ['li.duty', 'operator', null], ['wang.grid', 'grid_worker', worker.id], ['zhao.leader', 'leader', null]] as const)
    await ctx.auth.createAccount({ username, password: `${username}-password-2026`, name: username, roles: [role], personId })
  ;({ app } = await buildApp(ctx))
  for (const username of ['zhang.cmd', 'li.duty', 'wang.grid', 'zhao.leader']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: `${username}-password-2026` } })
    expect(res.statusCode, res.body).toBe(200)
    sessions.set(username, { 'cookie': `${SESSION_COOKIE}=${res.cookies.find(c => c.name === SESSION_COOKIE)!.value}`, 'x-csrf-token': res.json().csrf })
  }

  // The exercise plan: the patrol of the red rainstorm plan, narrowed to four workers of one community.
  const base = (await ctx.wartime.plan('rainstorm-red'))!
  const communityOf = new Map(ref.territory.grids.map(g => [g.id, g.communityId]))
  const patrol = matchPlan(base, ref).filter(a => a.templateId === 'patrol')
  const community = communityOf.get(patrol[0]!.gridIds[0]!)
  const chosen = patrol.filter(a => a.gridIds.some(g => communityOf.get(g) === community)).slice(0, 4)
  expect(chosen).toHaveLength(4)
  const names = new Map(ref.org.people.map(p => [p.id, p.name]))
  people = chosen.map(a => ({ id: a.personId, name: names.get(a.personId)! }))
  assigned = new Map(chosen.map(a => [a.personId, a.gridIds]))
  const { version: _v, updatedAt: _u, ...rest } = base
  const plan: Omit<Plan, 'version' | 'updatedAt'> = { ...rest, id: 'exercise-patrol', name: '演练：巡查', templates: [{ ...base.templates[0]!, personIds: people.map(p => p.id) }] }
  expect((await app.inject({ method: 'PUT', url: '/api/plans/exercise-patrol', headers: sessions.get('zhang.cmd')!, payload: plan })).statusCode).toBe(201)
})
afterAll(async () => {
  await app.close()
  ctx.presence.close()
  await store.close()
})

const as = (username: string) => sessions.get(username)!
const responder = (personId: string): Principal => ({ kind: 'user', id: `acc-${personId}`, personId, name: personId, roles: ['grid_worker'], gridIds: [], communityId: null, sectorId: null })
const call = (personId: string) => ({ principal: responder(personId), origin: { via: 'http' as const, ip: null } })
async function report(personId: string, state: 'acknowledged' | 'on_scene' | 'done', minutes: number) {
  at(minutes)
  const res = await ctx.wartime.taskStatus(call(personId), `${op.id}:patrol:${personId}`, { state })
  expect(res.ok, JSON.stringify(res)).toBe(true)
}
describe('an exercise outside the demo', () => {
  it('is declared as an exercise, and its tasks say so', async () => {
    at(0)
    const declared = await app.inject({ method: 'POST', url: '/api/wartime/declare', headers: as('zhang.cmd'), payload: { reason: '汛期应急演练', exercise: true } })
    expect(declared.statusCode, declared.body).toBe(201)
    op = declared.json()
    expect(op.exercise).toBe(true)
    expect((await app.inject({ method: 'GET', url: '/api/wartime', headers: as('zhao.leader') })).json().operation.exercise).toBe(true)
    at(1)
    const activated = await app.inject({ method: 'POST', url: '/api/wartime/activate', headers: as('li.duty'), payload: { planId: 'exercise-patrol' } })
    expect(activated.statusCode, activated.body).toBe(200)
    const tasks: Task[] = (await app.inject({ method: 'GET', url: '/api/wartime', headers: as('zhao.leader') })).json().tasks
    expect(tasks.map(t => t.assigneeId).sort(), 'only the chosen group gets tasks').toEqual(people.map(p => p.id).sort())
    expect(tasks.every(t => t.title.startsWith('【演练】'))).toBe(true)
  })

  it('ends with a report whose figures match the recorded timeline', async () => {
    const [a, b, c, d] = people
    at(1.5)
    await ctx.wartime.received(responder(a!.id), `${op.id}:patrol:${a!.id}`)
    await report(a!.id, 'acknowledged', 2)
    await report(b!.id, 'acknowledged', 3)
    at(6.5) // the patrol's 5-minute deadline has passed: c and d are re-sent
    expect(await ctx.wartime.tick()).toEqual({ resent: 2, escalated: 0 })
    await report(a!.id, 'on_scene', 7)
    await report(c!.id, 'acknowledged', 8)
    at(9.5) // half the window again: d is escalated
    expect(await ctx.wartime.tick()).toEqual({ resent: 0, escalated: 1 })
    // The duty desk issues pumps from a depot that holds some during the operation, and takes one back.
    const depot = ctx.reference.facilities.depots.find(x => x.items.some(i => i.kind === 'pump' && i.qty >= 3))!
    for (const [kind, qty] of [['issue', 3], ['return', 1]] as const) {
      const moved = await app.inject({ method: 'POST', url: `/api/resources/depots/${depot.id}/moves`, headers: as('li.duty'), payload: { kind, itemKind: 'pump', qty } })
      expect(moved.statusCode, moved.body).toBe(201)
    }
    at(12)
    expect((await app.inject({ method: 'POST', url: '/api/wartime/end', headers: as('zhang.cmd'), payload: { reason: '演练结束' } })).statusCode).toBe(200)

    const list = await app.inject({ method: 'GET', url: '/api/operations', headers: as('li.duty') })
    expect(list.statusCode, list.body).toBe(200)
    const riskPoints = ctx.reference.facilities.riskPoints
    const inGrids = (ids: string[]) => riskPoints.filter(r => ids.includes(r.gridId)).length
    const gridsOf = (ps: typeof people) => ps.flatMap(p => assigned.get(p.id)!)
    expect(list.json()).toEqual([expect.objectContaining({
      id: op.id,
      exercise: true,
      planName: '演练：巡查',
      tasks: 4,
      acknowledged: 3,
      silent: 1,
      allAckedMinutes: null,
      coverage: { acknowledged: inGrids(gridsOf([a!, b!, c!])), total: inGrids(gridsOf(people)) },
      xlsx: `/api/operations/${op.id}/report.xlsx`,
    })])

    const r = await ctx.afterAction.report({ principal: { ...responder('cmd'), roles: ['commander'] }, origin: { via: 'internal', ip: null } }, op.id)
    expect(r.ok).toBe(true)
    const f = r.ok ? r.data.figures : null
    expect(f).toMatchObject({
      tasks: 4,
      delivered: 3,
      acknowledged: 3,
      onScene: 1,
      firstAck: { at: at(2), name: a!.name },
      allAcked: null,
      firstOnScene: { at: at(7), name: a!.name },
      silent: [d!.name],
      resentTasks: 2,
      resends: 2,
      escalated: 1,
      durationMinutes: 12,
    })
    expect(f!.coverage.onScene).toBe(inGrids(gridsOf([a!])))
    const pumpName = ctx.reference.facilities.resourceKinds.find(k => k.id === 'pump')!.name
    expect(r.ok && r.data.resources.find(x => x.item === pumpName), 'the pumps the plan stages, issued and returned').toMatchObject({ planned: 12, issued: 3, returned: 1 })
    expect(r.ok && r.data.moves.map(m => [m.kind, m.item, m.qty])).toEqual([['issue', pumpName, 3], ['return', pumpName, 1]])
    const rows = r.ok ? r.data.responders : []
    expect(rows.find(x => x.personId === c!.id)).toMatchObject({ ackMinutes: 7, resends: 1, reached: 'acknowledged' })
    expect(rows.find(x => x.personId === d!.id)).toMatchObject({ ackAt: null, resends: 1, reached: 'sent', escalatedTo: expect.arrayContaining([expect.any(String)]) })
  })

  it('downloads the report as HTML and XLSX, the responder sheet one row per task', async () => {
    const html = await app.inject({ method: 'GET', url: `/api/operations/${op.id}/report.html`, headers: as('zhao.leader') })
    expect(html.statusCode).toBe(200)
    expect(html.headers['content-type']).toMatch(/text\/html/)
    expect(html.body).toContain('演练 EXERCISE')
    expect(html.body).toContain('1 人始终未确认')
    const xlsx = await app.inject({ method: 'GET', url: `/api/operations/${op.id}/report.xlsx`, headers: as('zhang.cmd') })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="exercise-${op.id}.xlsx"`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet(RESPONDER_SHEET)!
    const col = (name: string) => RESPONDER_COLUMNS.findIndex(([h]) => h === name) + 1
    const read = [...Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2))].map(row => ({
      person: row.getCell(col('人员编号')).value,
      ack: row.getCell(col('确认')).value,
      resends: row.getCell(col('重发次数')).value,
    }))
    expect(read).toHaveLength(4)
    const [a, b, c, d] = people
    const expected = new Map([[a!.id, '2026-07-15 10:02:00'], [b!.id, '2026-07-15 10:03:00'], [c!.id, '2026-07-15 10:08:00'], [d!.id, '—']])
    for (const row of read)
      expect(row.ack, String(row.person)).toBe(expected.get(String(row.person)))
    expect(read.filter(x => x.resends === 1).map(x => x.person).sort()).toEqual([c!.id, d!.id].sort())
  })

  it('is read by the command desk and leaders only', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/operations', headers: as('wang.grid') })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: `/api/operations/${op.id}/report.xlsx`, headers: as('wang.grid') })).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/operations' })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/operations/op-nope/report.html', headers: as('zhao.leader') })).statusCode).toBe(404)
  })
})
