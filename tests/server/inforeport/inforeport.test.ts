import type { InfoReport, InfoReportFields, InfoReportNotice } from '../../../shared/inforeport/schema.ts'
import type { Task, WartimeState } from '../../../shared/wartime/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_INFOREPORT_TIMES as TIMES } from '../../../shared/inforeport/rules.ts'
import { tally } from '../../../shared/wartime/board.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// The information reports' clock on a fake `now`: 初报 drafted before its deadline with the board's figures, 续报 at
// intervals after each send, 终报 after the end; who may edit and send; a sent report never changes.

const MIN = 60_000
const T0 = Date.parse('2026-07-15T12:00:00.000Z')
let clock = new Date(T0)
const at = (minutes: number) => (clock = new Date(T0 + minutes * MIN))
let t: TestApp
let url: string

beforeAll(async () => {
  t = await buildTestApp({ now: () => clock })
  url = await t.listen()
})
afterAll(() => t.close())

async function req(method: 'GET' | 'POST' | 'PUT', path: string, as: string, payload?: unknown) {
  return t.app.inject({ method, url: path, headers: await t.as(as), ...(payload === undefined ? {} : { payload: payload as object }) })
}
const reports = async (): Promise<InfoReport[]> => (await req('GET', '/api/inforeports', 'leader')).json().reports
const report = async (kind: string, number = 0) => (await reports()).find(r => r.kind === kind && r.number === number)
const board = async () => (await req('GET', '/api/wartime', 'wall')).json() as WartimeState
const signed = (f: InfoReportFields): InfoReportFields => ({ ...f, deaths: 0, injured: 0, missing: 0, evacuated: 35, reporter: '值班员', signer: '街道主任' })

describe('the 初报 clock', () => {
  const notices: InfoReportNotice[] = []
  let opId: string

  beforeAll(async () => {
    const operator = await t.as('operator')
    const desk = watcher(url, null, operator.cookie)
    desk.socket.on('inforeport:due', n => notices.push(n))
    await desk.ready
    const declared = await req('POST', '/api/wartime/declare', 'commander', { reason: '暴雨红色预警', planId: 'rainstorm-red' })
    expect(declared.statusCode).toBe(201)
    opId = declared.json().id
    expect((await req('POST', '/api/wartime/activate', 'commander', { planId: 'rainstorm-red' })).statusCode).toBe(200)
  })

  it('opens the 初报 at the declaration, due after the deadline, and drafts nothing before its draft time', async () => {
    at(1)
    await t.ctx.inforeports.tick()
    const first = await report('initial')
    expect(first).toMatchObject({ operationId: opId, state: 'due', dueAt: new Date(T0 + TIMES.initialMinutes * MIN).toISOString(), fields: null })
    at(TIMES.initialMinutes - TIMES.leadMinutes - 0.01)
    expect(await t.ctx.inforeports.tick()).toBe(0)
    expect((await report('initial'))!.state).toBe('due')
  })

  it('drafts it at its draft time with figures equal to the board, and rings the duty desks', async () => {
    // Some responders answer, so the figures are not all zero.
    const tasks: Task[] = (await board()).tasks
    for (const [i, task] of tasks.slice(0, 3).entries()) {
      const phone = await t.phoneOf(task.assigneeId)
      const res = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/status`, headers: phone, payload: { state: i === 0 ? 'on_scene' : 'acknowledged' } })
      expect(res.statusCode).toBe(200)
    }
    at(TIMES.initialMinutes - TIMES.leadMinutes)
    await t.ctx.wartime.tick()
    expect(await t.ctx.inforeports.tick()).toBe(1)
    const draft = (await report('initial'))!
    const expected = tally((await board()).tasks, clock.getTime())
    expect(draft.state).toBe('draft')
    expect(draft.figures).toEqual({ at: clock.toISOString(), ...expected })
    expect(expected.acknowledged).toBe(3)
    expect(expected.onScene).toBe(1)
    expect(draft.fields!.measures).toContain(`已确认${expected.acknowledged}项`)
    expect(draft.text).toContain('一、时间：2026年7月15日20时00分')
    await expect.poll(() => notices.map(n => `${n.kind}:${n.why}`)).toEqual(['initial:drafted'])
  })

  it('marks it overdue at the deadline and rings again', async () => {
    at(TIMES.initialMinutes)
    expect(await t.ctx.inforeports.tick()).toBe(1)
    expect((await report('initial'))!.overdueAt).toBe(clock.toISOString())
    await expect.poll(() => notices.map(n => `${n.kind}:${n.why}`)).toEqual(['initial:drafted', 'initial:overdue'])
    expect(await t.ctx.inforeports.tick()).toBe(0)
  })

  it('lets only the commander and operators edit and send, and refuses a send without signatures', async () => {
    const r = (await report('initial'))!
    const body = { version: r.version, fields: signed(r.fields!) }
    for (const role of ['leader', 'wall', 'admin', 'grid_worker', 'community_staff']) {
      expect((await req('PUT', `/api/inforeports/${r.id}`, role, body)).statusCode, role).toBe(403)
      expect((await req('POST', `/api/inforeports/${r.id}/send`, role, { version: r.version, via: 'export' })).statusCode, role).toBe(403)
    }
    const unsigned = await req('POST', `/api/inforeports/${r.id}/send`, 'operator', { version: r.version, via: 'export' })
    expect(unsigned.statusCode).toBe(400)
    expect(unsigned.json().field).toBe('reporter')
    const edited = await req('PUT', `/api/inforeports/${r.id}`, 'operator', body)
    expect(edited.statusCode).toBe(200)
    expect(edited.json().text).toContain('五、人员伤亡：无人员伤亡')
    expect((await req('PUT', `/api/inforeports/${r.id}`, 'commander', body)).statusCode).toBe(409) // a stale version
    expect((await req('POST', `/api/inforeports/${r.id}/send`, 'operator', { version: edited.json().version, via: 'webhook' })).statusCode).toBe(400) // no district URL set up
    const sent = await req('POST', `/api/inforeports/${r.id}/send`, 'operator', { version: edited.json().version, via: 'export', nextInMinutes: 60 })
    expect(sent.statusCode).toBe(200)
    expect(sent.json()).toMatchObject({ state: 'sent', sentVia: 'export', sentBy: 'op-01', sentAt: clock.toISOString(), nextDueAt: new Date(clock.getTime() + 60 * MIN).toISOString() })
    expect(sent.json().text).toContain('报送时间：2026年7月15日20时30分')
    const audit = (await req('GET', '/api/audit?action=inforeport:send', 'admin')).json() as { result: string }[]
    expect(audit.map(a => a.result).sort()).toEqual(['allow', ...Array.from({ length: 5 }, () => 'deny')])
  })

  it('never changes a sent report: not edited, redrafted or sent again', async () => {
    const r = (await report('initial'))!
    expect((await req('PUT', `/api/inforeports/${r.id}`, 'commander', { version: r.version, fields: r.fields })).statusCode).toBe(409)
    expect((await req('POST', `/api/inforeports/${r.id}/draft`, 'commander', { version: r.version })).statusCode).toBe(409)
    expect((await req('POST', `/api/inforeports/${r.id}/send`, 'commander', { version: r.version, via: 'export' })).statusCode).toBe(409)
    expect(await req('GET', `/api/inforeports/${r.id}/text`, 'wall').then(res => res.body)).toBe(r.text)
  })

  it('opens 续报 1 at the chosen interval after the send, drafts it with what the desk signed, and 续报 2 after that', async () => {
    const one = (await report('follow_up', 1))!
    expect(one).toMatchObject({ state: 'due', dueAt: new Date(T0 + (TIMES.initialMinutes + 60) * MIN).toISOString() })
    at(TIMES.initialMinutes + 60 - TIMES.leadMinutes)
    await t.ctx.inforeports.tick()
    const drafted = (await report('follow_up', 1))!
    expect(drafted.state).toBe('draft')
    expect(drafted.fields).toMatchObject({ evacuated: 35, reporter: '值班员', signer: '街道主任' })
    expect(drafted.fields!.title).toContain('续报1')
    at(TIMES.initialMinutes + 55)
    expect((await req('POST', `/api/inforeports/${drafted.id}/send`, 'commander', { version: drafted.version, via: 'export' })).statusCode).toBe(200)
    expect((await report('follow_up', 2))!.dueAt).toBe(new Date(clock.getTime() + TIMES.followUpMinutes * MIN).toISOString())
  })

  it('opens the 终报 when the operation ends, drafted at once with the board as it stood, and cancels the 续报 still owed', async () => {
    at(TIMES.initialMinutes + 90)
    const before = tally((await board()).tasks, clock.getTime())
    expect((await req('POST', '/api/wartime/end', 'commander', { reason: '预警解除' })).statusCode).toBe(200)
    await t.ctx.inforeports.tick()
    const final = (await report('final'))!
    expect(final).toMatchObject({ state: 'draft', dueAt: new Date(clock.getTime() + TIMES.finalMinutes * MIN).toISOString() })
    expect(final.figures).toEqual({ at: clock.toISOString(), ...before })
    expect(final.fields!.nextSteps).toContain('善后')
    expect((await report('follow_up', 2))!.state).toBe('cancelled')
    const html = await req('GET', `/api/inforeports/${final.id}/print`, 'leader')
    expect(html.headers['content-type']).toContain('text/html')
    expect(html.body).toContain('终报')
  })
})
