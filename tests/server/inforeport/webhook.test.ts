import type { IncomingHttpHeaders, Server } from 'node:http'
import type { InfoReport } from '../../../shared/inforeport/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WEBHOOK_HEADERS } from '../../../shared/webhooks/schema.ts'
import { verifyWebhook } from '../../../shared/webhooks/signature.ts'
import { buildTestApp } from '../../helpers/app.ts'

// Sending a report to the district's system: one POST signed like the outcome webhooks, the report marked sent only
// once the district took it; and the package's deadlines (inforeports.json, per plan) in force.

const MIN = 60_000
const T0 = Date.parse('2026-07-15T12:00:00.000Z')
const SECRET = 'whsec_district_test'
let clock = new Date(T0)
let t: TestApp
let receiver: Server
let answer = 500
const got: { headers: IncomingHttpHeaders, body: string }[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d))
    req.on('end', () => {
      got.push({ headers: req.headers, body })
      res.writeHead(answer).end()
    })
  })
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
  const port = (receiver.address() as { port: number }).port
  t = await buildTestApp({ now: () => clock, config: { inforeport: { url: `http://127.0.0.1:${port}/reports`, secret: SECRET } } })
  // The package sets the deadlines: 20 minutes for every plan, 15 for the rainstorm plan.
  t.ctx.live.set(t.ctx.live.version + 1, { ...t.ctx.live.pkg, inforeports: { initialMinutes: 20, leadMinutes: 5, plans: { 'rainstorm-red': { initialMinutes: 15 } } } })
})
afterAll(async () => {
  await t.close()
  await new Promise(resolve => receiver.close(resolve))
})

async function req(method: 'GET' | 'POST' | 'PUT', path: string, as: string, payload?: unknown) {
  return t.app.inject({ method, url: path, headers: await t.as(as), ...(payload === undefined ? {} : { payload: payload as object }) })
}

describe('sending a report to the district', () => {
  let r: InfoReport

  it('follows the package\'s deadline for the operation\'s plan', async () => {
    expect((await req('POST', '/api/wartime/declare', 'commander', { reason: '暴雨红色预警', planId: 'rainstorm-red' })).statusCode).toBe(201)
    clock = new Date(T0 + 10 * MIN)
    await t.ctx.inforeports.tick()
    const list = (await req('GET', '/api/inforeports', 'operator')).json()
    expect(list.webhook).toBe(true)
    r = list.reports[0]
    expect(r).toMatchObject({ kind: 'initial', state: 'draft', dueAt: new Date(T0 + 15 * MIN).toISOString(), draftAt: new Date(T0 + 10 * MIN).toISOString() })
    const edited = await req('PUT', `/api/inforeports/${r.id}`, 'commander', { version: r.version, fields: { ...r.fields, reporter: '值班员', signer: '街道主任' } })
    expect(edited.statusCode).toBe(200)
    r = edited.json()
  })

  it('keeps the report a draft when the district refuses it, and records the failure', async () => {
    answer = 500
    const res = await req('POST', `/api/inforeports/${r.id}/send`, 'operator', { version: r.version, via: 'webhook' })
    expect(res.statusCode).toBe(502)
    expect(res.json().message).toContain('HTTP 500')
    expect((await req('GET', `/api/inforeports/${r.id}`, 'operator')).json()).toMatchObject({ state: 'draft', version: r.version })
    const audit = (await req('GET', '/api/audit?action=inforeport:send', 'admin')).json() as { result: string, detail: string }[]
    expect(audit.map(a => [a.result, a.detail])).toEqual([['fail', 'HTTP 500']])
  })

  it('marks it sent once the district answers 2xx, with a signature the district can verify', async () => {
    answer = 204
    got.length = 0
    const res = await req('POST', `/api/inforeports/${r.id}/send`, 'operator', { version: r.version, via: 'webhook' })
    expect(res.statusCode).toBe(200)
    const sent = res.json() as InfoReport
    expect(sent).toMatchObject({ state: 'sent', sentVia: 'webhook', sentBy: 'op-01' })
    expect(got).toHaveLength(1)
    const { headers, body } = got[0]!
    expect(headers[WEBHOOK_HEADERS.id]).toBe(`${r.id}:v${sent.version}`)
    const check = await verifyWebhook(SECRET, { timestamp: headers[WEBHOOK_HEADERS.timestamp] as string, signature: headers[WEBHOOK_HEADERS.signature] as string }, body, { now: clock })
    expect(check).toEqual({ ok: true })
    expect(await verifyWebhook('whsec_wrong', { timestamp: headers[WEBHOOK_HEADERS.timestamp] as string, signature: headers[WEBHOOK_HEADERS.signature] as string }, body, { now: clock })).toEqual({ ok: false, reason: 'mismatch' })
    expect(JSON.parse(body)).toMatchObject({ type: 'inforeport', id: r.id, kind: 'initial', name: '初报', text: sent.text, figures: sent.figures })
  })
})
