import type { ReferenceData } from '../territory/types.ts'
import type { Plan } from '../wartime/schema.ts'
import type { Audience, Message, MessageBody } from './schema.ts'
import { matchPlan } from '../wartime/plans.ts'

// Who a message reaches, computed the same way on the server (which fixes the recipient list) and on the sender's
// screen (which shows the count before sending, and the receipts per part after).

type Selection = Pick<MessageBody, 'all' | 'communityIds' | 'gridIds' | 'forceKinds' | 'planIds'>

/** Who "all responders" and a selection reach: people in the street, not the command desk. */
export function recipientsOf(ref: ReferenceData, body: Selection, plans: readonly Plan[] = []): string[] {
  const out = new Set<string>()
  const rosters = ref.org.rosters
  const addRoster = (r: (typeof rosters)[number]) => {
    out.add(r.workerId)
    out.add(r.instructorId)
    out.add(r.contactLeaderId)
    r.liaisons.forEach(l => out.add(l.personId))
  }
  if (body.all) {
    rosters.forEach(addRoster)
    ref.org.people.filter(p => p.roles.includes('force_member') || p.roles.includes('community_staff')).forEach(p => out.add(p.id))
  }
  const communities = new Set(body.communityIds ?? [])
  const grids = new Set(body.gridIds ?? [])
  const gridCommunity = new Map(ref.territory.grids.map(g => [g.id, g.communityId]))
  for (const r of rosters) {
    if (grids.has(r.gridId) || communities.has(gridCommunity.get(r.gridId) ?? ''))
      addRoster(r)
  }
  ref.org.people.filter(p => p.communityId && communities.has(p.communityId) && p.roles.includes('community_staff')).forEach(p => out.add(p.id))
  const kinds = new Set(body.forceKinds ?? [])
  ref.org.people.filter(p => p.forceKind && kinds.has(p.forceKind)).forEach(p => out.add(p.id))
  const planIds = new Set(body.planIds ?? [])
  for (const plan of plans) {
    if (planIds.has(plan.id))
      matchPlan(plan, ref).forEach(a => out.add(a.personId))
  }
  return [...out].sort()
}

/** The first field of a selection naming something this subdistrict does not have, with the unknown id. */
export function unknownInSelection(ref: ReferenceData, body: Selection, plans: readonly Plan[]): { field: keyof Selection, id: string } | null {
  const known: [keyof Selection, string[] | undefined, Set<string>][] = [
    ['communityIds', body.communityIds, new Set(ref.territory.communities.map(c => c.id))],
    ['gridIds', body.gridIds, new Set(ref.territory.grids.map(g => g.id))],
    ['forceKinds', body.forceKinds, new Set(ref.org.people.flatMap(p => p.forceKind ? [p.forceKind] : []))],
    ['planIds', body.planIds, new Set(plans.map(p => p.id))],
  ]
  for (const [field, ids, have] of known) {
    const id = (ids ?? []).find(x => !have.has(x))
    if (id !== undefined)
      return { field, id }
  }
  return null
}

export type PartKind = 'all' | 'community' | 'grid' | 'force' | 'plan'
/** One part of an audience with the people it reaches (a person may be in several parts). */
export interface AudiencePart { kind: PartKind, id: string, personIds: string[] }

/** Splits an audience into its parts, each resolved on its own, for receipts per community, grid, force kind, plan. */
export function audienceParts(ref: ReferenceData, audience: Audience, plans: readonly Plan[] = []): AudiencePart[] {
  const parts: AudiencePart[] = []
  if (audience.all)
    parts.push({ kind: 'all', id: 'all', personIds: recipientsOf(ref, { all: true }) })
  for (const id of audience.communityIds)
    parts.push({ kind: 'community', id, personIds: recipientsOf(ref, { communityIds: [id] }) })
  for (const id of audience.gridIds)
    parts.push({ kind: 'grid', id, personIds: recipientsOf(ref, { gridIds: [id] }) })
  for (const id of audience.forceKinds)
    parts.push({ kind: 'force', id, personIds: recipientsOf(ref, { forceKinds: [id] }) })
  for (const id of audience.planIds ?? [])
    parts.push({ kind: 'plan', id, personIds: recipientsOf(ref, { planIds: [id] }, plans) })
  return parts
}

export interface Tally { total: number, delivered: number, read: number }

/** Delivered and read counts over the message's recipients (all of them, or those in `only`). */
export function tally(message: Message, only?: readonly string[]): Tally {
  const keep = only ? new Set(only) : null
  const t: Tally = { total: 0, delivered: 0, read: 0 }
  for (const r of message.recipients) {
    if (keep && !keep.has(r.personId))
      continue
    t.total++
    if (r.deliveredAt || r.readAt)
      t.delivered++
    if (r.readAt)
      t.read++
  }
  return t
}

/**
 * Recipients who have not read the message yet: first those whose phone has it (someone to call now), then those
 * it has not reached; recipient order within each.
 */
export function unreadBy(message: Message): string[] {
  const unread = message.recipients.filter(r => !r.readAt)
  return [...unread.filter(r => r.deliveredAt), ...unread.filter(r => !r.deliveredAt)].map(r => r.personId)
}
