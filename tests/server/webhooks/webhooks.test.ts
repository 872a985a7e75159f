import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { startReceiver, waitFor } from './receiver.ts'

// Outcome webhooks in one process: who registers a callback, what each step sends, a receiver that is down for a
// while, a merged incident following its master, pause, retry now, and who may read the delivery log.

const fast = { everyMs: 30, timeoutMs: 2000, retryBaseMs: 40, retryMaxMs: 200, allowPrivate: true, keepDays: 7 }

let t: TestApp
let stop: () => void
let secret: string | null = null
let receiver: Awaited<ReturnType<typeof startReceiver>>
let keyId: string
let key: Record<string, string>

async function req(method: string, url: string, headers: Record<string, string>, payload?: unknown) {
  return t.app.inject({ method: method as 'GET', url, headers, payload: payload as object })
}
const as = (who: string) => t.as(who)

async function newKey(scopes: string[]): Promise<{ id: string, auth: Record<string, string> }> {
  const res = await req('POST', '/api/api-keys', await as('admin'), { name: `system-${Math.random()}`, scopes })
  expect(res.statusCode, res.body).toBe(201)
  return { id: res.json().id, auth: { authorization: `Bearer ${res.json().token}` } }
}
async function reportAsKey(over: Record<string, unknown> = {}): Promise<string> {
  const res = await req('POST', '/api/incidents', key, fixtures(t.ctx).report(over))
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}
async function act(id: string, body: Record<string, unknown>) {
  const res = await req('POST', `/api/incidents/${id}/actions`, await as('operator'), body)
  expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200)
  return res.json()
}
const actionsOf = (id: string) => (receiver.byIncident().get(id) ?? []).map(r => `${r.event.action}@${r.event.incident.version}`)

beforeAll(async () => {
  t = await buildTestApp({ config: { webhooks: fast } })
  stop = t.ctx.webhooks.start()
  receiver = await startReceiver(() => secret)
  const k = await newKey(['incidents:report', 'callbacks:manage'])
  keyId = k.id
  key = k.auth
})
afterAll(async () => {
  stop()
  await receiver.close()
  await t.close()
})

describe('registering a callback', () => {
  it('lets a key register its own callback and shows the made secret once', async () => {
    const res = await req('PUT', '/api/webhooks/self', key, { url: receiver.url() })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ keyId, url: receiver.url(), enabled: true, paused: false, backlog: 0 })
    expect(res.json().secret).toMatch(/^whsec_/)
    secret = res.json().secret
    const again = await req('PUT', '/api/webhooks/self', key, { url: receiver.url() })
    expect(again.statusCode).toBe(200)
    expect(again.json().secret).toBeUndefined()
    const listed = await req('GET', '/api/webhooks', await as('admin'))
    expect(listed.statusCode).toBe(200)
    expect(listed.body).not.toContain(secret)
    expect(listed.json().map((s: { keyId: string }) => s.keyId)).toContain(keyId)
    expect((await req('GET', '/api/webhooks/self', key)).json()).not.toHaveProperty('secret')
  })

  it('refuses a URL that is not http(s), and an internal one when private addresses are not allowed', async () => {
    const ftp = await req('PUT', '/api/webhooks/self', key, { url: 'ftp://example.org/hook' })
    expect(ftp.statusCode).toBe(400)
    expect(ftp.json().field).toContain('url')
    const strict = await buildTestApp({ config: { webhooks: { ...fast, allowPrivate: false } } })
    try {
      const made = await strict.app.inject({ method: 'POST', url: '/api/api-keys', headers: await strict.as('admin'), payload: { name: 's', scopes: ['callbacks:manage'] } })
      const res = await strict.app.inject({ method: 'PUT', url: '/api/webhooks/self', headers: { authorization: `Bearer ${made.json().token}` }, payload: { url: 'http://127.0.0.1:9/hook' } })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ field: 'url' })
      expect(res.json().message).toMatch(/internal/)
    }
    finally {
      await strict.close()
    }
  })

  it('refuses a key without callbacks:manage and a person calling the self route', async () => {
    const plain = await newKey(['incidents:report'])
    expect((await req('PUT', '/api/webhooks/self', plain.auth, { url: receiver.url() })).statusCode).toBe(403)
    expect((await req('PUT', '/api/webhooks/self', await as('admin'), { url: receiver.url() })).statusCode).toBe(403)
  })
})

describe('delivering the outcome', () => {
  it('sends every step of the key\'s incident, signed, in order, without the caller, and nothing of others', async () => {
    const id = await reportAsKey({ channel: 'hotline_12345', hotline: { orderNo: 'GD-2026-0001', caller: '李先生', callerPhone: '13800001111' } })
    const other = (await req('POST', '/api/incidents', await as('operator'), fixtures(t.ctx).report())).json().id
    await act(id, { action: 'accept' })
    await act(id, { action: 'reject', note: '不属于本街道职责' })
    await act(other, { action: 'accept' })
    await waitFor('report, accept and reject of the key\'s incident', () => actionsOf(id).length >= 3)
    await t.ctx.webhooks.flush()
    expect(actionsOf(id)).toEqual(['report@1', 'accept@2', 'reject@3'])
    expect(receiver.byIncident().has(other)).toBe(false)
    const got = receiver.byIncident().get(id)!
    expect(got.every(r => r.signed)).toBe(true)
    expect(got.every(r => r.eventId === r.event.id && r.event.type === 'incident.changed')).toBe(true)
    const last = got.at(-1)!.event
    expect(last.incident).toMatchObject({ id, state: 'rejected', status: 'closed', hotline: { orderNo: 'GD-2026-0001' } })
    expect(last.incident.statusNotes).toContain('不属于本街道职责')
    expect(last.note).toBe('不属于本街道职责')
    expect(JSON.stringify(got.map(r => r.event))).not.toMatch(/李先生|13800001111/)
    expect(await t.ctx.webhooks.backlog()).toBe(0)
  })

  it('holds events while the receiver is down and delivers all of them, in order per incident, once it is up', async () => {
    await receiver.down()
    const ids = [await reportAsKey(), await reportAsKey(), await reportAsKey()]
    for (const id of ids) await act(id, { action: 'accept' })
    await act(ids[0]!, { action: 'assign', assigneeId: 'gw-001' })
    await waitFor('seven queued events and a retried attempt', async () => {
      const log = (await req('GET', `/api/webhooks/${keyId}/deliveries`, await as('admin'))).json()
      return log.deliveries.some((d: { attempts: number, deliveredAt: string | null }) => d.attempts >= 2 && !d.deliveredAt) && await t.ctx.webhooks.backlog() === 7
    })
    const log = (await req('GET', `/api/webhooks/${keyId}/deliveries`, await as('admin'))).json()
    expect(log.subscription.backlog).toBe(7)
    expect(log.subscription.lastError).toMatch(/ECONNREFUSED/)
    const head = log.deliveries.find((d: { action: string, incidentId: string }) => d.incidentId === ids[0] && d.action === 'report')
    expect(head).toMatchObject({ lastStatus: null, deliveredAt: null })
    expect(head.nextAttemptAt).not.toBeNull()
    await receiver.up()
    await waitFor('every event after the receiver came back', () => ids.every(id => actionsOf(id).length >= (id === ids[0] ? 3 : 2)))
    expect(actionsOf(ids[0]!)).toEqual(['report@1', 'accept@2', 'assign@3'])
    expect(actionsOf(ids[1]!)).toEqual(['report@1', 'accept@2'])
    expect(actionsOf(ids[2]!)).toEqual(['report@1', 'accept@2'])
    const seqs = receiver.received.slice(-7).map(r => r.event.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    await waitFor('an empty backlog', async () => (await t.ctx.webhooks.backlog()) === 0)
  })

  it('sends the reporter of a merged incident the outcome of the incident it was merged into', async () => {
    const mine = await reportAsKey()
    const master = (await req('POST', '/api/incidents', await as('operator'), fixtures(t.ctx).report())).json().id
    await act(mine, { action: 'merge', mergeInto: master })
    await act(master, { action: 'accept' })
    await act(master, { action: 'reject', note: '经核实已由物业处理' })
    await waitFor('the master\'s steps', () => actionsOf(mine).length >= 4)
    await t.ctx.webhooks.flush()
    const got = receiver.byIncident().get(mine)!.map(r => r.event)
    expect(got.map(e => e.action)).toEqual(['report', 'merge', 'accept', 'reject'])
    expect(got[1]).toMatchObject({ incident: { state: 'merged', mergedInto: master } })
    expect(got[1]!.via).toBeUndefined()
    expect(got[3]).toMatchObject({ via: { id: master }, note: '经核实已由物业处理', incident: { id: mine, state: 'rejected', status: 'closed', mergedInto: master } })
    expect(receiver.byIncident().has(master)).toBe(false)
  })

  it('queues while paused, sends on resume, and "retry now" skips the backoff', async () => {
    const admin = await as('admin')
    expect((await req('POST', `/api/webhooks/${keyId}/pause`, admin)).json()).toMatchObject({ paused: true })
    const id = await reportAsKey()
    await t.ctx.webhooks.flush()
    expect(actionsOf(id)).toEqual([])
    expect((await req('GET', '/api/webhooks', admin)).json().find((s: { keyId: string }) => s.keyId === keyId)).toMatchObject({ paused: true, backlog: 1 })
    expect((await req('POST', `/api/webhooks/${keyId}/resume`, admin)).json()).toMatchObject({ paused: false })
    await waitFor('the paused event', () => actionsOf(id).length === 1)

    const retry = await req('POST', `/api/webhooks/${keyId}/retry`, admin)
    expect(retry.statusCode).toBe(200)
    expect((await req('POST', '/api/webhooks/nokey/retry', admin)).statusCode).toBe(404)
  })
})

describe('who sees the delivery log', () => {
  it.each([
    ['admin', 200],
    ['commander', 403],
    ['operator', 403],
    ['leader', 403],
  ] as const)('%s → %i', async (who, status) => {
    const headers = await as(who)
    expect((await req('GET', '/api/webhooks', headers)).statusCode).toBe(status)
    expect((await req('GET', `/api/webhooks/${keyId}/deliveries`, headers)).statusCode).toBe(status)
    expect((await req('POST', `/api/webhooks/${keyId}/pause`, headers)).statusCode).toBe(status)
    if (status === 200)
      await req('POST', `/api/webhooks/${keyId}/resume`, headers)
  })

  it('refuses an API key the admin routes, even one that manages its own callback', async () => {
    expect((await req('GET', '/api/webhooks', key)).statusCode).toBe(403)
    expect((await req('GET', `/api/webhooks/${keyId}/deliveries`, key)).statusCode).toBe(403)
    expect((await req('PUT', `/api/webhooks/${keyId}`, key, { url: receiver.url() })).statusCode).toBe(403)
  })

  it('lets the admin register a callback for any key, and refuses an unknown key', async () => {
    const other = await newKey(['incidents:report'])
    const res = await req('PUT', `/api/webhooks/${other.id}`, await as('admin'), { url: receiver.url(), secret: 'a-secret-the-admin-chose', enabled: false })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ keyId: other.id, enabled: false })
    expect(res.json().secret).toBeUndefined()
    expect((await req('PUT', '/api/webhooks/nokey', await as('admin'), { url: receiver.url() })).statusCode).toBe(404)
    expect((await req('DELETE', `/api/webhooks/${other.id}`, await as('admin'))).statusCode).toBe(204)
  })
})

describe('retry now', () => {
  it('sends a failed event at once instead of after its backoff', async () => {
    const slow = await buildTestApp({ config: { webhooks: { ...fast, retryBaseMs: 600_000, retryMaxMs: 600_000 } } })
    const stopSlow = slow.ctx.webhooks.start()
    let s: string | null = null
    const r = await startReceiver(() => s)
    try {
      const made = await slow.app.inject({ method: 'POST', url: '/api/api-keys', headers: await slow.as('admin'), payload: { name: 'r', scopes: ['incidents:report', 'callbacks:manage'] } })
      const auth = { authorization: `Bearer ${made.json().token}` }
      s = (await slow.app.inject({ method: 'PUT', url: '/api/webhooks/self', headers: auth, payload: { url: r.url() } })).json().secret
      r.answer(500)
      const rep = await slow.app.inject({ method: 'POST', url: '/api/incidents', headers: auth, payload: fixtures(slow.ctx).report() })
      expect(rep.statusCode).toBe(201)
      const log = async () => (await slow.app.inject({ url: `/api/webhooks/${made.json().id}/deliveries`, headers: await slow.as('admin') })).json()
      await waitFor('the failed attempt', async () => (await log()).deliveries[0]?.attempts === 1)
      expect((await log()).deliveries[0]).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null })
      r.answer(204)
      await slow.ctx.webhooks.flush()
      expect(r.received).toHaveLength(0)
      const res = await slow.app.inject({ method: 'POST', url: `/api/webhooks/${made.json().id}/retry`, headers: await slow.as('admin') })
      expect(res.statusCode).toBe(200)
      await waitFor('the retried event', () => r.received.length === 1)
      // The receiver has it before the sender has read its answer and recorded the outcome.
      await waitFor('the retry recorded', async () => (await log()).deliveries[0]?.attempts === 2)
      expect((await log()).deliveries[0]).toMatchObject({ attempts: 2, lastStatus: 204, nextAttemptAt: null })
    }
    finally {
      stopSlow()
      await r.close()
      await slow.close()
    }
  })
})
