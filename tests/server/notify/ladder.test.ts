import type { Channel, Notice } from '../../../server/notify/channel.ts'
import type { TestSmsc } from '../../../server/notify/test-smsc.ts'
import type { Delivery } from '../../../shared/notify/schema.ts'
import type { Task } from '../../../shared/wartime/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../../server/config.ts'
import { nationalNumber } from '../../../server/notify/sms.ts'
import { startTestSmsc } from '../../../server/notify/test-smsc.ts'
import { reachCounts } from '../../../shared/notify/ladder.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The ladder against a real SMPP server on loopback (the test SMSC), with a fake push channel of our own and a
// hand-moved clock: the rainstorm plan's patrol task has a 5-minute window (push at 30 s, SMS at 5 min, escalation
// when the re-send's 2.5 minutes run out). No phone is connected: every page is "closed".

const T0 = Date.parse('2026-07-20T08:00:00Z')
let clock = T0
const now = () => new Date(clock)
function at(seconds: number) {
  clock = T0 + seconds * 1000
}

function fakeChannel(name: 'push' | 'robot', subscribed: Set<string>): Channel & { sent: Notice[] } {
  const sent: Notice[] = []
  return { name, sent, reaches: id => subscribed.has(id), send: async (n) => {
    sent.push(n)
    return { status: 'sent', providerId: `push-${sent.length}` }
  } }
}

async function until<T>(f: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, ms = 4000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v)
      return v
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

let smsc: TestSmsc
let dir: string
let t: TestApp
let push: ReturnType<typeof fakeChannel>
const robot = fakeChannel('robot', new Set())
let patrol: Task[]
const phoneOf = (personId: string) => nationalNumber(t.ctx.reference.org.people.find(p => p.id === personId)!.phone!)
const smsTo = (personId: string) => smsc.messages.filter(m => m.to === phoneOf(personId))
const task = async (id: string) => (await t.ctx.store.getEntity('task', id))!
const rowsOf = async (taskId: string) => t.ctx.notify.list({ subjectId: taskId })

async function open(): Promise<TestApp> {
  const app = await buildTestApp({ now, file: join(dir, 'onescreen.sqlite'), config: { notify: { ...configFromEnv({}).notify, sms: smsc.url } } })
  app.ctx.notify.setPublicUrl('http://127.0.0.1:4100')
  app.ctx.notify.use(push)
  app.ctx.notify.use(robot)
  return app
}
async function shut(app: TestApp) {
  await app.ctx.notify.close()
  await app.close()
}

// Who plays which part: a, b, e have a smartphone; a subscribed to push; c has no smartphone.
let a: Task, b: Task, c: Task, e: Task

beforeAll(async () => {
  smsc = await startTestSmsc()
  dir = mkdtempSync(join(tmpdir(), 'onescreen-ladder-'))
  push = fakeChannel('push', new Set())
  robot.reaches = () => true
  t = await open()
  await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '暴雨红色预警', planId: 'rainstorm-red' } })
  const res = await t.app.inject({ method: 'POST', url: '/api/wartime/activate', headers: await t.as('operator'), payload: { planId: 'rainstorm-red' } })
  expect(res.statusCode).toBe(200)
  patrol = (await t.ctx.wartime.tasks()).filter(x => x.templateId === 'patrol')
  ;[a, b, c, e] = patrol as [Task, Task, Task, Task]
  push.reaches = id => id === a.assigneeId || id === c.assigneeId
  // No smartphone: set on the package in force, as an imported package's 智能手机 column would.
  t.ctx.reference.org.people.find(p => p.id === c.assigneeId)!.smartphone = false
})
afterAll(async () => {
  await shut(t)
  await smsc.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the notification ladder', () => {
  it('reaches a person with no smartphone by SMS at once, and no push', async () => {
    at(1)
    await t.ctx.notify.tick()
    const sms = await until(() => smsTo(c.assigneeId)[0], 'the SMS to c')
    expect(sms.text).toContain(c.title.slice(0, 6))
    expect(sms.text).toMatch(/http:\/\/127\.0\.0\.1:4100\/t\/[\w-]{28}/)
    expect(push.sent.filter(n => n.personId === c.assigneeId)).toEqual([])
    expect(smsTo(a.assigneeId)).toEqual([])
  })

  it('gives a closed page the push after 30 s, then the SMS at the deadline (the re-send)', async () => {
    at(29)
    await t.ctx.notify.tick()
    expect(push.sent.filter(n => n.personId === a.assigneeId)).toEqual([])
    at(31)
    await t.ctx.notify.tick()
    expect(push.sent.filter(n => n.personId === a.assigneeId).map(n => n.subject)).toEqual([{ kind: 'task', id: a.id }])
    // b has not subscribed: its push rung is recorded as skipped, not sent.
    expect((await rowsOf(b.id)).map(d => [d.channel, d.status])).toEqual([['push', 'skipped']])
    expect(smsTo(a.assigneeId)).toEqual([])

    at(5 * 60 + 1)
    await t.ctx.notify.tick()
    expect((await task(a.id)).resends).toBe(1)
    await until(() => smsTo(a.assigneeId)[0], 'the SMS to a')
    const delivered = await until(async () => (await rowsOf(a.id)).find(d => d.channel === 'sms' && d.status === 'delivered'), 'the delivery receipt')
    expect(delivered).toMatchObject({ rung: 2, personId: a.assigneeId, operationId: a.operationId })
    expect(JSON.stringify(delivered)).not.toContain(phoneOf(a.assigneeId))
  })

  it('acknowledges with one tap on the SMS link, never by opening it', async () => {
    const path = /\/t\/[\w-]{28}/.exec(smsTo(a.assigneeId)[0]!.text)![0]
    const page = await t.app.inject({ method: 'GET', url: path })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('收到</button>')
    expect((await task(a.id)).state).toBe('sent')
    const tap = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
    expect(tap.statusCode).toBe(200)
    expect(tap.body).toContain('已收到')
    expect(await task(a.id)).toMatchObject({ state: 'acknowledged', note: '短信链接确认' })
    expect((await rowsOf(a.id)).find(d => d.channel === 'sms')?.status).toBe('acknowledged')
    const audit = await t.ctx.authStore.queryAudit({ action: 'task:acknowledged', target: a.id, limit: 10 })
    expect(audit.map(r => [r.actorId, r.via, r.result])).toContainEqual([a.assigneeId, 'http', 'allow'])
    expect((await t.app.inject({ method: 'GET', url: '/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404)
  })

  it('acknowledges a reply "1" from the person\'s own number', async () => {
    await until(() => smsTo(b.assigneeId)[0], 'the SMS to b')
    await smsc.reply(`+86 ${phoneOf(b.assigneeId)}`, '1')
    const acked = await until(async () => (await task(b.id)).state === 'acknowledged' && task(b.id), 'b acknowledged')
    expect(acked.note).toBe('短信回复确认')
    await until(async () => (await rowsOf(b.id)).find(d => d.rung === 2 && d.status === 'acknowledged'), 'b\'s SMS row acknowledged')
  })

  it('counts the person without a smartphone like everyone else once they answer', async () => {
    const path = /\/t\/[\w-]{28}/.exec(smsTo(c.assigneeId)[0]!.text)![0]
    await t.app.inject({ method: 'POST', url: path })
    const tasks = [await task(a.id), await task(b.id), await task(c.id)]
    expect(tasks.map(x => x.state)).toEqual(['acknowledged', 'acknowledged', 'acknowledged'])
    const deliveries = (await t.app.inject({ method: 'GET', url: `/api/deliveries?operationId=${a.operationId}`, headers: await t.as('wall') })).json() as Delivery[]
    expect(reachCounts(tasks, deliveries)).toEqual({ app: 0, push: 0, sms: 3, none: 0 })
  })

  it('escalates a silent task to the grid\'s supervisors by SMS when the re-send runs out', async () => {
    at(5 * 60 + 2.5 * 60 + 2)
    await t.ctx.notify.tick()
    const silent = await task(e.id)
    const roster = t.ctx.reference.org.rosters.find(r => r.gridId === e.gridId)!
    expect(silent.escalatedTo).toEqual([roster.instructorId, roster.contactLeaderId])
    await until(() => smsTo(roster.instructorId).find(m => m.text.includes('未确认')), 'the supervisor\'s SMS')
    expect((await rowsOf(e.id)).find(d => d.rung === 4)).toMatchObject({ channel: 'supervisor', status: 'sent', to: silent.escalatedTo })
    // The group robot hears of it at the same step, with no link: it is not the group's to acknowledge.
    expect(robot.sent.filter(n => n.subject.id === e.id).map(n => [n.title, n.link])).toEqual([['任务未确认', null]])
    expect(robot.sent.filter(n => n.subject.id === a.id)).toEqual([])
  })

  it('sends nothing twice for one step after a restart mid-ladder, and never re-sends a step a crash left queued', async () => {
    // A crash between the queued row and the send: the row is on disk, the SMS never went.
    const crashed = patrol[4]!
    const row: Delivery = { id: `task:${crashed.id}|${crashed.assigneeId}|5`, version: 1, subject: { kind: 'task', id: crashed.id }, operationId: crashed.operationId, personId: crashed.assigneeId, rung: 5, channel: 'supervisor', status: 'queued', to: [], queuedAt: now().toISOString(), sentAt: null, doneAt: null, providerId: null, error: null, updatedAt: now().toISOString() }
    await t.ctx.store.commit({ mutations: [{ kind: 'entity', entityKind: 'delivery', entity: row, action: 'queued', at: row.queuedAt }] })
    await until(() => smsc.messages.length > 0 && smsc.bound() > 0, 'the bind')
    await new Promise(r => setTimeout(r, 100))
    const before = smsc.messages.length
    const pushes = push.sent.length
    const rows = (await t.ctx.notify.list()).length
    await shut(t)

    t = await open()
    await t.ctx.notify.tick()
    expect(smsc.messages.length - before).toBe(0)
    expect(push.sent.length - pushes).toBe(0)
    expect((await t.ctx.notify.list()).length).toBe(rows)
    expect(await t.ctx.store.getEntity('delivery', row.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('at most once') })

    // The ladder goes on where it stopped: the last resort for the silent task, once.
    at(5 * 60 + 5 * 60 + 4)
    await t.ctx.notify.tick()
    await t.ctx.notify.tick()
    const last = (await rowsOf(e.id)).filter(d => d.rung === 5)
    expect(last.map(d => d.to)).toEqual([t.ctx.reference.org.people.filter(p => p.roles.includes('commander')).map(p => p.id)])
    expect((await rowsOf(crashed.id)).filter(d => d.rung === 5).map(d => d.status)).toEqual(['failed'])
  })
  it('texts a message to whoever has not read it after the delay, and the link reads it', async () => {
    await t.app.inject({ method: 'POST', url: '/api/wartime/end', headers: await t.as('commander'), payload: { reason: '解除' } })
    const grid = t.ctx.reference.territory.grids[0]!
    const sent = await t.app.inject({ method: 'POST', url: '/api/messages', headers: await t.as('commander'), payload: { text: '今晚全员在岗，注意防汛', gridIds: [grid.id] } })
    expect(sent.statusCode).toBe(201)
    const message = sent.json() as { id: string, recipients: { personId: string }[] }
    const who = message.recipients[0]!.personId
    const start = clock
    clock = start + 9 * 60_000
    await t.ctx.notify.tick()
    expect((await t.ctx.notify.list({ subjectId: message.id })).filter(d => d.channel === 'sms')).toEqual([])
    clock = start + 10 * 60_000 + 1000
    await t.ctx.notify.tick()
    const sms = await until(() => smsTo(who).find(m => m.text.includes('今晚全员在岗')), 'the message\'s SMS')
    const path = /\/t\/[\w-]{28}/.exec(sms.text)![0]
    expect((await t.app.inject({ method: 'POST', url: path })).statusCode).toBe(200)
    const read = (await t.ctx.store.getEntity('message', message.id))!.recipients.find(r => r.personId === who)!
    expect(read.readAt).toBe(new Date(clock).toISOString())
  })
})
