import type { DistrictAreas, DistrictIncidents, DistrictOverview } from '../../../shared/district/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgStore } from '../../../server/db/postgres/store.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { dropSchemas, newSchemaName, pgUrl } from '../../helpers/pg.ts'

// A district over two subdistricts in one PostgreSQL: its overview counts each one's work from that subdistrict's own
// schema, shows an active operation, drills into one subdistrict's open incidents, and only for the roles that read
// it.

describe('the district overview', () => {
  const [east, west, district] = [newSchemaName('east'), newSchemaName('west'), newSchemaName('district')]
  const apps: TestApp[] = []
  let d: TestApp
  let reported: string[] = []

  beforeAll(async () => {
    const [a, b] = [await buildTestApp({ store: createPgStore({ url: pgUrl(), schema: east, max: 2 }) }), await buildTestApp({ store: createPgStore({ url: pgUrl(), schema: west, max: 2 }) })]
    apps.push(a, b)
    d = await buildTestApp({ store: createPgStore({ url: pgUrl(), schema: district, max: 2 }), config: { district: [{ tenant: east, url: 'http://east.example' }, { tenant: west, url: null }, { tenant: 'not_started', url: null }] } })
    apps.push(d)
    for (let i = 0; i < 3; i++) {
      const res = await a.app.inject({ method: 'POST', url: '/api/incidents', headers: await a.as('operator'), payload: fixtures(a.ctx).report({ description: `东片第${i}件` }) })
      expect(res.statusCode).toBe(201)
      reported.push(res.json().id)
    }
    const one = await b.app.inject({ method: 'POST', url: '/api/incidents', headers: await b.as('operator'), payload: fixtures(b.ctx).report({ description: '西片一件' }) })
    expect(one.statusCode).toBe(201)
    const declared = await b.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await b.as('commander'), payload: { reason: '暴雨红色预警', exercise: true } })
    expect(declared.statusCode, declared.body).toBe(201)
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await dropSchemas(east, west, district)
    reported = []
  })

  it('counts each subdistrict\'s work from its own schema and shows an active operation', async () => {
    const res = await d.app.inject({ method: 'GET', url: '/api/district', headers: await d.as('commander') })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json() as DistrictOverview
    const rows = body.tenants.map(t => [t.tenant, t.started, t.url, t.open, t.reportedToday, t.operation?.reason ?? null, t.operation?.exercise ?? null])
    expect(rows).toEqual([
      [east, true, 'http://east.example', 3, 3, null, null],
      [west, true, null, 1, 1, '暴雨红色预警', true],
      ['not_started', false, null, 0, 0, null, null],
    ])
    // Names from each package in force, the English one too ('' before any package).
    expect(body.tenants.map(t => [t.name, t.nameEn])).toEqual([
      ['寸滩街道', 'Cuntan (demo geometry)'],
      ['寸滩街道', 'Cuntan (demo geometry)'],
      ['not_started', ''],
    ])
    expect(body.tenants.map(t => t.version)).toEqual([apps[0]!.ctx.live.version, apps[1]!.ctx.live.version, 0])
  })

  it('gives the map each subdistrict\'s communities from its package in force, again when a new one is applied', async () => {
    const read = async () => {
      const res = await d.app.inject({ method: 'GET', url: '/api/district/areas', headers: await d.as('commander') })
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as DistrictAreas
    }
    const first = await read()
    const communities = apps[0]!.ctx.reference.territory.communities
    expect(first.tenants.map(t => [t.tenant, t.version, t.communities.length])).toEqual([
      [east, apps[0]!.ctx.live.version, communities.length],
      [west, apps[1]!.ctx.live.version, apps[1]!.ctx.reference.territory.communities.length],
      ['not_started', 0, 0],
    ])
    expect(first.tenants[0]!.communities[0]).toEqual({ id: communities[0]!.id, name: communities[0]!.name, nameEn: communities[0]!.nameEn, polygon: communities[0]!.polygon })
    expect(communities[0]!.nameEn).toMatch(/^[A-Z]/)
    // East renames a community (one no report here is in): the district's map follows its new version.
    const pkg = structuredClone(apps[0]!.ctx.live.pkg)
    const last = communities.length - 1
    pkg.reference.territory.communities[last]!.name = '新名社区'
    await apps[0]!.ctx.setup.seed(pkg, 'test: a community renamed')
    const second = await read()
    expect([second.tenants[0]!.version, second.tenants[0]!.communities[last]!.name]).toEqual([first.tenants[0]!.version + 1, '新名社区'])
    expect((await d.app.inject({ method: 'GET', url: '/api/district/areas', headers: await d.as('grid_worker') })).statusCode).toBe(403)
  })

  it('drills into one subdistrict\'s open incidents, without personal data', async () => {
    const res = await d.app.inject({ method: 'GET', url: `/api/district/${east}/incidents`, headers: await d.as('leader') })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json() as DistrictIncidents
    expect([body.name, body.nameEn]).toEqual(['寸滩街道', 'Cuntan (demo geometry)'])
    expect(body.incidents.map(i => i.id).sort()).toEqual([...reported].sort())
    expect(Object.keys(body.incidents[0]!).sort()).toEqual(['category', 'community', 'communityId', 'id', 'overdue', 'reportedAt', 'severity', 'stageDeadline', 'state', 'title'])
    // The community by name, as the subdistrict labelled the incident.
    const communities = new Map(apps[0]!.ctx.reference.territory.communities.map(c => [c.id, c.name]))
    expect(body.incidents.map(i => i.community)).toEqual(body.incidents.map(i => communities.get(i.communityId!)))
    expect(body.incidents[0]!.community).toMatch(/社区$/)
    const other = await d.app.inject({ method: 'GET', url: '/api/district/someone_else/incidents', headers: await d.as('leader') })
    expect([other.statusCode, other.json().field]).toEqual([404, 'tenant'])
  })

  it('names the community from the subdistrict\'s package when an incident was stored without its name', async () => {
    const c = new pg.Client({ connectionString: pgUrl() })
    await c.connect()
    await c.query(`UPDATE ${east}.incidents SET data = (data::jsonb - 'labels')::text WHERE id = $1`, [reported[0]]).finally(() => c.end())
    const res = await d.app.inject({ method: 'GET', url: `/api/district/${east}/incidents`, headers: await d.as('leader') })
    const one = (res.json() as DistrictIncidents).incidents.find(i => i.id === reported[0])!
    const names = new Map(apps[0]!.ctx.reference.territory.communities.map(x => [x.id, x.name]))
    expect([one.community, one.communityId && names.get(one.communityId)]).toEqual([expect.stringMatching(/社区$/), one.community])
  })

  it('is refused to the roles that do not read it, and where no district is set', async () => {
    expect((await d.app.inject({ method: 'GET', url: '/api/district', headers: await d.as('grid_worker') })).statusCode).toBe(403)
    expect((await d.app.inject({ method: 'GET', url: '/api/district' })).statusCode).toBe(401)
    const plain = await apps[0]!.app.inject({ method: 'GET', url: '/api/district', headers: await apps[0]!.as('commander') })
    expect([plain.statusCode, plain.json().message]).toEqual([404, expect.stringContaining('ONESCREEN_DISTRICT')])
  })
})
