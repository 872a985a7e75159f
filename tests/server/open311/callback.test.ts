import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { startReceiver, waitFor } from '../webhooks/receiver.ts'
import { form, FORM, keyWith } from './helpers.ts'

// The whole way round for a resident's app that speaks Open311: its request is on the wall at once, the desk
// works it to closed, and the app hears so twice over — reading the request back and on its own callback.

const fast = { everyMs: 30, timeoutMs: 2000, retryBaseMs: 40, retryMaxMs: 200, allowPrivate: true, keepDays: 7 }
let t: TestApp
let stop: () => void
let receiver: Awaited<ReturnType<typeof startReceiver>>
let secret: string | null = null
let token: string

beforeAll(async () => {
  t = await buildTestApp({ config: { webhooks: fast } })
  stop = t.ctx.webhooks.start()
  receiver = await startReceiver(() => secret)
  token = await keyWith(t, ['incidents:report', 'incidents:read', 'callbacks:manage'])
  const res = await t.app.inject({ method: 'PUT', url: '/api/webhooks/self', headers: { authorization: `Bearer ${token}` }, payload: { url: receiver.url() } })
  expect(res.statusCode, res.body).toBe(201)
  secret = res.json().secret
})
afterAll(async () => {
  stop()
  await receiver.close()
  await t.close()
})

describe('an Open311 request, the whole way round', () => {
  it('comes back closed through GET requests and through the signed callback, every step in order', async () => {
    const f = fixtures(t.ctx)
    const walls: string[] = []
    t.ctx.store.onCommit(batch => walls.push(...batch.flatMap(c => (c.kind === 'incident' ? [`${c.data.id}:${c.action}`] : []))))
    const posted = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: FORM,
      payload: form({ api_key: token, service_code: f.category('grid'), lat: String(f.point.lat), long: String(f.point.lon), description: '小区门口垃圾堆积三天' }),
    })
    expect(posted.statusCode, posted.body).toBe(201)
    const id = posted.json()[0].service_request_id as string
    expect(walls).toEqual([`${id}:report`])

    const op = await t.as('operator')
    const steps = [{ action: 'accept' }, { action: 'assign', assigneeId: t.ctx.reference.org.people[0]!.id }, { action: 'start' }, { action: 'resolve', note: '已清运' }, { action: 'verify' }, { action: 'close' }]
    for (const body of steps) {
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: op, payload: body })
      expect(res.statusCode, `${body.action}: ${res.body}`).toBe(200)
    }

    const read = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json?api_key=${token}` })
    expect(read.json()[0]).toMatchObject({ service_request_id: id, status: 'closed', status_notes: '已结案：已清运' })

    await waitFor('the close on the callback', () => (receiver.byIncident().get(id) ?? []).some(r => r.event.action === 'close'))
    const got = receiver.byIncident().get(id)!
    expect(got.map(r => `${r.event.action}@${r.event.incident.version}`)).toEqual(['report@1', 'accept@2', 'assign@3', 'start@4', 'resolve@5', 'verify@6', 'close@7'])
    expect(got.map(r => r.signed)).toEqual(got.map(() => true))
    expect(got.at(-1)!.event.incident).toMatchObject({ state: 'closed', status: 'closed' })
  })
})
