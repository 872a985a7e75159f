import type pg from 'pg'
import type { DistrictArea, DistrictAreas, DistrictIncidents, DistrictOverview } from '../../shared/district/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Config } from '../config.ts'
import type { Store } from '../db/store.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { dayStart } from '../../shared/kernel/time.ts'
import { tenantArea, tenantFigures, tenantIncidents } from '../db/postgres/district.ts'
import { poolOf } from '../db/postgres/store.ts'

// The district over its subdistricts (#19): each tenant's figures read from its schema in the same PostgreSQL, and
// one tenant's open work when the district drills in. Only the tenants the settings name; only what the
// `district:read` roles may see (figures, titles and states: no reporter, phone or address).

export function createDistrictService(deps: { store: Store, audit: Audit, config: Pick<Config, 'district'>, now: () => Date }) {
  const pool = poolOf(deps.store)
  const tenants = deps.config.district
  const areas = new Map<string, DistrictArea>()
  /** A subdistrict's communities, read again only when it applies another package. */
  async function areaOf(pool: pg.Pool, tenant: string): Promise<DistrictArea> {
    const a = await tenantArea(pool, tenant, areas.get(tenant))
    areas.set(tenant, a)
    return a
  }
  /** The district's database for a caller who may read it (about `tenant`, when one is named); else the refusal. */
  async function reader(call: Call, tenant?: string): Promise<Result<pg.Pool>> {
    const g = await deps.audit.guard(call, 'district:read', tenant)
    if (!g.ok)
      return g
    if (!pool || tenants.length === 0)
      return fail('not_found', pool ? 'this install oversees no subdistricts (set ONESCREEN_DISTRICT)' : 'a district overview needs PostgreSQL (ONESCREEN_DATABASE_URL) and ONESCREEN_DISTRICT')
    return succeed(pool)
  }

  return {
    async overview(call: Call): Promise<Result<DistrictOverview>> {
      const r = await reader(call)
      if (!r.ok)
        return r
      const pool = r.data
      const now = deps.now()
      const opts = { dayStart: new Date(dayStart(now)).toISOString(), now: now.toISOString() }
      // Names and version come with the area (its package is read once a version, not every 15 s).
      const figures = await Promise.all(tenants.map(async (t) => {
        const [counts, area] = await Promise.all([tenantFigures(pool, t.tenant, opts), areaOf(pool, t.tenant)])
        return { ...counts, name: area.name, nameEn: area.nameEn, version: area.version, url: t.url }
      }))
      return succeed({ at: opts.now, tenants: figures })
    },
    /** Where each subdistrict lies (its communities), for the district's map. */
    async areas(call: Call): Promise<Result<DistrictAreas>> {
      const r = await reader(call)
      if (!r.ok)
        return r
      const pool = r.data
      return succeed({ tenants: await Promise.all(tenants.map(t => areaOf(pool, t.tenant))) })
    },
    async incidents(call: Call, tenant: string): Promise<Result<DistrictIncidents>> {
      const r = await reader(call, tenant)
      if (!r.ok)
        return r
      if (!tenants.some(t => t.tenant === tenant))
        return fail('not_found', `this district does not oversee ${tenant}`, 'tenant')
      const incidents = await tenantIncidents(r.data, tenant, { now: deps.now().toISOString(), limit: 100 })
      // An incident stored without its community's name (the demo's history, older versions) takes the package's.
      const area = await areaOf(r.data, tenant)
      const communities = new Map(area.communities.map(c => [c.id, c.name]))
      return succeed({ tenant, name: area.name, nameEn: area.nameEn, incidents: incidents.map(i => ({ ...i, community: i.community ?? (i.communityId && communities.get(i.communityId)) ?? null })) })
    },
  }
}

export type DistrictService = ReturnType<typeof createDistrictService>
