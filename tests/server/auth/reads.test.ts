import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_INTEGRATION_KEY } from '../../../server/auth/accounts.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// Every read gives the caller only what their role needs: staff mobile numbers to the desks that dispatch
// people, reporters' numbers to case-working roles, and to an integration key only what it reports into.

const REPORTER_PHONE = '13912345678'
let t: TestApp
let incidentId: string
const callers: Record<string, Record<string, string>> = {}

/** The numbers that must not leak: every staff mobile in the reference data, and the reporter's. */
let secrets: string[]

beforeAll(async () => {
  t = await buildTestApp()
  secrets = [...t.ctx.reference.org.people.flatMap(p => p.phone ? [p.phone] : []), REPORTER_PHONE]
  const made = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: await t.as('operator'), payload: fixtures(t.ctx).report({ reporterName: '王大妈', reporterPhone: REPORTER_PHONE }) })
  expect(made.statusCode).toBe(201)
  incidentId = made.json().id
  callers.wall = await t.as('wall')
  callers.leader = await t.as('leader')
  callers.share = await t.shareSession()
  callers.key = { authorization: `Bearer ${DEMO_INTEGRATION_KEY}` }
  callers.operator = await t.as('operator')
  callers.post_staff = await t.as('post_staff')
})
afterAll(() => t.close())

const READ_URLS = () => ['/api/reference', '/api/snapshot', '/api/changes?since=0&limit=1000', `/api/incidents/${incidentId}`, '/api/wartime', '/api/messages', '/api/stats', '/api/territory', '/api/catalog', '/api/plans', '/api/warnings']

/** Every answer the caller gets from the screens' reads, and which numbers appear in them. */
async function leaked(caller: string): Promise<{ status: Record<string, number>, numbers: string[] }> {
  const status: Record<string, number> = {}
  let text = ''
  for (const url of READ_URLS()) {
    const res = await t.app.inject({ method: 'GET', url, headers: callers[caller] })
    status[url] = res.statusCode
    text += res.body
  }
  return { status, numbers: secrets.filter(n => text.includes(n)) }
}

describe('reads scoped to need', () => {
  it.each(['wall', 'leader', 'share', 'key'])('shows no staff or reporter phone number to a %s', async (caller) => {
    expect((await leaked(caller)).numbers).toEqual([])
  })

  it('gives the duty desk both staff numbers (to dispatch) and the reporter\'s (to call back)', async () => {
    const { numbers } = await leaked('operator')
    expect(numbers).toContain(REPORTER_PHONE)
    expect(numbers.length).toBe(secrets.length)
  })

  it('gives post staff the reporter\'s number for their cases but no staff directory', async () => {
    const ref = await t.app.inject({ url: '/api/reference', headers: callers.post_staff })
    expect(ref.json().org.people.filter((p: { phone?: string }) => p.phone)).toEqual([])
  })

  it('lets an integration key read only the territory and the catalog it reports into', async () => {
    const { status } = await leaked('key')
    expect(status).toEqual({
      '/api/reference': 403,
      '/api/snapshot': 403,
      '/api/changes?since=0&limit=1000': 403,
      [`/api/incidents/${incidentId}`]: 403,
      '/api/wartime': 403,
      '/api/messages': 403,
      '/api/stats': 403,
      '/api/territory': 200,
      '/api/catalog': 200,
      '/api/plans': 403,
      '/api/warnings': 403,
    })
  })

  it('lets a share link read what a leader reads', async () => {
    const share = await leaked('share')
    const leader = await leaked('leader')
    expect(share.status).toEqual(leader.status)
    expect(Object.values(share.status)).toEqual(READ_URLS().map(() => 200))
  })
})

describe('the change log read', () => {
  it('refuses a page over 1,000 changes, naming limit', async () => {
    const res = await t.app.inject({ url: '/api/changes?since=0&limit=5000', headers: callers.operator })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'querystring.limit' })
  })

  it('marks every API answer no-store, and lets a photo keep its own caching', async () => {
    const res = await t.app.inject({ url: '/api/snapshot', headers: callers.operator })
    expect(res.headers['cache-control']).toBe('no-store')
    const health = await t.app.inject({ url: '/api/health' })
    expect(health.headers['cache-control']).toBe('no-store')
  })
})
