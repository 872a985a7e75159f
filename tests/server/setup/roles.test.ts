import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ROLES } from '../../../server/auth/accounts.ts'
import { DEFAULT_SCORING_CONFIG } from '../../../shared/scoring/config.ts'
import { buildTestApp } from '../../helpers/app.ts'

// Who may touch the subdistrict's package: every setup action over HTTP, for every role and signed out.

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

const file = { files: [{ name: 'grids.geojson', data: Buffer.from('{"type":"FeatureCollection","features":[]}').toString('base64') }] }
const settings = { name: '寸滩街道', nameEn: 'Cuntan', code: '500105005000', wallTitle: '寸滩街道基层治理指挥中心', wallTitleEn: '', capAreaCodes: ['500105'], capAreaNames: ['江北区'], headline: ['petition'] }

/** Each action, and what admin and commander get (everyone else: 403; signed out: 401). */
const ACTIONS: { name: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, admin: number, commander: number }[] = [
  { name: 'dry run', method: 'POST', url: '/api/setup/check', body: file, admin: 200, commander: 403 },
  { name: 'apply', method: 'POST', url: '/api/setup/apply', body: file, admin: 400, commander: 403 },
  { name: 'rollback', method: 'POST', url: '/api/setup/rollback', body: { version: 99 }, admin: 404, commander: 403 },
  { name: 'settings', method: 'PUT', url: '/api/setup/settings', body: settings, admin: 201, commander: 403 },
  { name: 'scoring', method: 'PUT', url: '/api/setup/scoring', body: { scoring: { ...DEFAULT_SCORING_CONFIG, version: 'x1' } }, admin: 201, commander: 403 },
  { name: 'versions', method: 'GET', url: '/api/setup/versions', admin: 200, commander: 200 },
  { name: 'export', method: 'GET', url: '/api/setup/export', admin: 200, commander: 200 },
  { name: 'export file', method: 'GET', url: '/api/setup/export/grids.geojson', admin: 200, commander: 200 },
  { name: 'scoring rules', method: 'GET', url: '/api/setup/scoring', admin: 200, commander: 200 },
  { name: 'plan dry run', method: 'POST', url: '/api/plans/dry-run', admin: 200, commander: 200 },
]

async function planBody() {
  const { version: _v, updatedAt: _u, ...plan } = (await t.app.inject({ method: 'GET', url: '/api/plans', headers: await t.as('admin') })).json()[0]
  return plan
}

describe('setup actions by role', () => {
  for (const a of ACTIONS) {
    it(`${a.name}: admin ${a.admin}, commander ${a.commander}, everyone else 403, signed out 401`, async () => {
      const body = a.name === 'plan dry run' ? await planBody() : a.body
      const got: Record<string, number> = {}
      for (const role of [...DEMO_ROLES].reverse()) {
        const res = await t.app.inject({ method: a.method, url: a.url, headers: await t.as(role), ...(body === undefined ? {} : { payload: body as object }) })
        got[role] = res.statusCode
      }
      const signedOut = await t.app.inject({ method: a.method, url: a.url, ...(body === undefined ? {} : { payload: body as object }) })
      got.signedOut = signedOut.statusCode
      const want = Object.fromEntries([...DEMO_ROLES.map(r => [r, r === 'admin' ? a.admin : r === 'commander' ? a.commander : 403]), ['signedOut', 401]])
      expect(got).toEqual(want)
    })
  }

  it('refuses bad settings naming the field, and a headline that is not a category', async () => {
    const admin = await t.as('admin')
    const bad = await t.app.inject({ method: 'PUT', url: '/api/setup/settings', headers: admin, payload: { ...settings, code: '12ab' } })
    expect({ status: bad.statusCode, field: bad.json().field }).toEqual({ status: 400, field: 'code' })
    const unknown = await t.app.inject({ method: 'PUT', url: '/api/setup/settings', headers: admin, payload: { ...settings, headline: ['no_such_category'] } })
    expect({ status: unknown.statusCode, field: unknown.json().field }).toEqual({ status: 400, field: 'headline' })
    const scoring = await t.app.inject({ method: 'PUT', url: '/api/setup/scoring', headers: admin, payload: { scoring: { ...DEFAULT_SCORING_CONFIG, weights: { completeness: 0, activity: 0, completion: 0 } } } })
    expect({ status: scoring.statusCode, field: scoring.json().field }).toEqual({ status: 400, field: 'scoring' })
  })
})
