import type { Actor, Incident } from '../../../shared/incident/schema.ts'
import type { Grid, GridRoster, Person, ReferenceData, RoleKey } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'

// Who does what in the simulated closed loop: the grid's worker owns small matters, community staff the
// community's, duty operators the subdistrict's; a post's staff handle what is routed to their post.

export interface Staff {
  grids: Grid[]
  gridById: Map<string, Grid>
  rosterByGrid: Map<string, GridRoster>
  people: Map<string, Person>
  communityStaff: Map<string, Person[]>
  postStaff: Map<string, Person[]>
  operators: Person[]
  commanders: Person[]
}

function groupBy(people: Person[], key: (p: Person) => string | undefined): Map<string, Person[]> {
  const out = new Map<string, Person[]>()
  for (const p of people) {
    const k = key(p)
    if (k !== undefined)
      out.set(k, [...(out.get(k) ?? []), p])
  }
  return out
}

export function indexStaff(ref: ReferenceData): Staff {
  const people = ref.org.people
  const withRole = (role: RoleKey) => people.filter(p => p.roles.includes(role))
  const operators = withRole('operator')
  const commanders = withRole('commander')
  return {
    grids: ref.territory.grids,
    gridById: new Map(ref.territory.grids.map(g => [g.id, g])),
    rosterByGrid: new Map(ref.org.rosters.map(r => [r.gridId, r])),
    people: new Map(people.map(p => [p.id, p])),
    communityStaff: groupBy(withRole('community_staff'), p => p.communityId),
    postStaff: groupBy(withRole('post_staff'), p => p.postId),
    // A reference without duty staff still simulates: the system account stands in (it may do every step but few).
    operators: operators.length > 0 ? operators : commanders,
    commanders: commanders.length > 0 ? commanders : operators,
  }
}

/** The person acting in `role` (their first role when they do not hold it). */
export function actorFor(person: Person, role?: RoleKey): Actor {
  return { personId: person.id, role: role && person.roles.includes(role) ? role : person.roles[0] ?? 'system' }
}

const OPERATOR_FALLBACK: Actor = { personId: 'system', role: 'system' }

export function operatorActor(staff: Staff, rng: Rng): Actor {
  return staff.operators.length > 0 ? actorFor(rng.pick(staff.operators), 'operator') : OPERATOR_FALLBACK
}

export function commanderActor(staff: Staff, rng: Rng): Actor {
  const p = staff.commanders[0]
  if (!p)
    return operatorActor(staff, rng)
  return actorFor(p, p.roles.includes('commander') ? 'commander' : 'operator')
}

export function gridWorker(staff: Staff, gridId: string | null): Person | undefined {
  const id = gridId ? staff.rosterByGrid.get(gridId)?.workerId : undefined
  return id ? staff.people.get(id) : undefined
}

function communityPerson(staff: Staff, communityId: string | null, rng: Rng): Person | undefined {
  const list = communityId ? staff.communityStaff.get(communityId) : undefined
  return list && list.length > 0 ? rng.pick(list) : undefined
}

/** Community staff may reject (a grid worker may not): the community desk for grid and community loops. */
export function communityActor(staff: Staff, incident: Incident, rng: Rng): Actor {
  const p = communityPerson(staff, incident.owner.communityId, rng)
  return p ? actorFor(p, 'community_staff') : operatorActor(staff, rng)
}

/** Who accepts, assigns and verifies at the incident's current loop. */
export function ownerActor(staff: Staff, incident: Incident, rng: Rng): Actor {
  if (incident.owner.loop === 'grid') {
    const w = gridWorker(staff, incident.owner.gridId)
    if (w)
      return actorFor(w, 'grid_worker')
  }
  if (incident.owner.loop !== 'subdistrict')
    return communityActor(staff, incident, rng)
  return operatorActor(staff, rng)
}

/** The resident's feedback is recorded by whoever visits them: the grid worker, else the owning desk. */
export function feedbackActor(staff: Staff, incident: Incident, rng: Rng): Actor {
  if (incident.owner.loop !== 'subdistrict') {
    const w = gridWorker(staff, incident.owner.gridId)
    if (w)
      return actorFor(w, 'grid_worker')
  }
  return ownerActor(staff, incident, rng)
}

export function postPerson(staff: Staff, postId: string, rng: Rng): Person | undefined {
  const list = staff.postStaff.get(postId)
  return list && list.length > 0 ? rng.pick(list) : undefined
}

/** Who an owner assigns the job to: a post's staff when the catalog names a post, else people of the place. */
export function assignmentFor(staff: Staff, incident: Incident, rng: Rng): { postId?: string, assigneeId: string } | null {
  const { postId, gridId, loop } = incident.owner
  if (postId) {
    const p = postPerson(staff, postId, rng)
    return p ? { postId, assigneeId: p.id } : null
  }
  const worker = gridWorker(staff, gridId)
  if (loop === 'grid' && worker)
    return { assigneeId: worker.id }
  // Community tasks go to the grid worker or a community colleague; the subdistrict hands them back supervised.
  const p = worker && rng.chance(0.6) ? worker : communityPerson(staff, incident.owner.communityId, rng) ?? worker
  return p ? { assigneeId: p.id } : null
}

const HANDLER_ROLES: RoleKey[] = ['post_staff', 'grid_worker', 'community_staff', 'force_member', 'sector_lead', 'operator']

/** The assignee acting as handler, in the role that lets them start and resolve. */
export function handlerActor(staff: Staff, incident: Incident, rng: Rng): Actor {
  const p = incident.owner.assigneeId ? staff.people.get(incident.owner.assigneeId) : undefined
  const role = p ? HANDLER_ROLES.find(r => p.roles.includes(r)) : undefined
  return p && role ? actorFor(p, role) : ownerActor(staff, incident, rng)
}

/** The device a role records steps from, so history reads like the real thing. */
export function deviceOf(actor: Actor): string {
  if (actor.role === 'grid_worker' || actor.role === 'force_member')
    return 'onescreen-field/android'
  if (actor.role === 'system')
    return 'system'
  if (actor.role === 'integration')
    return 'open311'
  return 'onescreen-console'
}
