import type { Decision, Permission, Principal, Reach } from '../auth/authz.ts'
import { authorize, PERMISSIONS, reachOf, withinReach } from '../auth/authz.ts'

// Where a caller may record a move, keep the register or check someone off: the duty desk everywhere, a community's
// staff within its community, a grid worker within their grids (a depot or shelter belongs to the grid its location
// falls in). Reading the register is `personal:read` within the same territory.

/** A place on the territory: the grid (and its community) a depot, shelter or registered person belongs to. */
export interface Place { gridId: string | null, communityId: string | null }

const target = (p: Place) => ({ gridId: p.gridId, communityId: p.communityId, sectorId: null, helperSectorIds: [], assigneeId: null })

/** The roles of `p` that hold `permission`, each with the territory it acts on. */
function reaches(p: Principal, permission: Permission): { role: Principal['roles'][number], reach: Reach }[] {
  const allowed = PERMISSIONS[permission] as readonly string[]
  return p.roles.filter(r => allowed.includes(r)).map(role => ({ role, reach: reachOf(role, p) }))
}

/** May `p` use `permission` at this place? */
export function authorizeAt(p: Principal, permission: Permission, place: Place): Decision {
  const d = authorize(p, permission)
  if (!d.allow)
    return d
  const hit = reaches(p, permission).find(r => withinReach(r.reach, target(place)))
  return hit ? { allow: true, role: hit.role } : { allow: false, reason: `${permission} is outside the caller's territory` }
}

/** Which places `p` may use `permission` on: a filter for lists (the register within one's territory). */
export function placeFilter(p: Principal, permission: Permission): (place: Place) => boolean {
  if (!authorize(p, permission).allow)
    return () => false
  const rs = reaches(p, permission)
  return place => rs.some(r => withinReach(r.reach, target(place)))
}
