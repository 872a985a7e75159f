import type { Plan } from '../../shared/wartime/schema.ts'

// The drill's copy of a plan: deadlines compressed by the drill's speed, never proposed by a real warning,
// and narrowed (per template, to some communities) so it reaches exactly the number of responders asked for.

/** One row of GET /api/plans/:id/responders (the dry run). */
export interface Reach { templateId: string, personId: string, gridIds: string[], riskPointIds: string[] }

export const drillPlanId = (id: string) => `${id}-drill`.slice(0, 40)

/**
 * The drill copy of `plan`: every template's minutes ÷ `speed`; `communities` narrows templates (absent: dropped);
 * `people` (a chosen group) keeps only these responders, per template by `personIds` (a template left with
 * nobody is dropped, see `groupPeople`).
 */
export function drillPlan(plan: Plan, speed: number, communities?: Map<string, string[]>, people?: Map<string, string[]>): Omit<Plan, 'version' | 'updatedAt'> {
  const templates = plan.templates
    .filter(t => (!communities || communities.has(t.id)) && (!people || people.has(t.id)))
    .map(t => ({
      ...t,
      communityIds: communities?.get(t.id) ?? t.communityIds,
      ...(people ? { personIds: people.get(t.id) } : {}),
      ackMinutes: t.ackMinutes / speed,
      arriveMinutes: t.arriveMinutes / speed,
    }))
  const { version: _v, updatedAt: _u, ...rest } = plan
  return {
    ...rest,
    id: drillPlanId(plan.id),
    name: `【演练】${plan.name}`.slice(0, 80),
    // A drill copy answers no warning: only its original is ever proposed.
    suggestedBy: { hazards: [], minColour: 'red' },
    message: `【演练】${plan.message}`.slice(0, 500),
    templates,
  }
}

interface Option { communities: string[] | null, count: number }

/**
 * Which communities each template keeps so that the plan reaches exactly `target` people, or as many as it
 * can below that. Per template the choices are: drop it, keep it whole, or keep a subset of its communities
 * (a person counts when any of their grids lies in a kept community). Prefers keeping more templates (a
 * drill of every kind of responder), then fewer communities. Returns null when the whole plan is wanted.
 */
export function narrowPlan(plan: Plan, reach: Reach[], communityOf: (gridId: string) => string | undefined, target: number): { communities: Map<string, string[]>, count: number } | null {
  if (target >= reach.length)
    return null
  const perTemplate = plan.templates.map((t) => {
    const rows = reach.filter(r => r.templateId === t.id)
    const sets = rows.map(r => new Set(r.gridIds.map(communityOf).filter((c): c is string => !!c)))
    // People reached by role, not by grid, stay whatever the communities (see matchPlan).
    const fixed = sets.filter(s => s.size === 0).length
    const all = [...new Set(sets.flatMap(s => [...s]))].sort()
    const options: Option[] = [{ communities: null, count: 0 }]
    const seen = new Set<number>()
    // Subsets of up to 12 communities; beyond that, whole communities one at a time would do, and Cuntan has 8.
    const n = Math.min(all.length, 12)
    for (let mask = 1; mask < 1 << n; mask++) {
      const picked = all.filter((_, i) => mask & (1 << i))
      const count = fixed + sets.filter(s => picked.some(c => s.has(c))).length
      const key = count * 100 + picked.length
      if (seen.has(key))
        continue
      seen.add(key)
      options.push({ communities: picked, count })
    }
    return { id: t.id, options }
  })
  // Knapsack over templates: best[sum] = the highest-scoring choice of options reaching `sum`.
  interface Pick { score: number, choice: Option[] }
  let best = new Map<number, Pick>([[0, { score: 0, choice: [] }]])
  for (const t of perTemplate) {
    const next = new Map<number, Pick>()
    for (const [sum, p] of best) {
      for (const o of t.options) {
        const s = sum + o.count
        if (s > target)
          continue
        const score = p.score + (o.communities ? 1000 - o.communities.length : 0)
        const held = next.get(s)
        if (!held || score > held.score)
          next.set(s, { score, choice: [...p.choice, o] })
      }
    }
    best = next
  }
  const reachable = [...best.keys()].filter(s => s > 0).sort((a, b) => b - a)
  const count = reachable[0]
  if (count === undefined)
    return { communities: new Map(), count: 0 }
  const choice = best.get(count)!.choice
  const communities = new Map<string, string[]>()
  perTemplate.forEach((t, i) => {
    const o = choice[i]!
    if (o.communities)
      communities.set(t.id, o.communities)
  })
  return { communities, count }
}

export interface Group { id: string, name: string, kind: 'community' | 'force' }

/**
 * Who of a plan's reach belongs to a chosen group of volunteers, per template: a community's are those the plan
 * reaches there by grid (people reached by role alone are no community's); a force unit's are its members, wherever
 * the plan reaches them. At most `max` people in all, in the dry run's order. Null when `groupId` names neither.
 */
export function groupPeople(
  reach: Reach[],
  groupId: string,
  where: { communityOf: (gridId: string) => string | undefined, communities: { id: string, name: string }[], forceUnits: { id: string, name: string, memberIds: string[] }[] },
  max = Infinity,
): { group: Group, people: Map<string, string[]>, count: number } | null {
  const community = where.communities.find(c => c.id === groupId)
  const unit = where.forceUnits.find(u => u.id === groupId)
  if (!community && !unit)
    return null
  const members = unit ? new Set(unit.memberIds) : null
  const inGroup = (r: Reach) => (members ? members.has(r.personId) : r.gridIds.some(g => where.communityOf(g) === groupId))
  const chosen = new Set<string>()
  const people = new Map<string, string[]>()
  for (const r of reach) {
    if (!inGroup(r) || (!chosen.has(r.personId) && chosen.size >= max))
      continue
    chosen.add(r.personId)
    people.set(r.templateId, [...(people.get(r.templateId) ?? []), r.personId])
  }
  const group: Group = unit ? { id: unit.id, name: unit.name, kind: 'force' } : { id: community!.id, name: community!.name, kind: 'community' }
  return { group, people, count: [...people.values()].reduce((n, ids) => n + ids.length, 0) }
}
