import type { Catalog, Category } from '../organisation/catalog.ts'
import type { GridIndex } from '../territory/geo.ts'
import type { Grid, Loop, ReferenceData } from '../territory/types.ts'
import type { Actor, Channel, HistoryEntry, Incident, Ownership, ReportBody } from './schema.ts'
import { categoryByCode, stageDeadlineFor } from '../organisation/catalog.ts'
import { LOOPS } from '../territory/types.ts'

// Who owns a new report: the place decides the grid and community, the catalog decides the loop and the post.

export interface RoutingContext {
  now: Date
  catalog: Catalog
  grids: GridIndex
  reference: ReferenceData
  device?: string
  /** The report's grid when the caller has already located it (null: outside every grid); located here if absent. */
  grid?: Grid | null
}

export type CreateResult
  = | { ok: true, incident: Incident, entry: HistoryEntry }
    | { ok: false, code: 'unknown_category', field: 'category', message: string }

function higherLoop(a: Loop, b: Loop): Loop {
  return LOOPS.indexOf(a) >= LOOPS.indexOf(b) ? a : b
}

/**
 * The owner of a category's incident found in `grid` (null = outside every grid, which only the subdistrict can own).
 * Community and grid tasks carry no sector: the owning community or grid is responsible.
 */
export function routeFor(category: Category, grid: Grid | null): Ownership {
  const r = category.responsibility
  const lead = r.type === 'single' ? r : r.type === 'cross' ? r.lead : null
  return {
    loop: higherLoop(category.loop, grid ? 'grid' : 'subdistrict'),
    communityId: grid?.communityId ?? null,
    gridId: grid?.id ?? null,
    sectorId: lead?.sectorId ?? null,
    postId: lead?.postId ?? null,
    helperSectorIds: r.type === 'cross' ? [...new Set(r.helpers.map(h => h.sectorId))] : [],
    assigneeId: null,
  }
}

const CHANNEL_BY_ROLE: Record<string, Channel> = {
  grid_worker: 'grid_worker',
  integration: 'open311',
  system: 'system',
  operator: 'hotline_12345',
}

/** Creates a routed incident in state 'reported'. An unknown category is the only refusal. */
export function createIncident(id: string, body: ReportBody, actor: Actor, ctx: RoutingContext): CreateResult {
  const category = categoryByCode(ctx.catalog, body.category)
  if (!category)
    return { ok: false, code: 'unknown_category', field: 'category', message: `unknown category ${body.category}` }
  const grid = ctx.grid !== undefined ? ctx.grid : ctx.grids.locate(body.location)
  const community = grid ? ctx.reference.territory.communities.find(c => c.id === grid.communityId) : undefined
  const now = ctx.now.toISOString()
  // A report may carry an earlier time (a hotline call logged later); its clock started then, never in the future.
  const reported = body.reportedAt && Date.parse(body.reportedAt) < ctx.now.getTime() ? new Date(body.reportedAt) : ctx.now
  const incident: Incident = {
    id,
    version: 1,
    category: category.code,
    title: body.title ?? category.name,
    description: body.description,
    severity: body.severity ?? category.severity,
    location: { lon: body.location.lon, lat: body.location.lat },
    address: body.address ?? [community?.name, grid?.name].filter(Boolean).join(' '),
    channel: body.channel ?? CHANNEL_BY_ROLE[actor.role] ?? 'resident',
    reporterId: actor.personId,
    state: 'reported',
    owner: routeFor(category, grid),
    reportedAt: reported.toISOString(),
    updatedAt: now,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    stageDeadline: stageDeadlineFor(ctx.catalog, category.code, 'reported', reported),
    escalations: 0,
    reopenCount: 0,
    mergedInto: null,
    satisfied: null,
  }
  if (body.reporterName !== undefined)
    incident.reporterName = body.reporterName
  if (body.reporterPhone !== undefined)
    incident.reporterPhone = body.reporterPhone
  if (body.photos?.length)
    incident.photos = [...new Set(body.photos)]
  if (body.hotline)
    incident.hotline = { ...body.hotline, requests: [], marks: [] }
  if (body.mediaUrl !== undefined)
    incident.mediaUrl = body.mediaUrl
  if (body.attributes && Object.keys(body.attributes).length > 0)
    incident.attributes = body.attributes
  const entry: HistoryEntry = { at: now, action: 'report', actor: { personId: actor.personId, role: actor.role }, from: null, to: 'reported' }
  if (ctx.device !== undefined)
    entry.device = ctx.device
  entry.data = { loop: incident.owner.loop, gridId: incident.owner.gridId, sectorId: incident.owner.sectorId, postId: incident.owner.postId }
  return { ok: true, incident, entry }
}

export interface RoutingRow {
  code: string
  name: string
  loop: Loop
  type: Category['responsibility']['type']
  sectorId: string | null
  postId: string | null
  helpers: { sectorId: string, postId: string }[]
}

/** The routing table: for each category, the loop and post an in-grid report lands on. */
export function describeRouting(catalog: Catalog): RoutingRow[] {
  return catalog.categories.map((c) => {
    const r = c.responsibility
    const lead = r.type === 'single' ? r : r.type === 'cross' ? r.lead : null
    return {
      code: c.code,
      name: c.name,
      loop: c.loop,
      type: r.type,
      sectorId: lead?.sectorId ?? null,
      postId: lead?.postId ?? null,
      helpers: r.type === 'cross' ? r.helpers.map(h => ({ sectorId: h.sectorId, postId: h.postId })) : [],
    }
  })
}
