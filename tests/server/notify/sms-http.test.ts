import type { Server } from 'node:http'
import type { TestApp } from '../../helpers/app.ts'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../../server/config.ts'
import { signBody, verifyBody } from '../../../server/notify/sms-http.ts'
import { nationalNumber } from '../../../server/notify/sms.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The HTTP gateway in the shape carrier platforms use: a template id and parameters, HMAC-signed, and our callback
// for receipts and replies. The gateway here is a loopback HTTP server that records what it was asked.

const KEY = 'gateway-key'
const T0 = Date.parse('2026-07-20T08:00:00Z')
let clock = T0
const received: { body: string, timestamp: string, signature: string }[] = []
let gateway: Server
let t: TestApp

beforeAll(async () => {
  gateway = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      received.push({ body, timestamp: String(req.headers['x-timestamp']), signature: String(req.headers['x-signature']) })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ code: 0, bizId: `biz-${received.length}` }))
    })
  })
  gateway.listen(0, '127.0.0.1')
  await once(gateway, 'listening')
  const addr = gateway.address()
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/sms/send`
  t = await buildTestApp({ now: () => new Date(clock), config: { notify: { ...configFromEnv({}).notify, sms: url, smsKey: KEY } } })
})
afterAll(async () => {
  await t.ctx.notify.close()
  await t.close()
  gateway.close()
})

function callback(body: unknown, key = KEY) {
  const text = JSON.stringify(body)
  const ts = String(Math.floor(clock / 1000))
  return t.app.inject({ method: 'POST', url: '/notify/sms/callback', headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signBody(key, ts, text) }, payload: text })
}

describe('the HTTP SMS gateway', () => {
  it('posts the template and its parameters, signed, then takes the receipt and the reply "1" back', async () => {
    const plain = t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!
    plain.smartphone = false
    const sent = await t.app.inject({ method: 'POST', url: '/api/messages', headers: await t.as('commander'), payload: { text: '请今晚在岗', all: true } })
    const message = sent.json() as { id: string }
    clock += 1000
    await t.ctx.notify.tick()
    const mine = received.map(r => ({ ...r, json: JSON.parse(r.body) })).find(r => r.json.phone === nationalNumber(plain.phone!))!
    expect(mine.json).toMatchObject({ templateId: 'message', sign: '一屏统揽', params: { title: '指挥中心通知', body: '请今晚在岗' } })
    expect(mine.json.params.link).toMatch(/\/t\/[\w-]{28}$/)
    expect(verifyBody(KEY, mine.timestamp, mine.signature, mine.body, new Date(clock))).toBe(true)
    // Only the person without a smartphone is texted at once; the others get the app first.
    expect(received).toHaveLength(1)

    const rows = await t.ctx.notify.list({ subjectId: message.id })
    expect(rows.map(d => [d.personId, d.status, d.providerId])).toEqual([[plain.id, 'sent', 'biz-1']])
    expect((await callback({ type: 'receipt', id: 'biz-1', status: 'DELIVRD' })).statusCode).toBe(200)
    expect((await callback({ type: 'reply', phone: plain.phone, text: '1' })).statusCode).toBe(200)
    await expect.poll(async () => (await t.ctx.store.getEntity('message', message.id))!.recipients.find(r => r.personId === plain.id)!.readAt).toBe(new Date(clock).toISOString())
    expect((await t.ctx.notify.list({ subjectId: message.id }))[0]!.status).toBe('acknowledged')
  })

  it('refuses a callback signed with another key, or not a receipt or a reply', async () => {
    expect((await callback({ type: 'reply', phone: '13800000000', text: '1' }, 'other')).statusCode).toBe(403)
    const bad = await callback({ type: 'hello' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ field: 'type' })
  })
})
