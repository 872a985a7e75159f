import type { AuthHeaders } from '../../helpers/app.ts'
import type { RunningServer } from '../../helpers/server.ts'
import { afterAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../../helpers/auth.ts'
import { startServer } from '../../helpers/server.ts'
import { startReceiver, waitFor } from './receiver.ts'

// The real server as a child process, killed with SIGKILL while deliveries are in flight: after a restart on the
// same data directory, every event reaches the receiver at least once, and each incident's in order.

const env = { ONESCREEN_WEBHOOK_EVERY_MS: '100', ONESCREEN_WEBHOOK_RETRY_MS: '100', ONESCREEN_WEBHOOK_RETRY_MAX_MS: '400', ONESCREEN_WEBHOOK_TIMEOUT_MS: '5000' }
let server: RunningServer | null = null
let secret: string | null = null
const receiver = await startReceiver(() => secret, { delayMs: 120 })
afterAll(async () => {
  await server?.stop()
  await receiver.close()
})

async function json<T>(res: Response): Promise<T> {
  if (!res.ok)
    throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

describe('webhooks across a crash', () => {
  it('delivers every event at least once and in order per incident after SIGKILL mid-delivery', async () => {
    server = await startServer({ env })
    const { url, dataDir } = server
    const admin = await signIn(url, 'admin')
    const made = await json<{ token: string }>(await authed(`${url}/api/api-keys`, admin, { body: { name: '12345 热线', scopes: ['incidents:report', 'callbacks:manage'] } }))
    const key = { 'authorization': `Bearer ${made.token}`, 'content-type': 'application/json' }
    const saved = await json<{ secret: string }>(await fetch(`${url}/api/webhooks/self`, { method: 'PUT', headers: key, body: JSON.stringify({ url: receiver.url() }) }))
    secret = saved.secret
    const territory = await json<{ subdistrict: { center: { lon: number, lat: number } } }>(await authed(`${url}/api/territory`, admin))
    const catalog = await json<{ categories: { code: string }[] }>(await authed(`${url}/api/catalog`, admin))

    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${url}/api/incidents`, { method: 'POST', headers: key, body: JSON.stringify({ category: catalog.categories[0]!.code, description: `热线工单${i}`, location: territory.subdistrict.center }) })
      ids.push((await json<{ id: string }>(res)).id)
    }
    const operator: AuthHeaders = await signIn(url, 'operator')
    for (const id of ids) await json(await authed(`${url}/api/incidents/${id}/actions`, operator, { body: { action: 'accept' } }))

    // Some delivered, one on the wire, the rest queued: now the process dies.
    await waitFor('deliveries in flight', () => receiver.received.length >= 3 && receiver.inFlight() > 0)
    await server.kill()
    const before = receiver.received.length
    expect(before).toBeLessThan(12)

    server = await startServer({ dataDir, env })
    const op2 = await signIn(server.url, 'operator')
    // The loop goes on after the restart: these steps follow the ones queued before the crash.
    for (const id of ids.slice(0, 2)) await json(await authed(`${server.url}/api/incidents/${id}/actions`, op2, { body: { action: 'reject', note: '重复来电' } }))

    const want = (id: string) => (ids.indexOf(id) < 2 ? [1, 2, 3] : [1, 2])
    await waitFor('every event after the restart', () => ids.every((id) => {
      const got = new Set((receiver.byIncident().get(id) ?? []).map(r => r.event.incident.version))
      return want(id).every(v => got.has(v))
    }), 60_000)

    for (const id of ids) {
      const versions = receiver.byIncident().get(id)!.map(r => r.event.incident.version)
      // At least once: a redelivery repeats the event just sent, never one from before it.
      expect(versions, `incident ${id} arrived as ${versions.join(',')}`).toEqual([...versions].sort((a, b) => a - b))
      expect([...new Set(versions)]).toEqual(want(id))
    }
    expect(receiver.received.every(r => r.signed)).toBe(true)
    // Event ids are stable: a duplicate carries the id of the first copy, so the receiver can drop it.
    const byId = new Map<string, string>()
    for (const r of receiver.received) {
      const body = JSON.stringify(r.event)
      expect(byId.get(r.eventId) ?? body).toBe(body)
      byId.set(r.eventId, body)
    }
    expect(byId.size).toBe(14)
    // The request on the wire at the kill was answered after the sender died: it came again after the restart.
    expect(receiver.received.length, 'the in-flight event was not sent again').toBeGreaterThan(14)
  }, 120_000)
})
