import type { TestApp } from '../../helpers/app.ts'
import { STATUS_CODES } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

// Every 4xx and 5xx has one shape, { statusCode, error, message, field? }, with error the status's reason phrase;
// the edges Fastify and its plugins answer themselves (bad JSON, media type, size, URL, multipart) included.

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

function shapeOf(res: { statusCode: number, json: () => unknown }) {
  const body = res.json() as Record<string, unknown>
  return { keys: Object.keys(body).filter(k => k !== 'field').sort(), statusCode: body.statusCode, error: body.error, hasField: typeof body.field === 'string' }
}
const SHAPE = (status: number) => ({ keys: ['error', 'message', 'statusCode'], statusCode: status, error: STATUS_CODES[status], hasField: true })

describe('the one error shape', () => {
  it('answers malformed JSON, a wrong media type, an oversize body and a bad URL with the field to fix', async () => {
    const op = await t.as('operator')
    const cases = [
      await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...op, 'content-type': 'application/json' }, payload: '{"category":' }),
      await t.app.inject({ method: 'POST', url: '/api/cap', headers: { ...op, 'content-type': 'application/json' }, payload: '{}' }),
      await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...op, 'content-type': 'application/json' }, payload: JSON.stringify(fixtures(t.ctx).report({ description: 'x'.repeat(300_000) })) }),
      await t.app.inject({ method: 'GET', url: '/api/incidents/%E0%A4%A', headers: op }),
    ]
    expect(cases.map(shapeOf)).toEqual([SHAPE(400), SHAPE(415), SHAPE(413), SHAPE(400)])
  })

  it.each([
    ['no boundary', 'multipart/form-data', 'x'],
    ['cut short', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nxxxx'],
    ['not multipart inside', 'multipart/form-data; boundary=abc', 'garbage'],
  ])('answers a malformed multipart photo upload (%s) with 400 naming file', async (_name, type, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/photos', headers: { ...(await t.as('grid_worker')), 'content-type': type }, payload })
    expect(shapeOf(res)).toEqual(SHAPE(400))
    expect(res.json().field).toBe('file')
  })

  it('says an unknown key is not allowed, at any depth', async () => {
    const op = await t.as('operator')
    const report = fixtures(t.ctx).report()
    const top = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: { ...report, extra: 1 } })
    const deep = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: { ...report, location: { ...report.location, x: 1 } } })
    expect([top.json(), deep.json()]).toEqual([
      { statusCode: 400, error: 'Bad Request', message: 'extra is not allowed', field: 'extra' },
      { statusCode: 400, error: 'Bad Request', message: 'location.x is not allowed', field: 'location.x' },
    ])
  })

  it('refuses a NUL character in any field, over HTTP and a socket, naming the field', async () => {
    // SQLite would store it and PostgreSQL refuses it inside a JSON document (it was a 500 there): bad input on both.
    const op = await t.as('operator')
    const report = fixtures(t.ctx).report()
    const top = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: { ...report, description: 'bad\u0000byte' } })
    const query = await t.app.inject({ method: 'GET', url: '/api/desk/queue?q=a%00b', headers: op })
    expect([top.json(), query.statusCode, query.json().field]).toEqual([
      { statusCode: 400, error: 'Bad Request', message: 'description must not contain a NUL character (U+0000)', field: 'description' },
      400,
      'querystring.q',
    ])
    const w = watcher(await t.listen(), null, op.cookie)
    await w.ready
    const ack = await w.socket.emitWithAck('incident:report', { opId: 'nul-1', body: { ...report, address: 'x\u0000' } })
    w.close()
    expect(ack).toEqual({ ok: false, status: 400, error: 'body.address must not contain a NUL character (U+0000)', field: 'body.address' })
  })

  it('answers health to a monitor that sends a stale API key', async () => {
    const res = await t.app.inject({ url: '/api/health', headers: { authorization: 'Bearer revoked-or-unknown-key' } })
    expect(res.statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/snapshot', headers: { authorization: 'Bearer revoked-or-unknown-key' } })).statusCode).toBe(401)
  })

  it('names 429 Too Many Requests, not Error', async () => {
    let res
    for (let i = 0; i < 12; i++)
      res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: `x${i}` } })
    expect(res!.statusCode).toBe(429)
    expect(res!.json().error).toBe('Too Many Requests')
  })
})

describe('the browser edges', () => {
  it('refuses a mutation from another origin unless configured (no dev server is allowed by default)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...(await t.as('operator')), origin: 'http://localhost:5173' }, payload: fixtures(t.ctx).report() })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ field: 'origin' })
  })

  it('marks the session cookie Secure behind a TLS-terminating proxy it trusts', async () => {
    const behind = await buildTestApp({ config: { trustProxy: '127.0.0.1' } })
    try {
      const res = await behind.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'operator', password: demoPassword('operator') } })
      expect(res.statusCode).toBe(200)
      expect(res.cookies.find(c => c.name === SESSION_COOKIE)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' })
      const direct = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'commander', password: demoPassword('commander') } })
      expect(direct.cookies.find(c => c.name === SESSION_COOKIE)?.secure).toBeUndefined()
    }
    finally {
      await behind.close()
    }
  })
})
