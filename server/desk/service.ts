import type { Principal } from '../../shared/auth/authz.ts'
import type { QueueAnswer, QueueQuery, SimilarAnswer } from '../../shared/desk/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Store } from '../db/store.ts'
import { deskReach, seesPersonalData } from '../../shared/auth/authz.ts'
import { distanceMeters } from '../../shared/kernel/geo.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'

/** Merge candidates: the same category within this distance, reported this long before it or since. */
export const SIMILAR = { meters: 800, days: 7, max: 8 } as const
const PAGE_SIZE = 20

/** The desk (工作台): a caller's queue and merge candidates, read within the reach authz.ts gives them. */
export function createDeskService(deps: { store: Store, now: () => Date }) {
  async function queue(p: Principal, q: QueueQuery): Promise<Result<QueueAnswer>> {
    if (q.phone && !seesPersonalData(p))
      return fail('forbidden', 'searching by the reporter\'s phone needs personal:read', 'phone')
    const reach = deskReach(p)
    const now = deps.now().toISOString()
    const page = q.page ?? 1
    const pageSize = q.pageSize ?? PAGE_SIZE
    const { tab = 'all', q: text, page: _p, pageSize: _s, ...filters } = q
    const [found, counts] = await Promise.all([
      deps.store.queryIncidents({ ...filters, reach, personId: p.personId, myPostId: p.postId ?? null, tab, now, text: text?.trim() || undefined, offset: (page - 1) * pageSize, limit: pageSize }),
      deps.store.countQueue({ reach, personId: p.personId, myPostId: p.postId ?? null, now }),
    ])
    return succeed({ items: found.items, total: found.total, more: found.more, page, pageSize, counts })
  }

  /** Same category, nearby, recent: what a desk worker would merge this report into (nearest first). */
  async function similar(id: string): Promise<Result<SimilarAnswer>> {
    const inc = await deps.store.getIncidentState(id)
    if (!inc)
      return fail('not_found', `incident ${id} does not exist`, 'id')
    const { lon, lat } = inc.location
    const dLat = SIMILAR.meters / 111_320
    const dLon = dLat / Math.cos(lat * Math.PI / 180)
    const since = new Date(Date.parse(inc.reportedAt) - SIMILAR.days * 86_400_000).toISOString()
    const near = await deps.store.listNearby({ category: inc.category, since, west: lon - dLon, east: lon + dLon, south: lat - dLat, north: lat + dLat, limit: 200 })
    const out = near
      .filter(other => other.id !== inc.id)
      .map(other => ({ incident: other, meters: Math.round(distanceMeters(inc.location, other.location)) }))
      .filter(c => c.meters <= SIMILAR.meters)
      .sort((a, b) => a.meters - b.meters || b.incident.reportedAt.localeCompare(a.incident.reportedAt))
      .slice(0, SIMILAR.max)
    return succeed(out)
  }

  return { queue, similar }
}

export type DeskService = ReturnType<typeof createDeskService>
