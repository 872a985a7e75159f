import type { Notice } from '../../../server/notify/channel.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import type { PushServiceHandle } from '../../helpers/push-service.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { createPushChannel } from '../../../server/notify/push.ts'
import { buildTestApp, testConfig } from '../../helpers/app.ts'
import { startPushService } from '../../helpers/push-service.ts'

// Web Push end to end on loopback: a phone subscribes through the route, the channel encrypts and signs, the test
// push service checks the VAPID JWT and decrypts, the service worker's receipt comes back as `delivered`.

const config = { push: { ...testConfig().push, allowHttp: true, ttlSeconds: 900 } }
let t: TestApp
let pushService: PushServiceHandle
let workerA: string
let workerB: string
let phoneA: AuthHeaders
let phoneB: AuthHeaders
const statuses: [string, string][] = []

beforeAll(async () => {
  t = await buildTestApp({ config })
  pushService = await startPushService()
  const rosters = t.ctx.reference.org.rosters
  workerA = rosters[0]!.workerId
  workerB = rosters.find(r => r.workerId !== workerA)!.workerId
  phoneA = await t.phoneOf(workerA)
  phoneB = await t.phoneOf(workerB)
  t.ctx.push.connect({ status: (id, s) => statuses.push([id, s]), reply: () => {} })
})
afterAll(async () => {
  await t.close()
  await pushService.close()
})

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: AuthHeaders, payload?: object) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
/** The same key with one bit of y flipped: no longer a point on P-256. */
function offCurve(k: string): string {
  const b = Buffer.from(k, 'base64url')
  b[64] = b[64]! ^ 1
  return b.toString('base64url')
}
const notice = (over: Partial<Notice> = {}): Notice => ({ deliveryId: 'dlv-1', personId: workerA, subject: { kind: 'task', id: 'task-7' }, title: '防汛任务', body: '请到寸滩码头巡查 (收到请回复1)', link: 'https://onescreen.example/t/abc', ack: true, ...over })

describe('web push', () => {
  it('serves one VAPID key: the same on every node sharing the store, and after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'push-key-'))
    const file = join(dir, 'db.sqlite')
    const audit = t.ctx.audit
    const node = async () => {
      const store = createSqliteStore({ file })
      await store.migrate()
      return { store, push: createPushChannel({ store: store.channels, config: config.push, audit, now: () => new Date() }) }
    }
    try {
      const [a, b] = [await node(), await node()]
      const [ka, kb] = await Promise.all([a.push.publicKey(), b.push.publicKey()])
      expect(Buffer.from(ka, 'base64url')).toHaveLength(65)
      expect(kb, 'the other node').toBe(ka)
      await Promise.all([a.store.close(), b.store.close()])
      const c = await node()
      expect(await c.push.publicKey(), 'after a restart').toBe(ka)
      await c.store.close()
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const served = await inject('GET', '/api/push/key', phoneA)
    expect(served.json().publicKey).toBe(await t.ctx.push.publicKey())
  })

  it('takes a phone\'s subscription and refuses bad endpoints, keys and callers', async () => {
    const sub = pushService.subscription()
    const made = await inject('POST', '/api/push/subscriptions', phoneA, sub)
    expect(made.statusCode, made.body).toBe(201)
    expect(made.json()).toEqual({ endpoint: sub.endpoint, devices: 1 })
    expect(await t.ctx.push.channel.reaches(workerA)).toBe(true)
    expect(await t.ctx.push.channel.reaches(workerB)).toBe(false)

    const plainHttp = await inject('POST', '/api/push/subscriptions', phoneA, { ...sub, endpoint: 'http://push.example.com/x/1' })
    expect([plainHttp.statusCode, plainHttp.json().field]).toEqual([400, 'endpoint'])
    const badKey = await inject('POST', '/api/push/subscriptions', phoneA, { ...sub, keys: { ...sub.keys, p256dh: offCurve(sub.keys.p256dh) } })
    expect([badKey.statusCode, badKey.json().field]).toEqual([400, 'keys.p256dh'])
    const share = await inject('POST', '/api/push/subscriptions', await t.shareSession(), pushService.subscription())
    expect(share.statusCode, 'a share link has no notices').toBe(403)
  })

  it('sends the exact payload, VAPID-signed and encrypted for the phone, once per delivery', async () => {
    const out = await t.ctx.push.channel.send(notice())
    expect(out.status).toBe('sent')
    const [got] = await pushService.waitFor(1)
    expect(got!.payload).toEqual({ deliveryId: 'dlv-1', title: '防汛任务', body: '请到寸滩码头巡查 (收到请回复1)', link: 'https://onescreen.example/t/abc', subject: { kind: 'task', id: 'task-7' }, ack: true })
    expect(got!.vapid.k, 'signed with the key the phone subscribed with').toBe(await t.ctx.push.publicKey())
    expect(got!.vapid.aud).toBe(pushService.url)
    expect([got!.ttl, got!.urgency]).toEqual([900, 'high'])

    expect((await t.ctx.push.channel.send(notice())).status, 'a second send of one delivery').toBe('sent')
    expect(pushService.received, 'nothing pushed twice').toHaveLength(1)
    expect((await t.ctx.push.channel.send(notice({ deliveryId: 'dlv-2', personId: workerB }))).status).toBe('skipped')
  })

  it('marks delivered on the service worker\'s receipt, only from the person it was sent to', async () => {
    const other = await inject('POST', '/api/push/receipt', phoneB, { deliveryId: 'dlv-1' })
    expect(other.statusCode).toBe(403)
    expect(statuses).toEqual([])
    const unknown = await inject('POST', '/api/push/receipt', phoneA, { deliveryId: 'nope' })
    expect(unknown.statusCode).toBe(404)
    const own = await inject('POST', '/api/push/receipt', phoneA, { deliveryId: 'dlv-1' })
    expect(own.statusCode, own.body).toBe(204)
    await inject('POST', '/api/push/receipt', phoneA, { deliveryId: 'dlv-1' })
    expect(statuses, 'one delivered status, however often the receipt comes').toEqual([['dlv-1', 'delivered']])
  })

  it('drops a subscription its push service says is gone', async () => {
    const second = pushService.subscription()
    expect((await inject('POST', '/api/push/subscriptions', phoneA, second)).json().devices).toBe(2)
    const [first] = await t.ctx.store.channels.subscriptions(workerA).then(s => s.filter(x => x.endpoint !== second.endpoint))
    pushService.gone(first!.endpoint)
    const out = await t.ctx.push.channel.send(notice({ deliveryId: 'dlv-3', subject: { kind: 'message', id: 'msg-1' }, ack: false }))
    expect(out.status, 'one browser still took it').toBe('sent')
    expect((await t.ctx.store.channels.subscriptions(workerA)).map(s => s.endpoint)).toEqual([second.endpoint])
    expect(pushService.received.at(-1)!.urgency).toBe('normal')

    pushService.gone(second.endpoint)
    const last = await t.ctx.push.channel.send(notice({ deliveryId: 'dlv-4' }))
    expect(last.status).toBe('failed')
    expect(await t.ctx.push.channel.reaches(workerA), 'no browser left').toBe(false)
  })

  it('unsubscribes a browser of the caller only', async () => {
    const sub = pushService.subscription()
    await inject('POST', '/api/push/subscriptions', phoneB, sub)
    expect((await inject('DELETE', '/api/push/subscriptions', phoneA, { endpoint: sub.endpoint })).statusCode, 'someone else\'s browser').toBe(404)
    expect((await inject('DELETE', '/api/push/subscriptions', phoneB, { endpoint: sub.endpoint })).statusCode).toBe(204)
    expect(await t.ctx.push.channel.reaches(workerB)).toBe(false)
  })
})
