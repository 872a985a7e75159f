import type pg from 'pg'
import type { DistrictArea, DistrictIncident, DistrictTenant } from '../../../shared/district/schema.ts'
import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import { assertSchemaName } from './pool.ts'

// What the district reads of each subdistrict's schema in the same database: figures and open work, never personal
// data. Schema-qualified reads, so one pool (the district's own) serves every tenant.

/** A subdistrict's counts and operation; its names and version come with its area (`tenantArea`). */
type Figures = Omit<DistrictTenant, 'url' | 'name' | 'nameEn' | 'version'>

/** Whether the tenant's schema has this table yet (no node has started a tenant that has none). */
async function hasTable(pool: pg.Pool, schema: string, table: string): Promise<boolean> {
  return (await pool.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [`${schema}.${table}`])).rows[0]!.ok
}

export async function tenantFigures(pool: pg.Pool, tenant: string, opts: { dayStart: string, now: string }): Promise<Figures> {
  const s = assertSchemaName(tenant)
  if (!await hasTable(pool, s, 'incidents'))
    return { tenant, started: false, open: 0, overdue: 0, reportedToday: 0, closedToday: 0, operation: null }
  const figures = (await pool.query<{ open: number, overdue: number, reported: number, closed: number }>(`SELECT
      COUNT(*) FILTER (WHERE open = 1)::int AS open,
      COUNT(*) FILTER (WHERE open = 1 AND stage_deadline < $2)::int AS overdue,
      COUNT(*) FILTER (WHERE reported_at >= $1)::int AS reported,
      COUNT(*) FILTER (WHERE finished_at >= $1)::int AS closed
    FROM ${s}.incidents`, [opts.dayStart, opts.now])).rows[0]!
  const ops = (await pool.query<{ data: string }>(`SELECT data FROM ${s}.entities WHERE kind = 'operation' ORDER BY updated_at DESC`)).rows
  const active = ops.map(r => JSON.parse(r.data) as { id: string, active: boolean, reason: string, exercise?: boolean, declaredAt: string }).find(o => o.active)
  return {
    tenant,
    started: true,
    open: figures.open,
    overdue: figures.overdue,
    reportedToday: figures.reported,
    closedToday: figures.closed,
    operation: active ? { id: active.id, reason: active.reason, exercise: active.exercise === true, declaredAt: active.declaredAt } : null,
  }
}

/** A subdistrict's open incidents, overdue first, then the nearest deadline. */
export async function tenantIncidents(pool: pg.Pool, tenant: string, opts: { now: string, limit: number }): Promise<DistrictIncident[]> {
  const s = assertSchemaName(tenant)
  if (!await hasTable(pool, s, 'incidents'))
    return []
  const rows = (await pool.query<{ data: string }>(`SELECT data FROM ${s}.incidents WHERE open = 1 ORDER BY due, reported_at DESC, id LIMIT $1`, [opts.limit])).rows
  return rows.map((r) => {
    const inc = JSON.parse(r.data) as { id: string, title: string, category: string, state: string, severity: number, reportedAt: string, stageDeadline: string | null, owner: { communityId: string | null }, labels?: { community?: string } }
    return {
      id: inc.id,
      title: inc.title,
      category: inc.category,
      state: inc.state,
      severity: inc.severity,
      reportedAt: inc.reportedAt,
      stageDeadline: inc.stageDeadline,
      overdue: inc.stageDeadline !== null && inc.stageDeadline < opts.now,
      communityId: inc.owner.communityId,
      community: inc.labels?.community ?? null,
    }
  })
}

/**
 * A subdistrict's names and communities as its package in force gives them (the tenant's name and version 0 before
 * any package). `cached` is the area read before: while its version
 * is still in force it is answered as is (a package is read whole, geometry and all, only when it changes).
 */
export async function tenantArea(pool: pg.Pool, tenant: string, cached?: DistrictArea): Promise<DistrictArea> {
  const s = assertSchemaName(tenant)
  const none = { tenant, version: 0, name: tenant, nameEn: '', communities: [] }
  if (!await hasTable(pool, s, 'reference_versions'))
    return none
  const newest = (await pool.query<{ version: number }>(`SELECT MAX(version) AS version FROM ${s}.reference_versions`)).rows[0]?.version ?? null
  if (newest === null)
    return none
  if (cached?.version === newest)
    return cached
  const row = (await pool.query<{ data: string }>(`SELECT data FROM ${s}.reference_versions WHERE version = $1`, [newest])).rows[0]!
  const pkg = JSON.parse(row.data) as SubdistrictPackage
  const territory = pkg.reference.territory
  return {
    tenant,
    version: newest,
    name: territory.subdistrict.name,
    nameEn: territory.subdistrict.nameEn ?? '',
    communities: territory.communities.map(c => ({ id: c.id, name: c.name, nameEn: c.nameEn ?? '', polygon: c.polygon })),
  }
}
