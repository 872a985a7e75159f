import type { Catalog } from '../organisation/catalog.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { Incident, IncidentLabels } from './schema.ts'

/**
 * The names an incident carries: those the reference in force gives its category, community, grid, sector, post and
 * assignee, and for anything the reference no longer has, the name the incident already carried.
 */
export function labelsOf(inc: Incident, ref: ReferenceData, catalog: Catalog): IncidentLabels {
  const o = inc.owner
  const was = inc.labels ?? {}
  const found: IncidentLabels = {
    category: catalog.categories.find(c => c.code === inc.category)?.name,
    community: o.communityId ? ref.territory.communities.find(c => c.id === o.communityId)?.name : undefined,
    grid: o.gridId ? ref.territory.grids.find(g => g.id === o.gridId)?.name : undefined,
    sector: o.sectorId ? catalog.sectors.find(s => s.id === o.sectorId)?.name : undefined,
    post: o.postId ? catalog.posts.find(p => p.id === o.postId)?.name : undefined,
    assignee: o.assigneeId ? ref.org.people.find(p => p.id === o.assigneeId)?.name : undefined,
  }
  const held: Record<keyof IncidentLabels, boolean> = { category: true, community: !!o.communityId, grid: !!o.gridId, sector: !!o.sectorId, post: !!o.postId, assignee: !!o.assigneeId }
  const out: IncidentLabels = {}
  for (const key of Object.keys(found) as (keyof IncidentLabels)[]) {
    const name = found[key] ?? (held[key] ? was[key] : undefined)
    if (name !== undefined)
      out[key] = name
  }
  return out
}
