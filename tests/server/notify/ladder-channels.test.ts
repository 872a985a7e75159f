import type { TestSmsc } from '../../../server/notify/test-smsc.ts'
import type { PushPayload } from '../../../shared/notify/push-schema.ts'
import type { Task } from '../../../shared/wartime/schema.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import type { PushServiceHandle } from '../../helpers/push-service.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../../server/config.ts'
import { nationalNumber } from '../../../server/notify/sms.ts'
import { startTestSmsc } from '../../../server/notify/test-smsc.ts'
import { buildTestApp, testConfig } from '../../helpers/app.ts'
import { startPushService } from '../../helpers/push-service.ts'

// The ladder with the channels as installed (no fakes): a responder whose page is closed but whose phone has
// subscribed gets a real Web Push (encrypted, VAPID-signed, decrypted by a push service on loopback), its service
// worker's receipt comes back, and still unacknowledged at the deadline the SMS goes to the SMSC on loopback. A task
// nobody answers climbs to the duty roster's leader of the day, the escalation target of last resort.

const T0 = Date.parse('2026-07-20T08:00:00Z') // 16:00 in Shanghai, 2026-07-20
let clock = T0
const at = (seconds: number) => (clock = T0 + seconds * 1000)

async function until<T>(f: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, ms = 5000): Promise<T> {
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
let pushService: PushServiceHandle
let t: TestApp
let a: Task
let silent: Task
let phoneA: AuthHeaders
const smsTo = (personId: string) => smsc.messages.filter(m => m.to === nationalNumber(t.ctx.reference.org.people.find(p => p.id === personId)!.phone!))
const rowsOf = (taskId: string) => t.ctx.notify.list({ subjectId: taskId })
const task = async (id: string) => (await t.ctx.store.getEntity('task', id))!

beforeAll(async () => {
  smsc = await startTestSmsc()
  pushService = await startPushService()
  t = await buildTestApp({ now: () => new Date(clock), config: { notify: { ...configFromEnv({}).notify, sms: smsc.url }, push: { ...testConfig().push, allowHttp: true } } })
  t.ctx.notify.setPublicUrl('http://127.0.0.1:4100')
  expect((await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '暴雨红色预警', planId: 'rainstorm-red' } })).statusCode).toBe(201)
  expect((await t.app.inject({ method: 'POST', url: '/api/wartime/activate', headers: await t.as('operator'), payload: { planId: 'rainstorm-red' } })).statusCode).toBe(200)
  const patrol = (await t.ctx.wartime.tasks()).filter(x => x.templateId === 'patrol')
  ;[a, silent] = patrol as [Task, Task]
  // a's phone subscribed to task alerts earlier; its page is closed now (no socket).
  phoneA = await t.phoneOf(a.assigneeId)
  const sub = await t.app.inject({ method: 'POST', url: '/api/push/subscriptions', headers: phoneA, payload: pushService.subscription() })
  expect(sub.statusCode, sub.body).toBe(201)
})
afterAll(async () => {
  await t.ctx.notify.close()
  await t.close()
  await pushService.close()
  await smsc.close()
})

describe('the ladder through the installed channels', () => {
  it('rings a closed page by Web Push after 30 s, and takes its service worker\'s receipt', async () => {
    at(31)
    await t.ctx.notify.tick()
    const [pushed] = await pushService.waitFor(1)
    const payload = pushed!.payload as PushPayload
    expect(payload).toMatchObject({ subject: { kind: 'task', id: a.id }, ack: true, title: expect.stringContaining(a.title.slice(0, 4)) })
    expect(payload.link).toMatch(/^http:\/\/127\.0\.0\.1:4100\/t\/[\w-]{28}$/)
    expect(pushed!.urgency, 'a task is urgent').toBe('high')
    const row = (await rowsOf(a.id)).find(d => d.channel === 'push')!
    expect(row).toMatchObject({ id: payload.deliveryId, status: 'sent', rung: 1 })

    const receipt = await t.app.inject({ method: 'POST', url: '/api/push/receipt', headers: phoneA, payload: { deliveryId: payload.deliveryId } })
    expect(receipt.statusCode, receipt.body).toBe(204)
    await until(async () => (await t.ctx.store.getEntity('delivery', row.id))?.status === 'delivered', 'the push marked delivered')
    expect(smsTo(a.assigneeId), 'no SMS before the deadline').toEqual([])
  })

  it('still unacknowledged at the deadline, re-sends by SMS; the pushed link acknowledges with one tap', async () => {
    at(5 * 60 + 1)
    await t.ctx.notify.tick()
    const sms = await until(() => smsTo(a.assigneeId)[0], 'the SMS to a')
    expect(sms.text).toMatch(/\/t\/[\w-]{28}/)
    expect((await task(a.id)).resends).toBe(1)
    expect(pushService.received.filter(p => (p.payload as PushPayload).subject.id === a.id), 'the push rung is not repeated').toHaveLength(1)

    const link = (pushService.received[0]!.payload as PushPayload).link!
    const tap = await t.app.inject({ method: 'POST', url: new URL(link).pathname })
    expect(tap.statusCode).toBe(200)
    expect((await task(a.id)).state).toBe('acknowledged')
  })

  it('climbs to the duty leader of the day when nobody answers, not to a placeholder', async () => {
    const candidates = (await t.app.inject({ method: 'GET', url: '/api/duty?from=2026-07-20&days=1', headers: await t.as('operator') })).json().candidates
    // Someone the escalation has not told already (a grid's contact leader may be a leader of the subdistrict).
    const roster = t.ctx.reference.org.rosters.find(r => r.gridId === silent.gridId)!
    const leader = candidates.leaders.find((p: { id: string }) => p.id !== 'cmd-01' && p.id !== roster.contactLeaderId && p.id !== roster.instructorId)!
    const operator = candidates.operators.find((p: { id: string }) => p.id !== leader.id && p.id !== 'cmd-01')!
    const put = await t.app.inject({ method: 'PUT', url: '/api/duty/2026-07-20', headers: await t.as('operator'), payload: { leaderId: leader.id, operatorIds: [operator.id] } })
    expect(put.statusCode, put.body).toBe(201)
    at(5 * 60 + 2.5 * 60 + 2)
    await t.ctx.notify.tick()
    expect((await task(silent.id)).escalatedTo.length).toBeGreaterThan(0)
    at(5 * 60 + 5 * 60 + 4)
    await t.ctx.notify.tick()
    const last = (await rowsOf(silent.id)).filter(d => d.rung === 5)
    expect(last.map(d => d.to), 'the leader on duty first, then the operator').toEqual([[leader.id, operator.id]])
  })
})
