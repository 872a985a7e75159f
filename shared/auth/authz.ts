import type { ActionKind, Ownership } from '../incident/schema.ts'
import type { ReferenceData, RoleKey, SectorKey } from '../territory/types.ts'
import type { KeyGrant, KeyScope } from './scopes.ts'
import { canPerform } from '../incident/lifecycle.ts'
import { grantCovers } from './scopes.ts'

// The one place that decides who may do what, where. Pure: the HTTP routes and the socket handlers reach it
// through the same services. Role-level rules for incident actions come from ACTION_RULES (lifecycle.ts);
// this adds territory scope and the non-incident permissions.

/** Who is calling, with the territory their roles cover (resolved from the reference data at sign-in). */
export interface Principal {
  kind: 'user' | 'device' | 'share' | 'key' | 'system'
  /** The account (user), device, share link or API key id: what the audit trail names. */
  id: string
  personId: string | null
  name: string
  roles: RoleKey[]
  gridIds: string[]
  communityId: string | null
  sectorId: SectorKey | null
  /** The post a post's staff member sits on: what is assigned to the post is in their hands too. */
  postId?: string | null
  /** An API key's scopes and the communities it reads. */
  grant?: KeyGrant
}

/** Non-incident mutations and privileged reads. */
export const PERMISSIONS = {
  'audit:read': ['admin'],
  // The district's overview of the subdistricts it oversees (#19): figures and open work, no personal data.
  'district:read': ['admin', 'commander', 'leader'],
  // Accounts: create, edit roles and territory, disable, reset a password (#15).
  'user:manage': ['admin'],
  'share:create': ['admin', 'commander', 'operator'],
  'share:revoke': ['admin', 'commander', 'operator'],
  'device:enroll': ['admin'],
  'personal:read': ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker'],
  // #7 horse race: everyone's score breakdown, freezing, patrol check-ins, volunteer points, monthly reports.
  'scores:read_all': ['admin', 'commander'],
  'scores:freeze': ['admin'],
  'patrol:checkin': ['grid_worker'],
  'points:award': ['admin', 'commander', 'operator', 'sector_lead', 'community_staff'],
  'points:redeem': ['admin', 'operator', 'community_staff'],
  'points:read': ['admin', 'commander', 'operator', 'sector_lead', 'community_staff', 'leader', 'wall'],
  'reports:read': ['admin'],
  // Photos come from people who report or handle incidents on scene (#6).
  'photo:upload': ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member'],
  // Wartime: only the commander declares and ends it; the duty desk may activate a plan once it is declared.
  'wartime:declare': ['commander'],
  'wartime:end': ['commander'],
  'plan:activate': ['commander', 'operator'],
  'plan:edit': ['admin', 'commander'],
  'message:send': ['commander', 'operator'],
  // Every message with its receipts: the read-only screens show the latest message and who has read it.
  'message:read_all': ['admin', 'commander', 'operator', 'leader', 'wall'],
  'cap:ingest': ['integration', 'admin', 'commander', 'operator', 'system'],
  'drill:start': ['admin', 'commander', 'operator'],
  // #17: past operations and their after-action reports (the desk's list, the downloads).
  'operation:report': ['admin', 'commander', 'operator', 'leader'],
  // #15: the subdistrict's package (territory, organisation, catalog, settings): import, edit, roll back, export.
  'reference:edit': ['admin'],
  'reference:export': ['admin', 'commander'],
  // #15: which basemap every screen draws (an offline package on the server's disk or a tile service).
  'basemap:edit': ['admin'],
  // #16: outcome webhooks: every key's callback, its delivery log, retry and pause.
  'webhook:manage': ['admin'],
  // #16: historical cases from another system, written with their history (the admin console).
  'cases:import': ['admin'],
  // #17 live resources: depots' issue/return, shelters' check-in/out, within the caller's territory (shared/resources/access.ts).
  'resource:move': ['admin', 'commander', 'operator', 'community_staff', 'grid_worker'],
  // #17 the register of vulnerable people (personal data; read with personal:read) and the evacuation check-off.
  'vulnerable:manage': ['admin', 'commander', 'operator', 'community_staff', 'grid_worker'],
  'evacuation:check': ['admin', 'commander', 'operator', 'community_staff', 'grid_worker'],
  // #17: the prescribed information reports to the district (初报、续报、终报): the duty desk drafts and sends them.
  'inforeport:edit': ['commander', 'operator'],
  'inforeport:send': ['commander', 'operator'],
  // #17: sensor readings in (a station's API key with sensors:report, the duty desk, the poller); the duty roster.
  'sensor:report': ['integration', 'admin', 'commander', 'operator', 'system'],
  'duty:edit': ['admin', 'commander', 'operator'],
} as const satisfies Record<string, readonly RoleKey[]>
export type Permission = keyof typeof PERMISSIONS

/** Roles that may never change anything, whatever else they hold. */
export const READ_ONLY_ROLES: readonly RoleKey[] = ['leader', 'wall']

export type Decision = { allow: true, role: RoleKey } | { allow: false, reason: string }

/** Where an incident action lands: the incident's ownership, or for a report the routed ownership. */
export type Target = Pick<Ownership, 'gridId' | 'communityId' | 'sectorId' | 'helperSectorIds' | 'assigneeId'>

/**
 * Where a role acts: everywhere, or on what a sector owns or helps with, a community, some grids, or what is
 * assigned to the person. The desk's queue and every incident action read the same answer.
 */
export interface Reach {
  all: boolean
  sectorIds: string[]
  communityIds: string[]
  gridIds: string[]
  /** Incidents assigned to this person. */
  assigneeIds: string[]
}

const NOWHERE: Reach = { all: false, sectorIds: [], communityIds: [], gridIds: [], assigneeIds: [] }

/** Where one role of `p` acts on incidents (a report may land anywhere for sector staff and N forces). */
export function reachOf(role: RoleKey, p: Principal): Reach {
  const mine = p.personId ? [p.personId] : []
  switch (role) {
    case 'admin': case 'commander': case 'operator': case 'system':
      return { ...NOWHERE, all: true }
    // Everyone who handles work also acts on what is assigned to them by name, wherever it is.
    case 'sector_lead': case 'post_staff':
      return { ...NOWHERE, sectorIds: p.sectorId ? [p.sectorId] : [], assigneeIds: mine }
    case 'community_staff':
      return { ...NOWHERE, communityIds: p.communityId ? [p.communityId] : [], assigneeIds: mine }
    case 'grid_worker':
      return { ...NOWHERE, gridIds: p.gridIds, assigneeIds: mine }
    case 'force_member':
      return { ...NOWHERE, assigneeIds: mine }
    default:
      return NOWHERE
  }
}

/** Whether an incident (or where a report lands) is within a reach. */
export function withinReach(r: Reach, t: Target): boolean {
  return r.all
    || (t.sectorId !== null && r.sectorIds.includes(t.sectorId))
    || t.helperSectorIds.some(s => r.sectorIds.includes(s))
    || (t.communityId !== null && r.communityIds.includes(t.communityId))
    || (t.gridId !== null && r.gridIds.includes(t.gridId))
    || (t.assigneeId !== null && r.assigneeIds.includes(t.assigneeId))
}

function inScope(role: RoleKey, p: Principal, action: ActionKind, t: Target): boolean {
  if (role === 'integration')
    return action === 'report'
  // Sector staff and N forces report what they find anywhere; they act on what their reach covers.
  if (action === 'report' && (role === 'sector_lead' || role === 'post_staff' || role === 'force_member'))
    return true
  return withinReach(reachOf(role, p), t)
}

/**
 * Where a caller's desk looks: the union of their case-working roles' reach, plus whatever is assigned to
 * them by name. Read-only roles (leaders, the wall) look everywhere and act nowhere.
 */
export function deskReach(p: Principal): Reach {
  if (p.roles.some(r => READ_ONLY_ROLES.includes(r)) && !p.roles.some(r => !READ_ONLY_ROLES.includes(r)))
    return { ...NOWHERE, all: true }
  const parts = p.roles.map(r => reachOf(r, p))
  const union = (k: Exclude<keyof Reach, 'all'>) => [...new Set(parts.flatMap(x => x[k]))]
  return {
    all: parts.some(x => x.all),
    sectorIds: union('sectorIds'),
    communityIds: union('communityIds'),
    gridIds: union('gridIds'),
    assigneeIds: [...new Set([...union('assigneeIds'), ...(p.personId && p.kind === 'user' ? [p.personId] : [])])],
  }
}

/** May `p` perform `action` on (or, for a report, at) `target`? Names the role it acts in. */
export function authorizeIncident(p: Principal, action: ActionKind, target: Target): Decision {
  if (p.kind === 'share')
    return { allow: false, reason: 'a share link is read-only' }
  const capable = p.roles.filter(r => !READ_ONLY_ROLES.includes(r) && canPerform(r, action))
  if (capable.length === 0)
    return { allow: false, reason: `roles ${p.roles.join(', ') || '(none)'} may not ${action}` }
  const role = capable.find(r => inScope(r, p, action, target))
  if (!role)
    return { allow: false, reason: `${action} is outside the caller's territory (${describeScope(p)})` }
  return { allow: true, role }
}

export function authorize(p: Principal, permission: Permission): Decision {
  if (p.kind === 'share')
    return { allow: false, reason: 'a share link is read-only' }
  const allowed = PERMISSIONS[permission] as readonly RoleKey[]
  const role = p.roles.find(r => allowed.includes(r))
  return role ? { allow: true, role } : { allow: false, reason: `roles ${p.roles.join(', ') || '(none)'} lack ${permission}` }
}

const EVERY_ROLE: readonly RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall', 'integration', 'system']

/**
 * What each kind of read needs. Reads are not mutations: a share link (a leader's read-only view) reads the
 * live feed like any screen. An integration key submits (12345, Open311, CAP) and reads back only what it needs
 * to report into the right place.
 */
export const READS = {
  /** The live feed and everything a screen shows from it: incidents, the change log, figures, the operation. */
  live: EVERY_ROLE.filter(r => r !== 'integration'),
  /** The territory, the basemap and the catalog of categories. */
  reference: EVERY_ROLE,
  /** Staff mobile numbers: the desks that dispatch people. */
  staffPhones: ['admin', 'commander', 'operator', 'sector_lead', 'community_staff'],
} as const satisfies Record<string, readonly RoleKey[]>
export type Read = keyof typeof READS

export function authorizeRead(p: Principal, read: Read): Decision {
  const allowed = READS[read] as readonly RoleKey[]
  const role = p.roles.find(r => allowed.includes(r))
  return role ? { allow: true, role } : { allow: false, reason: `roles ${p.roles.join(', ') || '(none)'} may not read ${read}` }
}

/** May `p` see an incident and what hangs off it (its photos)? */
export const authorizeIncidentRead = (p: Principal): Decision => authorizeRead(p, 'live')

/**
 * May `p` report on a wartime task (received, acknowledged, on scene, done)? Only its assignee, signed in as a
 * person: never a share link, a wall display or a key. Plans task contact leaders (包联领导到岗指挥) by name, so a
 * leader account acknowledges its own task: that is the one thing a leader may change, and nothing else.
 */
export function authorizeTaskReport(p: Principal, assigneeId: string): Decision {
  if (p.kind !== 'user' || p.personId === null)
    return { allow: false, reason: `a ${p.kind} session does not report on tasks` }
  if (p.personId !== assigneeId)
    return { allow: false, reason: 'only the assignee reports on a task' }
  return { allow: true, role: p.roles[0] ?? 'leader' }
}

/** Whether this caller may see reporters' names and phone numbers. */
export function seesPersonalData(p: Principal): boolean {
  return authorize(p, 'personal:read').allow
}

function describeScope(p: Principal): string {
  const parts = [p.gridIds.length ? `grids ${p.gridIds.slice(0, 3).join(',')}${p.gridIds.length > 3 ? '…' : ''}` : '', p.communityId ? `community ${p.communityId}` : '', p.sectorId ? `sector ${p.sectorId}` : '']
  return parts.filter(Boolean).join('; ') || 'no territory'
}

/** Resolves a person's territory from the reference data: their grids from the rosters, community, sector. */
export function scopeOf(ref: ReferenceData, personId: string | null): Pick<Principal, 'gridIds' | 'communityId' | 'sectorId' | 'postId'> {
  const person = personId ? ref.org.people.find(p => p.id === personId) : undefined
  if (!person)
    return { gridIds: [], communityId: null, sectorId: null, postId: null }
  const gridIds = ref.org.rosters.filter(r => r.workerId === person.id || r.instructorId === person.id).map(r => r.gridId)
  return { gridIds, communityId: person.communityId ?? null, sectorId: person.sectorId ?? null, postId: person.postId ?? null }
}

/** A principal for a known person acting in the given roles (the simulator, internal jobs, tests). */
export function principalFor(ref: ReferenceData, personId: string, roles: RoleKey[], kind: Principal['kind'] = 'system'): Principal {
  const person = ref.org.people.find(p => p.id === personId)
  return { kind, id: personId, personId, name: person?.name ?? personId, roles, ...scopeOf(ref, personId) }
}

/**
 * A person answering a notice without signing in (#17): the signed link in their SMS, or an SMS reply from the
 * number the reference data gives them. It acts as that person and is handed only to the task acknowledgement
 * and the message receipt, which then allow their own task and message alone (authorizeTaskReport).
 */
export function noticePrincipal(ref: ReferenceData, personId: string, via: 'link' | 'sms'): Principal {
  const person = ref.org.people.find(p => p.id === personId)
  return { ...principalFor(ref, personId, person?.roles ?? [], 'user'), id: `${via}:${personId}` }
}

/** The escalation clock and other jobs the system runs on its own. */
export const SYSTEM_PRINCIPAL: Principal = { kind: 'system', id: 'system', personId: 'system', name: '系统', roles: ['system'], gridIds: [], communityId: null, sectorId: null }

/** May this API key act in `scope`? Callers other than keys are decided by their roles, not here. */
export function authorizeKey(p: Principal, scope: KeyScope): Decision {
  if (p.kind !== 'key')
    return { allow: true, role: p.roles[0] ?? 'integration' }
  return p.grant?.scopes.includes(scope) ? { allow: true, role: 'integration' } : { allow: false, reason: `this API key lacks the ${scope} scope` }
}

/** Whether a key's reads cover an incident of this community (its scope is checked per route; others: their reads). */
export function keyCovers(p: Principal, communityId: string | null): boolean {
  return p.kind !== 'key' || (p.grant !== undefined && grantCovers(p.grant, communityId))
}

/**
 * May this caller act on a 12345 order by its number (mark it, answer a request, read it back)? Only an API key with
 * the `hotline:sync` scope, and only on an order it sent itself (the incident's reporter) within the communities
 * it reads (#16).
 */
export function authorizeHotlineKey(p: Principal, inc: { reporterId: string | null, owner: Pick<Ownership, 'communityId'> }): Decision {
  if (p.kind !== 'key')
    return { allow: false, reason: 'orders are addressed by number by the hotline\'s API key only' }
  const scoped = authorizeKey(p, 'hotline:sync')
  if (!scoped.allow)
    return scoped
  if (inc.reporterId !== p.id || !keyCovers(p, inc.owner.communityId))
    return { allow: false, reason: 'this order was not sent with this API key' }
  return { allow: true, role: 'integration' }
}

/**
 * May `p` subscribe this browser to Web Push, or confirm a notice its phone showed (#17)? Only a person's own
 * session: a share link, a wall display or an API key has no person to notify.
 */
export function authorizeOwnNotices(p: Principal): Decision {
  if (p.kind !== 'user' || p.personId === null)
    return { allow: false, reason: `a ${p.kind} session has no notices of its own` }
  return { allow: true, role: p.roles[0] ?? 'leader' }
}
