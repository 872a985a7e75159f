import type { Incident } from '../incident/schema.ts'
import type { Catalog } from '../organisation/catalog.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { RoutedNotice } from './schema.ts'
import { categoryByCode } from '../organisation/catalog.ts'

// Who is told when an incident lands in someone's hands, and why. Pure: the server pushes `incident:routed` to
// each person's room after the commit; phones and desks ring.

export interface Routed { why: RoutedNotice['why'], personIds: string[] }

/** The desk of the loop that owns an incident now: its grid's worker, its community's staff, or nobody by name. */
function loopDesk(ref: ReferenceData, inc: Incident): string[] {
  const o = inc.owner
  if (o.loop === 'grid')
    return ref.org.rosters.filter(r => r.gridId === o.gridId).map(r => r.workerId)
  if (o.loop === 'community')
    return ref.org.people.filter(p => p.communityId === o.communityId && p.roles.includes('community_staff')).map(p => p.id)
  // The subdistrict's command center works from its desk: everyone in the room sees it in 待受理.
  return []
}

/** Whoever handles it now: the person it is assigned to, else its post's staff, else its sector's lead. */
function handlers(ref: ReferenceData, inc: Incident): string[] {
  const o = inc.owner
  if (o.assigneeId)
    return [o.assigneeId]
  const post = o.postId ? ref.org.people.filter(p => p.postId === o.postId).map(p => p.id) : []
  if (post.length)
    return post
  return ref.org.people.filter(p => p.sectorId === o.sectorId && p.roles.includes('sector_lead')).map(p => p.id)
}

/**
 * A joint (cross-sector) case's helpers are told when it is assigned too: the staff of the helper posts the
 * category names, else the helper sectors' leads.
 */
function helpers(ref: ReferenceData, inc: Incident, catalog?: Catalog): string[] {
  const category = catalog ? categoryByCode(catalog, inc.category) : undefined
  const posts = category?.responsibility.type === 'cross'
    ? category.responsibility.helpers.filter(h => inc.owner.helperSectorIds.includes(h.sectorId)).map(h => h.postId)
    : []
  const staff = ref.org.people.filter(p => p.postId && posts.includes(p.postId)).map(p => p.id)
  return staff.length
    ? staff
    : ref.org.people.filter(p => p.sectorId && inc.owner.helperSectorIds.includes(p.sectorId) && p.roles.includes('sector_lead')).map(p => p.id)
}

/** Who to tell after `action` produced `inc` (done by `actorId`); null when nobody new holds it. */
export function routedBy(ref: ReferenceData, action: string, inc: Incident, actorId: string | null, catalog?: Catalog): Routed | null {
  let why: Routed['why']
  let people: string[]
  switch (action) {
    case 'report':
      why = 'reported'
      people = inc.state === 'reported' ? loopDesk(ref, inc) : []
      break
    case 'assign': case 'transfer':
      why = 'assigned'
      people = [...handlers(ref, inc), ...(inc.owner.helperSectorIds.length ? helpers(ref, inc, catalog) : [])]
      break
    case 'return':
      why = 'returned'
      people = inc.state === 'accepted' ? loopDesk(ref, inc) : handlers(ref, inc)
      break
    case 'escalate':
      why = 'escalated'
      people = loopDesk(ref, inc)
      break
    case 'reopen': case 'feedback':
      if (inc.state !== 'assigned')
        return null
      why = 'reopened'
      people = handlers(ref, inc)
      break
    default:
      return null
  }
  const personIds = [...new Set(people)].filter(id => id !== actorId).sort()
  return personIds.length ? { why, personIds } : null
}
