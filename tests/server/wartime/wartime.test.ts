import type { Plan, Task } from '../../../shared/wartime/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import type { TestSocket } from '../../helpers/socket.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HEARTBEAT } from '../../../server/realtime/index.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'
import { until } from '../../helpers/until.ts'

let t: TestApp
let url: string
let clock = new Date('2026-07-15T12:00:00.000Z')
const MIN = 60_000

beforeAll(async () => {
  t = await buildTestApp({ now: () => clock })
  url = await t.listen()
})
afterAll(() => t.close())

const post = async (path: string, as: string, payload: unknown) => t.app.inject({ method: 'POST', url: path, headers: await t.as(as), payload: payload as object })

/** A responder's phone: enrolled by the admin, signed in with its token, connected. */
async function phone(personId: string) {
  const made = await post('/api/enrolments', 'admin', { personId })
  expect(made.statusCode).toBe(201)
  const opened = await t.app.inject({ method: 'POST', url: '/api/auth/device', payload: { token: made.json().token } })
  const cookie = `os_sid=${opened.cookies.find(c => c.name === 'os_sid')!.value}`
  const w = watcher(url, null, cookie)
  const tasks: Task[] = []
  const escalated: Task[] = []
  const messages: string[] = []
  w.socket.on('task:changed', task => tasks.push(task))
  w.socket.on('task:escalated', task => escalated.push(task))
  w.socket.on('message:new', m => messages.push(m.id))
  await w.ready
  return { w, socket: w.socket as TestSocket, tasks, escalated, messages, cookie, csrf: opened.json().csrf as string }
}

describe('declaring wartime', () => {
  it('lets only the commander declare and end it, and records both', async () => {
    for (const role of ['operator', 'leader', 'admin', 'grid_worker'])
      expect((await post('/api/wartime/declare', role, { reason: '演练' })).statusCode).toBe(403)
    const res = await post('/api/wartime/declare', 'commander', { reason: '暴雨红色预警' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ active: true, declaredBy: 'cmd-01' })
    expect((await post('/api/wartime/declare', 'commander', { reason: 'again' })).statusCode).toBe(409)
    expect((await post('/api/wartime/end', 'operator', { reason: 'x' })).statusCode).toBe(403)
    const ended = await post('/api/wartime/end', 'commander', { reason: '预警解除' })
    expect(ended.statusCode).toBe(200)
    expect(ended.json()).toMatchObject({ active: false, endedBy: 'cmd-01' })
    expect(ended.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(['declare', 'end'])
    const audit = (await t.app.inject({ method: 'GET', url: '/api/audit?action=wartime:declare', headers: await t.as('admin') })).json()
    expect(audit.map((r: { result: string }) => r.result).sort()).toEqual(['allow', 'deny', 'deny', 'deny', 'deny'])
  })
})

describe('one click activates a plan', () => {
  const plan = 'rainstorm-red'
  let worker: Awaited<ReturnType<typeof phone>>
  let workerId: string
  let instructor: Awaited<ReturnType<typeof phone>>
  let wall: ReturnType<typeof watcher>
  let expected: number
  let ackMinutes: Map<string, number>

  beforeAll(async () => {
    const p: Plan = (await t.app.inject({ method: 'GET', url: '/api/plans', headers: await t.as('operator') })).json().find((x: { id: string }) => x.id === plan)
    ackMinutes = new Map(p.templates.map(x => [x.id, x.ackMinutes]))
    const assignments = matchPlan(p, t.ctx.reference)
    expected = assignments.length
    const patrol = assignments.find(a => a.templateId === 'patrol')!
    const roster = t.ctx.reference.org.rosters.find(r => r.gridId === patrol.gridIds[0])!
    workerId = patrol.personId
    worker = await phone(workerId)
    instructor = await phone(roster.instructorId)
    const op = await t.as('operator')
    wall = watcher(url, await t.ctx.store.head(), op.cookie)
    await wall.ready
  })
  afterAll(() => [worker.w, instructor.w, wall].forEach(w => w.close()))

  it('refuses activation before declaration, then creates a task for every matched responder in one commit', async () => {
    expect((await post('/api/wartime/activate', 'operator', { planId: plan })).statusCode).toBe(409)
    await post('/api/wartime/declare', 'commander', { reason: '暴雨红色预警', planId: plan })
    const before = await t.ctx.store.head()
    const res = await post('/api/wartime/activate', 'operator', { planId: plan })
    expect(res.statusCode).toBe(200)
    expect(res.json().taskCount).toBe(expected)
    const page = (await t.app.inject({ method: 'GET', url: `/api/changes?since=${before}&limit=1000`, headers: await t.as('operator') })).json()
    expect(page.changes).toHaveLength(expected + 1)
    expect(page.changes[0]).toMatchObject({ kind: 'operation', action: 'activate', seq: before + 1 })
    expect(new Set(page.changes.slice(1).map((c: { kind: string, at: string }) => `${c.kind} at ${c.at}`))).toEqual(new Set([`task at ${page.changes[0].at}`]))
    expect((await post('/api/wartime/activate', 'operator', { planId: plan })).statusCode).toBe(409)
  })

  it('pushes each responder their own task, and the wall sees every task', async () => {
    await until(() => worker.tasks.length > 0)
    expect(new Set(worker.tasks.map(x => x.assigneeId))).toEqual(new Set([workerId]))
    await until(() => wall.received.filter(c => c.kind === 'task').length >= expected)
  })

  it('records delivery, acknowledgement and arrival from the responder\'s phone, and refuses anyone else', async () => {
    const task = worker.tasks[0]!
    worker.socket.emit('task:received', { id: task.id })
    await until(() => worker.tasks.some(x => x.state === 'delivered'))
    const ack = await worker.socket.emitWithAck('task:status', { opId: 'ack-1', id: task.id, body: { state: 'acknowledged' } })
    expect(ack).toMatchObject({ ok: true, data: { state: 'acknowledged' } })
    const retry = await worker.socket.emitWithAck('task:status', { opId: 'ack-1', id: task.id, body: { state: 'acknowledged' } })
    expect(retry).toEqual(ack)
    const other = await post(`/api/tasks/${encodeURIComponent(task.id)}/status`, 'operator', { state: 'done' })
    expect(other.statusCode).toBe(403)
    const scene = await t.app.inject({ method: 'POST', url: `/api/tasks/${encodeURIComponent(task.id)}/status`, headers: { 'cookie': worker.cookie, 'x-csrf-token': worker.csrf }, payload: { state: 'on_scene' } })
    expect(scene.json()).toMatchObject({ state: 'on_scene' })
    expect(scene.json().onSceneAt).toBeTruthy()
  })

  it('re-sends an unacknowledged task at its deadline and then escalates it to the instructor, visibly', async () => {
    const mine = (await t.ctx.wartime.tasks()).find(x => x.assigneeId === instructor.tasks[0]?.assigneeId)
    expect(mine).toBeTruthy()
    const pushes = instructor.tasks.length
    // Every task was sent at the start; only the worker has answered. Templates wait 5, 10 or 15 minutes.
    const unanswered = (await t.ctx.wartime.tasks()).filter(x => x.state === 'sent' || x.state === 'delivered')
    const dueWithin = (min: number) => unanswered.filter(x => ackMinutes.get(x.templateId)! <= min).length
    expect(dueWithin(11)).toBeGreaterThan(0)
    expect(dueWithin(11)).toBeLessThan(unanswered.length)
    clock = new Date(clock.getTime() + 11 * MIN)
    const first = await t.ctx.wartime.tick()
    expect(first).toEqual({ resent: dueWithin(11), escalated: 0 })
    await until(() => instructor.tasks.length > pushes)
    expect(instructor.tasks.at(-1)!.resends).toBe(1)
    // Ten minutes on, every re-send (which waits half its first window) has gone unanswered; the 15-minute ones are due.
    clock = new Date(clock.getTime() + 10 * MIN)
    const second = await t.ctx.wartime.tick()
    expect(second).toEqual({ resent: unanswered.length - dueWithin(11), escalated: dueWithin(11) })
    // The worker acknowledged, so their task neither re-sent nor escalated.
    const workerTask = (await t.ctx.wartime.tasks()).find(x => x.assigneeId === worker.tasks[0]!.assigneeId)!
    expect(workerTask.resends).toBe(0)
    // Some unacknowledged patrol task in the instructor's grids reaches the instructor as an escalation.
    await until(() => instructor.escalated.length > 0)
    expect(instructor.escalated[0]!.escalatedTo).toContain(instructor.tasks[0]!.assigneeId)
    await until(() => wall.received.some(c => c.kind === 'task' && c.action === 'escalate'))
  })

  it('ends the operation and cancels the open tasks', async () => {
    const res = await post('/api/wartime/end', 'commander', { reason: '预警解除' })
    expect(res.statusCode).toBe(200)
    const tasks = await t.ctx.wartime.tasks(res.json().id)
    expect(tasks).toHaveLength(expected)
    // No task was done, so every one is cancelled: the worker's, on scene, too.
    expect(tasks.filter(x => x.state !== 'cancelled').map(x => `${x.assigneeId} ${x.state}`)).toEqual([])
  })
})

describe('one-click reach', () => {
  it('sends to a selection with delivery and read receipts per person', async () => {
    const grid = t.ctx.reference.territory.grids[5]!
    const roster = t.ctx.reference.org.rosters.find(r => r.gridId === grid.id)!
    const p = await phone(roster.workerId)
    expect((await post('/api/messages', 'grid_worker', { text: 'x', all: true })).statusCode).toBe(403)
    expect((await post('/api/messages', 'operator', { text: 'x' })).statusCode).toBe(400)
    const res = await post('/api/messages', 'operator', { text: '请立即检查辖区积水点', gridIds: [grid.id] })
    expect(res.statusCode).toBe(201)
    const id = res.json().id
    expect(res.json().recipients.map((r: { personId: string }) => r.personId)).toContain(roster.workerId)
    await until(() => p.messages.includes(id))
    p.socket.emit('message:received', { id })
    p.socket.emit('message:read', { id })
    const receiptOf = async () => (await t.ctx.store.getEntity('message', id))!.recipients.find(r => r.personId === roster.workerId)!
    for (let i = 0; i < 100 && !(await receiptOf()).readAt; i++)
      await new Promise(r => setTimeout(r, 20))
    const stored = await t.ctx.store.getEntity('message', id)
    const mine = await receiptOf()
    expect(mine.deliveredAt).toBeTruthy()
    expect(mine.readAt).toBeTruthy()
    expect(stored!.recipients.filter(r => r.readAt !== null).map(r => r.personId)).toEqual([roster.workerId])
    p.w.close()
  })
})

describe('responder presence', () => {
  it('tells the wall when a responder\'s phone comes online and when it goes', async () => {
    const op = await t.as('operator')
    const wall = watcher(url, null, op.cookie)
    await wall.ready
    const seen: { personId: string, online: boolean }[] = []
    wall.socket.on('presence:changed', p => seen.push(p))
    const personId = t.ctx.reference.org.rosters[9]!.workerId
    const p = await phone(personId)
    await until(() => seen.some(s => s.personId === personId && s.online))
    expect(t.ctx.presence.online()).toContain(personId)
    p.w.close()
    await until(() => seen.some(s => s.personId === personId && !s.online))
    wall.close()
  })

  it('notices a silent device within 10 s (heartbeat), not after the default 45 s', async () => {
    const { pingInterval, pingTimeout } = HEARTBEAT
    expect(pingInterval + pingTimeout).toBeLessThanOrEqual(10_000)
  })
})

describe('incidents in wartime', () => {
  it('routes a new small report to the command center on the plan\'s tighter clock, and back after the end', async () => {
    const grid = t.ctx.reference.territory.grids[0]!
    const category = t.ctx.catalog.categories.find(c => c.loop === 'grid')!
    const report = async () => (await post('/api/incidents', 'operator', { category: category.code, description: '战时上报', location: grid.center })).json()
    const peace = await report()
    expect(peace.owner.loop).toBe('grid')
    await post('/api/wartime/declare', 'commander', { reason: '暴雨', planId: 'rainstorm-red' })
    const war = await report()
    expect(war.owner.loop).toBe('subdistrict')
    const window = (i: { reportedAt: string, stageDeadline: string }) => Date.parse(i.stageDeadline) - Date.parse(i.reportedAt)
    expect(window(war)).toBe(window(peace) * 0.5)
    const history = (await t.app.inject({ method: 'GET', url: `/api/incidents/${war.id}`, headers: await t.as('operator') })).json().history
    expect(history[0].data.wartime).toMatch(/^op-/)
    await post('/api/wartime/end', 'commander', { reason: '解除' })
    expect((await report()).owner.loop).toBe('grid')
  })
})
