import type { RoleKey } from '../../shared/territory/types.ts'
import type { Principal } from './rights.ts'
import { permits } from './rights.ts'

// Where a sign-in sends each person: the place their work happens. One rule for every screen's sign-in.

/** Roles that work a queue at a desk (工作台). */
export const DESK_ROLES: readonly RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff']
/** Roles that work in the street, on a phone. */
export const FIELD_ROLES: readonly RoleKey[] = ['grid_worker', 'force_member']
/** Roles that also work the wall's drawer in the command hall: signing in on the wall keeps them there. */
export const WALL_ACTORS: readonly RoleKey[] = ['admin', 'commander', 'operator']

/** Desk roles who also go out to the scene: signing in on a phone's field view keeps them there. */
export const ON_SCENE: readonly RoleKey[] = ['sector_lead', 'post_staff', 'community_staff']

export type Place = '/' | '/desk' | '/field' | '/m' | '/admin' | '/district'

/**
 * The place for a principal: a desk role lands on the desk, a field role on the field view, a leader on the
 * leaders' view, the wall display (and anyone else) on the wall. A person holding several roles goes where the
 * first matching rule puts them: desk work outranks field work, which outranks reading.
 */
export function landingFor(p: { roles: readonly string[] } | null | undefined): Place {
  const roles = p?.roles ?? []
  if (roles.some(r => (DESK_ROLES as readonly string[]).includes(r)))
    return '/desk'
  if (roles.some(r => (FIELD_ROLES as readonly string[]).includes(r)))
    return '/field'
  if (roles.includes('leader'))
    return '/m'
  return '/'
}

/**
 * Where a sign-in made on `here` goes. The wall stays the wall for the command hall's dispatchers, who act from
 * its drawer (their desk is a header link away); the phone stays the phone for desk staff who also work on scene;
 * everyone else goes to their place.
 */
export function landingFrom(here: Place, p: { roles: readonly string[] } | null | undefined): Place {
  if (here === '/' && p?.roles.some(r => (WALL_ACTORS as readonly string[]).includes(r)))
    return '/'
  // The admin console keeps whoever it has something for (authz.ts decides what; AdminPage says so otherwise).
  if (here === '/admin' && p?.roles.some(r => (WALL_ACTORS as readonly string[]).includes(r)))
    return '/admin'
  // The district's overview keeps whoever may read it (authz.ts: district:read).
  if (here === '/district' && p && permits(p as Principal, 'district:read'))
    return '/district'
  // A post's staff sign in on their phone to handle what is assigned to them on scene.
  if (here === '/field' && p?.roles.some(r => (ON_SCENE as readonly string[]).includes(r)))
    return '/field'
  return landingFor(p)
}

/** Each place's name, for links between them (the wall's header has no desk strings of its own). */
export const PLACE_LABELS: Record<Place, { zh: string, en: string }> = {
  '/': { zh: '指挥大屏', en: 'Wall' },
  '/desk': { zh: '工作台', en: 'Desk' },
  '/field': { zh: '网格通', en: 'Field' },
  '/m': { zh: '领导驾驶舱', en: 'Leaders\' view' },
  '/admin': { zh: '管理后台', en: 'Admin' },
  '/district': { zh: '区级总览', en: 'District' },
}
