import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// The admin console's actions over HTTP (#15): who may do each, what bad input answers, what a disabled
// account and a reset password do to sessions, and what a scoped API key may read and do.

const ROLES = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall'] as const
const PASSWORD = 'Lanxi-worker-2026'
let t: TestApp
let seq = 0

beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

async function req(method: string, url: string, who: string | null, payload?: unknown) {
  return t.app.inject({ method: method as 'GET', url, headers: who === null ? {} : await t.as(who), payload: payload as object })
}
const person = (role: string) => t.ctx.reference.org.people.find(p => p.roles.includes(role as never))!
const newAccount = (over: Record<string, unknown> = {}) => ({ username: `u${++seq}`, name: '测试账号', password: PASSWORD, roles: ['operator'], ...over })
async function created(over: Record<string, unknown> = {}): Promise<{ id: string, username: string }> {
  const res = await req('POST', '/api/accounts', 'admin', newAccount(over))
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const signIn = (username: string, password = PASSWORD) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })

describe('the admin actions, role by role', () => {
  const actions: [string, (who: string | null) => Promise<{ statusCode: number }>, readonly string[]][] = [
    ['list accounts', who => req('GET', '/api/accounts', who), ['admin']],
    ['create an account', who => req('POST', '/api/accounts', who, newAccount()), ['admin']],
    ['edit an account', async who => req('PATCH', `/api/accounts/${(await created()).id}`, who, { name: '改名' }), ['admin']],
    ['disable an account', async who => req('PUT', `/api/accounts/${(await created()).id}/disabled`, who, { disabled: true }), ['admin']],
    ['reset a password', async who => req('PUT', `/api/accounts/${(await created()).id}/password`, who, { password: 'Another-pass-99' }), ['admin']],
    ['list API keys', who => req('GET', '/api/api-keys', who), ['admin']],
    ['create an API key', who => req('POST', '/api/api-keys', who, { name: 'k', scopes: ['changes:read'] }), ['admin']],
    ['read the audit trail', who => req('GET', '/api/audit', who), ['admin']],
    ['export the audit trail', who => req('GET', '/api/audit/export.csv', who), ['admin']],
    ['list share links', who => req('GET', '/api/share-links', who), ['admin', 'commander', 'operator']],
  ]
  for (const [name, run, allowed] of actions) {
    it.each(ROLES)(`${name}: %s`, async (role) => {
      const { statusCode } = await run(role)
      expect(statusCode).toBe(allowed.includes(role) ? (name.startsWith('create') ? 201 : name.startsWith('reset') ? 204 : 200) : 403)
    })
    it(`${name}: signed out → 401`, async () => {
      expect((await run(null)).statusCode).toBe(401)
    })
  }

  it('records each account change, and each refusal, in the audit trail', async () => {
    const a = await created()
    await req('PUT', `/api/accounts/${a.id}/disabled`, 'commander', { disabled: true })
    const rows = (await req('GET', `/api/audit?target=${a.id}`, 'admin')).json() as { action: string, result: string }[]
    expect(rows.map(r => `${r.action}:${r.result}`)).toContain('account:disable:deny')
    const made = (await req('GET', `/api/audit?action=account:create&target=${a.username}`, 'admin')).json()
    expect(made).toHaveLength(1)
  })
})

describe('bad input names the field', () => {
  it.each([
    ['username', { username: 'Has Spaces' }],
    ['password', { password: 'short' }],
    ['roles', { roles: ['integration'] }],
    ['roles', { roles: [] }],
    ['personId', { roles: ['grid_worker'], personId: 'nobody' }],
    ['personId', { roles: ['grid_worker'] }],
    ['scope.communityId', { roles: ['community_staff'], scope: { communityId: 'atlantis' } }],
    ['scope.sectorId', { roles: ['sector_lead'] }],
  ])('%s: %j → 400', async (field, over) => {
    const res = await req('POST', '/api/accounts', 'admin', newAccount(over))
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().field).toBe(field)
  })

  it('answers a taken username with 409, an unknown account with 404, an inverted date range with 400', async () => {
    const a = await created()
    expect((await req('POST', '/api/accounts', 'admin', newAccount({ username: a.username }))).json()).toMatchObject({ statusCode: 409, field: 'username' })
    expect((await req('PATCH', '/api/accounts/acc_none', 'admin', { name: 'x' })).json()).toMatchObject({ statusCode: 404, field: 'id' })
    expect((await req('GET', '/api/audit?from=2026-07-02&to=2026-07-01', 'admin')).json()).toMatchObject({ statusCode: 400, field: 'from' })
    expect((await req('POST', '/api/api-keys', 'admin', { name: 'k', scopes: ['incidents:delete'] })).statusCode).toBe(400)
  })
})

describe('accounts', () => {
  it('creates an account for a person that signs in acting in the person\'s territory', async () => {
    const worker = person('grid_worker')
    const a = await created({ roles: ['grid_worker'], personId: worker.id })
    const res = await signIn(a.username)
    expect(res.statusCode).toBe(200)
    expect(res.json().principal).toMatchObject({ personId: worker.id, roles: ['grid_worker'] })
    expect(res.json().principal.gridIds.length).toBeGreaterThan(0)
    const listed = (await req('GET', '/api/accounts', 'admin')).body
    expect(listed).not.toContain('scrypt$')
  })

  it('gives a community_staff account its own community', async () => {
    const community = t.ctx.reference.territory.communities[1]!
    const a = await created({ roles: ['community_staff'], scope: { communityId: community.id } })
    expect((await signIn(a.username)).json().principal.communityId).toBe(community.id)
  })

  it('ends a disabled account\'s session at once and refuses its sign-in until enabled', async () => {
    const a = await created()
    const s = await signIn(a.username)
    const cookie = { cookie: `os_sid=${s.cookies.find(c => c.name === 'os_sid')!.value}` }
    expect((await t.app.inject({ url: '/api/auth/me', headers: cookie })).statusCode).toBe(200)
    expect((await req('PUT', `/api/accounts/${a.id}/disabled`, 'admin', { disabled: true })).json()).toMatchObject({ disabled: true })
    expect((await t.app.inject({ url: '/api/auth/me', headers: cookie })).statusCode).toBe(401)
    expect((await signIn(a.username)).statusCode).toBe(401)
    await req('PUT', `/api/accounts/${a.id}/disabled`, 'admin', { disabled: false })
    expect((await signIn(a.username)).statusCode).toBe(200)
  })

  it('resets a password: the old one and the old sessions stop working, the new one signs in', async () => {
    const a = await created()
    const s = await signIn(a.username)
    const cookie = { cookie: `os_sid=${s.cookies.find(c => c.name === 'os_sid')!.value}` }
    expect((await req('PUT', `/api/accounts/${a.id}/password`, 'admin', { password: 'aaa' })).json()).toMatchObject({ statusCode: 400, field: 'password' })
    expect((await req('PUT', `/api/accounts/${a.id}/password`, 'admin', { password: 'Fresh-start-2026' })).statusCode).toBe(204)
    expect((await t.app.inject({ url: '/api/auth/me', headers: cookie })).statusCode).toBe(401)
    expect((await signIn(a.username)).statusCode).toBe(401)
    expect((await signIn(a.username, 'Fresh-start-2026')).statusCode).toBe(200)
  })

  it('keeps the admin from locking themself out', async () => {
    const me = (await req('GET', '/api/auth/me', 'admin')).json().principal.id
    expect((await req('PUT', `/api/accounts/${me}/disabled`, 'admin', { disabled: true })).json()).toMatchObject({ statusCode: 409, field: 'disabled' })
    expect((await req('PATCH', `/api/accounts/${me}`, 'admin', { roles: ['operator'] })).json()).toMatchObject({ statusCode: 409, field: 'roles' })
  })
})

describe('aPI-key scopes', () => {
  let incidentId: string
  let incidentCommunity: string
  beforeAll(async () => {
    const made = await req('POST', '/api/incidents', 'operator', fixtures(t.ctx).report({ reporterName: '王大妈', reporterPhone: '13912345678' }))
    incidentId = made.json().id
    incidentCommunity = made.json().owner.communityId
  })
  async function key(body: Record<string, unknown>): Promise<Record<string, string>> {
    const res = await req('POST', '/api/api-keys', 'admin', { name: 'scoped', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return { authorization: `Bearer ${res.json().token}` }
  }
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ url, headers })

  it('refuses what a key was not given, and records the refusal', async () => {
    const readOnly = await key({ scopes: ['incidents:read'] })
    const report = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: readOnly, payload: fixtures(t.ctx).report() })
    expect(report.json()).toMatchObject({ statusCode: 403, field: 'authorization' })
    expect((await get('/api/changes?since=0', readOnly)).statusCode).toBe(403)
    const cap = await t.app.inject({ method: 'POST', url: '/api/cap', headers: { ...readOnly, 'content-type': 'application/xml' }, payload: '<alert/>' })
    expect(cap.statusCode).toBe(403)
    const denied = (await req('GET', '/api/audit?action=key:incidents:report&result=deny', 'admin')).json()
    expect(denied.length).toBeGreaterThan(0)
  })

  it('reads incidents only within its communities, without the reporter\'s personal data', async () => {
    const here = await key({ scopes: ['incidents:read', 'changes:read'], communityIds: [incidentCommunity] })
    const inc = await get(`/api/incidents/${incidentId}`, here)
    expect(inc.statusCode).toBe(200)
    expect(inc.body).not.toContain('13912345678')
    const other = t.ctx.reference.territory.communities.find(c => c.id !== incidentCommunity)!
    const elsewhere = await key({ scopes: ['incidents:read', 'changes:read'], communityIds: [other.id] })
    expect((await get(`/api/incidents/${incidentId}`, elsewhere)).statusCode).toBe(404)
    const page = (await get('/api/changes?since=0&limit=1000', here)).json()
    expect(page.changes.some((c: { id: string }) => c.id === incidentId)).toBe(true)
    expect(JSON.stringify(page)).not.toContain('13912345678')
    const none = (await get('/api/changes?since=0&limit=1000', elsewhere)).json()
    expect(none.changes.some((c: { id: string }) => c.id === incidentId)).toBe(false)
  })

  it('lists keys with their scopes, and keeps the demo key reporting but not reading', async () => {
    const keys = (await req('GET', '/api/api-keys', 'admin')).json() as { name: string, scopes: string[] }[]
    expect(keys.find(k => k.name.startsWith('演示'))!.scopes).toEqual(['incidents:report', 'warnings:submit', 'hotline:sync', 'callbacks:manage'])
    const demo = { authorization: `Bearer ${DEMO_INTEGRATION_KEY}` }
    expect((await t.app.inject({ method: 'POST', url: '/api/incidents', headers: demo, payload: fixtures(t.ctx).report() })).statusCode).toBe(201)
    expect((await get(`/api/incidents/${incidentId}`, demo)).statusCode).toBe(403)
  })
})

describe('the audit trail', () => {
  it('filters by Shanghai day, outcome and actor, pages with a total, and exports with Chinese headers', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(t.ctx.now())
    const page = await req('GET', `/api/audit?from=${today}&to=${today}&result=allow&limit=2&offset=1`, 'admin')
    expect(page.json()).toHaveLength(2)
    expect(Number(page.headers['x-total-count'])).toBeGreaterThan(3)
    expect((await req('GET', '/api/audit?from=2001-01-01&to=2001-01-02', 'admin')).json()).toEqual([])
    const csv = await req('GET', `/api/audit/export.csv?from=${today}&result=deny`, 'admin')
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFF编号,时间,操作者类型,操作者,角色,IP,渠道,操作,对象,结果,说明')
    expect(csv.body).toContain('拒绝')
    const xlsx = await req('GET', '/api/audit/export.xlsx', 'admin')
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK')
  })
})
