import type { Incident } from '../../../shared/incident/schema.ts'
import type { Ack } from '../../../shared/realtime/events.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// One budget per caller for each kind of mutation, taken over HTTP and over the socket alike, so a caller cannot
// go around the HTTP limit through its socket; a retry of a stored request is answered from the store for free.

type Answer = Parameters<Ack<Incident>>[0]

let t: TestApp
let url: string
const REPORTS = 12
const LOG_READS = 5

beforeAll(async () => {
  t = await buildTestApp({ config: { reportsPerMinute: REPORTS, logReadsPerMinute: LOG_READS } })
  url = await t.listen()
})
afterAll(() => t.close())

async function socketOf(role: string) {
  const w = watcher(url, null, (await t.as(role)).cookie)
  await w.ready
  return w
}

function reportOverSocket(socket: Awaited<ReturnType<typeof socketOf>>['socket'], opId: string) {
  return socket.emitWithAck('incident:report', { opId, body: fixtures(t.ctx).report({ description: `经由长连接上报 ${opId}` }) }) as Promise<Answer>
}

describe('per-caller budgets across HTTP and the socket', () => {
  it('counts reports over both transports against one budget, and answers 429 on both once it is spent', async () => {
    const op = await t.as('operator')
    const w = await socketOf('operator')
    const http = []
    for (let i = 0; i < REPORTS / 2; i++)
      http.push((await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...op, 'idempotency-key': `http-${i}` }, payload: fixtures(t.ctx).report() })).statusCode)
    const socket = []
    for (let i = 0; i < REPORTS / 2; i++)
      socket.push((await reportOverSocket(w.socket, `sock-${i}`)).ok)
    expect(http).toEqual([201, 201, 201, 201, 201, 201])
    expect(socket).toEqual([true, true, true, true, true, true])
    const overHttp = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...op, 'idempotency-key': 'http-over' }, payload: fixtures(t.ctx).report() })
    expect(overHttp.statusCode).toBe(429)
    // A per-minute budget on the real clock: the wait left is anywhere in the minute.
    expect(Number(overHttp.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(overHttp.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(await reportOverSocket(w.socket, 'sock-over')).toMatchObject({ ok: false, status: 429 })
    // Retries of stored requests are free: each gets its first answer back although the budget is spent.
    const retried = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...op, 'idempotency-key': 'http-0' }, payload: fixtures(t.ctx).report() })
    expect(retried.statusCode).toBe(201)
    expect(retried.headers['idempotent-replayed']).toBe('true')
    const again = await reportOverSocket(w.socket, 'sock-0')
    expect(again).toMatchObject({ ok: true })
    w.close()
  })

  it('stops a socket flood at the same budget: 130 reports in one burst, 12 stored', async () => {
    const w = await socketOf('commander')
    const before = await t.ctx.store.countIncidents()
    const answers = await Promise.all(Array.from({ length: 130 }, (_, i) => reportOverSocket(w.socket, `flood-${i}`)))
    const statuses = answers.map(a => a.ok ? 201 : a.status)
    expect(statuses.filter(s => s === 201)).toHaveLength(REPORTS)
    expect(statuses.filter(s => s === 429)).toHaveLength(130 - REPORTS)
    expect(await t.ctx.store.countIncidents()).toBe(before + REPORTS)
    w.close()
  })

  it('budgets change-log pages per caller over HTTP and the socket together', async () => {
    const lead = await t.as('sector_lead')
    const w = await socketOf('sector_lead')
    const codes: (number | string)[] = []
    for (let i = 0; i < 3; i++)
      codes.push((await t.app.inject({ url: '/api/changes?since=0&limit=10', headers: lead })).statusCode)
    for (let i = 0; i < 3; i++) {
      const page = await w.socket.emitWithAck('changes:fetch', { since: 0, limit: 10 })
      codes.push(page.ok ? 200 : page.status)
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 429])
    // Another caller still reads.
    expect((await t.app.inject({ url: '/api/changes?since=0&limit=10', headers: await t.as('community_staff') })).statusCode).toBe(200)
    w.close()
  })
})
