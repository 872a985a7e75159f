import type { ReferenceData } from '../territory/types.ts'
import type { Incident } from './schema.ts'

// Who an incident can be handed to, for the assign and transfer forms. The routed owner comes first and is the
// default, so confirming what routing chose is one click.

export interface AssigneeOption {
  /** A post (postId set, personId null) or a person (personId set). */
  postId: string | null
  personId: string | null
  sectorId: string | null
  name: string
  /** Why they are offered: the routed post, its staff, a helper sector's post, the grid's people, an N force. */
  why: 'routed' | 'post_staff' | 'helper' | 'grid' | 'community' | 'force'
}

export function assigneeOptions(ref: ReferenceData, inc: Pick<Incident, 'owner'>): AssigneeOption[] {
  const out: AssigneeOption[] = []
  const seen = new Set<string>()
  const add = (o: AssigneeOption) => {
    const key = o.personId ?? `post:${o.postId}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(o)
    }
  }
  const posts = ref.org.posts ?? []
  const people = ref.org.people
  const { owner } = inc
  const routed = owner.postId ? posts.find(p => p.id === owner.postId) : undefined
  if (routed)
    add({ postId: routed.id, personId: null, sectorId: routed.sectorId, name: routed.name, why: 'routed' })
  for (const p of people.filter(p => owner.postId && p.postId === owner.postId))
    add({ postId: p.postId!, personId: p.id, sectorId: p.sectorId ?? null, name: `${p.name}（${p.title}）`, why: 'post_staff' })
  // The sector's other posts and their people, then the helper sectors' (a joint case), each post before its staff.
  const postAndStaff = (post: (typeof posts)[number], why: AssigneeOption['why']) => {
    add({ postId: post.id, personId: null, sectorId: post.sectorId, name: post.name, why })
    for (const p of people.filter(p => p.postId === post.id))
      add({ postId: post.id, personId: p.id, sectorId: post.sectorId, name: `${p.name}（${post.name}）`, why })
  }
  posts.filter(p => p.sectorId === owner.sectorId && p.id !== owner.postId).forEach(p => postAndStaff(p, 'post_staff'))
  posts.filter(p => owner.helperSectorIds.includes(p.sectorId)).forEach(p => postAndStaff(p, 'helper'))
  const roster = owner.gridId ? ref.org.rosters.find(r => r.gridId === owner.gridId) : undefined
  const person = (id: string) => people.find(p => p.id === id)
  if (roster) {
    for (const id of [roster.workerId, roster.instructorId]) {
      const p = person(id)
      if (p)
        add({ postId: null, personId: p.id, sectorId: null, name: `${p.name}（${p.title}）`, why: 'grid' })
    }
  }
  for (const p of people.filter(p => owner.communityId && p.communityId === owner.communityId && p.roles.includes('community_staff')))
    add({ postId: null, personId: p.id, sectorId: null, name: `${p.name}（${p.title}）`, why: 'community' })
  for (const l of roster?.liaisons ?? []) {
    const p = person(l.personId)
    if (p)
      add({ postId: null, personId: p.id, sectorId: null, name: `${p.name}（${p.title}）`, why: 'force' })
  }
  return out
}
