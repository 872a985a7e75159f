import type { TestApp } from '../../helpers/app.ts'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../../server/auth/accounts.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { watcher } from '../../helpers/socket.ts'

let t: TestApp
let url: string
let clock = new Date('2026-11-27T02:00:00Z')
const HOUR = 3600_000

beforeAll(async () => {
  // Sign-ins are rate-limited per address and username; this file signs in often, so it allows 16 a minute.
  t = await buildTestApp({ now: () => clock, config: { loginAttemptsPerMinute: 16 } })
  url = await t.listen()
})
afterAll(() => t.close())

function login(username: string, password = demoPassword(username)) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
}
const cookieOf = (res: { cookies: { name: string, value: string }[] }) => `os_sid=${res.cookies.find(c => c.name === 'os_sid')!.value}`
/** A session for a demo account, renewed when this file has moved the clock (sign-ins are rate-limited). */
const sessions = new Map<string, { at: number, headers: { 'cookie': string, 'x-csrf-token': string } }>()
async function as(username: string) {
  const known = sessions.get(username)
  if (known && known.at === clock.getTime())
    return known.headers
  const res = await login(username)
  const headers = { 'cookie': cookieOf(res), 'x-csrf-token': res.json().csrf as string }
  sessions.set(username, { at: clock.getTime(), headers })
  return headers
}
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })

describe('sign-in and sessions', () => {
  it('signs in with a HttpOnly SameSite session cookie and answers me', async () => {
    const res = await login('commander')
    expect(res.statusCode).toBe(200)
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    const body = (await me(cookieOf(res))).json()
    expect(body.principal).toMatchObject({ kind: 'user', roles: ['commander'] })
    expect(body.readOnly).toBe(false)
  })

  it('refuses a wrong password with 401 and records it', async () => {
    const res = await login('operator', 'not-the-password')
    expect(res.statusCode).toBe(401)
    const audit = (await t.app.inject({ method: 'GET', url: '/api/audit?action=auth:login&result=deny', headers: await as('admin') })).json()
    expect(audit).toContainEqual(expect.objectContaining({ target: 'operator', result: 'deny' }))
  })

  it('answers 401 without a session and for a tampered cookie', async () => {
    expect((await t.app.inject('/api/snapshot')).statusCode).toBe(401)
    const good = cookieOf(await login('operator'))
    const tampered = `${good.slice(0, -3)}xyz`
    expect((await me(tampered)).statusCode).toBe(401)
    expect((await me(good)).statusCode).toBe(200)
    expect((await t.app.inject('/api/health')).statusCode).toBe(200)
  })

  it('ends a session after its idle and absolute limits', async () => {
    const cookie = cookieOf(await login('operator'))
    clock = new Date(clock.getTime() + 3 * HOUR) // idle for 3 h > 2 h
    expect((await me(cookie)).statusCode).toBe(401)
    const busy = cookieOf(await login('operator'))
    for (let i = 0; i < 13; i++) {
      clock = new Date(clock.getTime() + HOUR)
      const res = await me(busy)
      expect(res.statusCode).toBe(i < 11 ? 200 : 401) // active every hour, still over after 12 h
    }
  })

  it('revokes a session on logout and disconnects its sockets', async () => {
    const res = await login('operator')
    const cookie = cookieOf(res)
    const w = watcher(url, null, cookie)
    await w.ready
    const closed = new Promise<string>(resolve => w.socket.on('disconnect', resolve))
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { 'cookie': cookie, 'x-csrf-token': res.json().csrf } })
    expect(out.statusCode).toBe(204)
    expect(await closed).toBe('io server disconnect')
    expect((await me(cookie)).statusCode).toBe(401)
  })

  it('ends every other session when the password changes', async () => {
    const a = await login('sector_lead')
    const b = await login('sector_lead')
    const next = 'a-new-long-password-1'
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { 'cookie': cookieOf(a), 'x-csrf-token': a.json().csrf }, payload: { current: demoPassword('sector_lead'), next } })
    expect(res.statusCode).toBe(204)
    expect((await me(cookieOf(b))).statusCode).toBe(401)
    const c = await login('sector_lead', next)
    expect(c.statusCode).toBe(200)
    const weak = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { 'cookie': cookieOf(c), 'x-csrf-token': c.json().csrf }, payload: { current: next, next: 'short' } })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().field).toBe('next')
  })

  it('slows brute-force sign-in to one account: 429 with Retry-After after ten failures', async () => {
    const codes: number[] = []
    let last
    for (let i = 0; i < 12; i++) {
      last = await login('force_member', `guess-${i}`)
      codes.push(last.statusCode)
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429])
    expect(last!.headers['retry-after']).toBe('1')
  })
})

describe('wall displays', () => {
  it('signs a browser opening / in as the demo wall display, read-only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' })
    const cookie = cookieOf(res)
    const body = (await me(cookie)).json()
    expect(body).toMatchObject({ readOnly: true, principal: { kind: 'device', roles: ['wall'] } })
    const write = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { 'cookie': cookie, 'x-csrf-token': body.csrf }, payload: fixtures(t.ctx).report() })
    expect(write.statusCode).toBe(403)
  })

  it('returns an enrolled wall to its own session when the operator who signed in on it signs out', async () => {
    const wallCookie = cookieOf(await t.app.inject({ method: 'GET', url: '/' }))
    const op = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: wallCookie }, payload: { username: 'post_staff', password: demoPassword('post_staff') } })
    const kept = op.cookies.find(c => c.name === 'os_dev')!
    expect(kept.value).toBe(wallCookie.split('=')[1])
    const both = `${cookieOf(op)}; os_dev=${kept.value}`
    expect((await me(both)).json().principal.roles).toEqual(['post_staff'])
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { 'cookie': both, 'x-csrf-token': op.json().csrf } })
    expect(out.statusCode).toBe(204)
    const back = (await me(cookieOf(out))).json()
    expect(back).toMatchObject({ readOnly: true, principal: { kind: 'device', roles: ['wall'] } })
  })

  it('enrols a wall PC once with a device token, which the admin can revoke', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/devices', headers: await as('admin'), payload: { name: '指挥大厅主屏' } })
    expect(made.statusCode).toBe(201)
    const opened = await t.app.inject({ method: 'POST', url: '/api/auth/device', payload: { token: made.json().token } })
    expect(opened.json()).toMatchObject({ readOnly: true, principal: { kind: 'device', name: '指挥大厅主屏', roles: ['wall'] } })
    const del = await t.app.inject({ method: 'DELETE', url: `/api/devices/${made.json().id}`, headers: await as('admin') })
    expect(del.statusCode).toBe(204)
    expect((await me(cookieOf(opened))).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/device', payload: { token: made.json().token } })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'POST', url: '/api/devices', headers: await as('operator'), payload: { name: 'x' } })).statusCode).toBe(403)
  })
})

describe('cSRF and origin', () => {
  it('refuses a cookie-authenticated mutation without the CSRF token', async () => {
    const res = await login('operator')
    const body = fixtures(t.ctx).report()
    const bare = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie: cookieOf(res) }, payload: body })
    expect(bare.statusCode).toBe(403)
    expect(bare.json().field).toBe('x-csrf-token')
    const ok = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { 'cookie': cookieOf(res), 'x-csrf-token': res.json().csrf }, payload: body })
    expect(ok.statusCode).toBe(201)
  })

  it('refuses a mutation from a foreign origin and a socket from a foreign origin', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example' }, payload: { username: 'operator', password: demoPassword('operator') } })
    expect(res.statusCode).toBe(403)
    const cookie = cookieOf(await login('operator'))
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: 'https://evil.example' } })
    const err = await new Promise<Error>(resolve => s.on('connect_error', resolve))
    expect(err).toBeInstanceOf(Error)
    s.close()
  })
})

describe('sockets use the session', () => {
  it('refuses a socket with no session', async () => {
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true })
    const err = await new Promise<Error>(resolve => s.on('connect_error', resolve))
    expect(err.message).toBe('unauthorized')
    s.close()
  })

  it('refuses a mutation from a leader socket with 403', async () => {
    const w = watcher(url, null, cookieOf(await login('leader')))
    await w.ready
    const ack = await w.socket.emitWithAck('incident:report', { opId: 'leader-1', body: fixtures(t.ctx).report() })
    expect(ack).toMatchObject({ ok: false, status: 403 })
    w.close()
  })
})

describe('leader share links', () => {
  async function createLink(hours = 1) {
    const res = await t.app.inject({ method: 'POST', url: '/api/share-links', headers: await as('commander'), payload: { hours, label: '区领导' } })
    expect(res.statusCode).toBe(201)
    return res.json() as { link: { id: string }, token: string, path: string, qrSvg: string }
  }
  const open = (token: string) => t.app.inject({ method: 'POST', url: '/api/auth/share', payload: { token } })

  it('opens a read-only view with no password, with a QR code for the console', async () => {
    const link = await createLink()
    expect(link.path).toBe(`/m?share=${encodeURIComponent(link.token)}`)
    expect(link.qrSvg).toMatch(/^<svg/)
    const res = await open(link.token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ readOnly: true, principal: { kind: 'share', roles: ['leader'] } })
    const cookie = cookieOf(res)
    expect((await t.app.inject({ method: 'GET', url: '/api/snapshot', headers: { cookie } })).statusCode).toBe(200)
    const write = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { 'cookie': cookie, 'x-csrf-token': res.json().csrf }, payload: fixtures(t.ctx).report() })
    expect(write.statusCode).toBe(403)
  })

  it('refuses a tampered, expired or revoked link with 401', async () => {
    const link = await createLink(1)
    const sigAt = link.token.lastIndexOf('.') + 1
    const flipped = link.token[sigAt] === 'A' ? 'B' : 'A'
    expect((await open(`${link.token.slice(0, sigAt)}${flipped}${link.token.slice(sigAt + 1)}`)).statusCode).toBe(401)
    const last = link.token.at(-1) === 'A' ? 'B' : 'A'
    expect((await open(`${link.token.slice(0, -1)}${last}`)).statusCode, 'a changed last character is refused too').toBe(401)
    const res = await open(link.token)
    const cookie = cookieOf(res)
    const w = watcher(url, null, cookie)
    await w.ready
    const dropped = new Promise(resolve => w.socket.on('disconnect', resolve))
    const del = await t.app.inject({ method: 'DELETE', url: `/api/share-links/${link.link.id}`, headers: await as('commander') })
    expect(del.statusCode).toBe(204)
    await dropped
    expect((await t.app.inject({ method: 'GET', url: '/api/snapshot', headers: { cookie } })).statusCode).toBe(401)
    expect((await open(link.token)).statusCode).toBe(401)

    const short = await createLink(1)
    clock = new Date(clock.getTime() + 2 * HOUR)
    expect((await open(short.token)).statusCode).toBe(401)
  })

  it('lets only commanders, operators and admins create links', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/share-links', headers: await as('grid_worker'), payload: {} })
    expect(res.statusCode).toBe(403)
  })
})

describe('audit trail', () => {
  it('records allowed and denied mutations with who, role, when, address, action and target', async () => {
    const op = await as('operator')
    const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: fixtures(t.ctx).report() })
    const id = made.json().id
    await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: await as('wall'), payload: { action: 'accept' } })
    const rows = (await t.app.inject({ method: 'GET', url: '/api/audit?limit=50', headers: await as('admin') })).json() as { action: string, target: string, result: string, role: string, ip: string, actorId: string, at: string }[]
    const allowed = rows.find(r => r.action === 'incident:report' && r.target === id)
    const denied = rows.find(r => r.action === 'incident:accept' && r.target === id)
    expect(allowed).toMatchObject({ result: 'allow', role: 'operator', actorId: 'op-01', ip: '127.0.0.1' })
    expect(denied).toMatchObject({ result: 'deny', role: 'wall', at: clock.toISOString() })
  })

  it('is readable by the admin only and has no way to edit or delete it', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', headers: await as('commander') })).statusCode).toBe(403)
    const admin = await as('admin')
    expect((await t.app.inject({ method: 'DELETE', url: '/api/audit', headers: admin })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'PUT', url: '/api/audit/1', headers: admin, payload: {} })).statusCode).toBe(404)
  })
})

describe('what each screen receives', () => {
  it('gives reporters\' phone numbers to the operator and not to the wall or leaders', async () => {
    const op = await as('operator')
    const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: fixtures(t.ctx).report({ reporterName: '王大妈', reporterPhone: '13800001111' }) })
    const id = made.json().id
    expect((await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: op })).json().reporterPhone).toBe('13800001111')
    for (const role of ['wall', 'leader']) {
      const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: await as(role) })).json()
      expect(detail.reporterPhone).toBeUndefined()
      expect(detail.reporterName).toBeUndefined()
      const snap = (await t.app.inject({ method: 'GET', url: '/api/snapshot', headers: await as(role) })).json()
      expect(snap.incidents.map((i: { id: string }) => i.id)).toContain(id)
      expect(snap.incidents.filter((i: { reporterPhone?: string }) => i.reporterPhone)).toEqual([])
    }
  })
})

describe('hardening', () => {
  it('returns a stored script payload as JSON data, never as markup', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(1)>'
    const op = await as('operator')
    const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: fixtures(t.ctx).report({ description: payload, title: payload }) })
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${made.json().id}`, headers: op })
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json().description).toBe(payload)
    expect(res.json().title).toBe(payload)
  })

  it('sends a Content-Security-Policy with no inline script and no outside host', async () => {
    const csp = String((await t.app.inject('/api/health')).headers['content-security-policy'])
    const script = /script-src ([^;]*)/.exec(csp)![1]!
    expect(script.trim()).toBe('\'self\'')
    expect(csp).toMatch(/worker-src 'self' blob:/)
    expect(csp).not.toMatch(/https?:\/\//)
  })

  it('refuses an oversized body with 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: await as('operator'), payload: fixtures(t.ctx).report({ description: 'x'.repeat(300_000) }) })
    expect(res.statusCode).toBe(413)
  })
})
