import { describe, expect, it } from 'vitest'
import { drillPlan, groupPeople, narrowPlan } from '../../../server/drill/plan.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { matchPlan, suggestPlans } from '../../../shared/wartime/plans.ts'

const ref = buildCuntanReference()
const community = new Map(ref.territory.grids.map(g => [g.id, g.communityId]))
const reach = matchPlan(JULY_RAINSTORM_PLAN, ref)
function copyFor(n: number) {
  const narrowed = narrowPlan(JULY_RAINSTORM_PLAN, reach, id => community.get(id), n)
  return { narrowed, plan: { ...drillPlan(JULY_RAINSTORM_PLAN, 30, narrowed?.communities), version: 1, updatedAt: '' } }
}

describe('the drill plan', () => {
  it('reaches exactly the number of responders asked for, for every size the Cuntan plan can give', () => {
    expect(reach).toHaveLength(156)
    for (const n of [1, 5, 20, 57, 100, 150, 155]) {
      const { narrowed, plan } = copyFor(n)
      expect(narrowed!.count, `n=${n}`).toBe(n)
      expect(matchPlan(plan, ref), `n=${n}`).toHaveLength(n)
    }
  })

  it('keeps the whole plan when everyone is asked for', () => {
    const { narrowed, plan } = copyFor(156)
    expect(narrowed).toBeNull()
    expect(matchPlan(plan, ref)).toHaveLength(156)
  })

  it('keeps every kind of responder in a 20-person drill', () => {
    expect(copyFor(20).plan.templates.map(t => t.id)).toEqual(JULY_RAINSTORM_PLAN.templates.map(t => t.id))
  })

  it('compresses deadlines by the speed, is marked as a drill and is never proposed by a real warning', () => {
    const { plan } = copyFor(156)
    expect(plan.id).toBe('rainstorm-red-drill')
    expect(plan.name).toMatch(/^【演练】/)
    expect(plan.templates[0]!.ackMinutes).toBeCloseTo(JULY_RAINSTORM_PLAN.templates[0]!.ackMinutes / 30)
    expect(suggestPlans([JULY_RAINSTORM_PLAN, plan], { hazard: 'rainstorm', colour: 'red' }).map(p => p.id)).toEqual(['rainstorm-red'])
  })
})

describe('a chosen group of volunteers', () => {
  const where = { communityOf: (id: string) => community.get(id), communities: ref.territory.communities, forceUnits: ref.org.forceUnits }
  const copyOf = (people: Map<string, string[]>) => ({ ...drillPlan(JULY_RAINSTORM_PLAN, 1, undefined, people), version: 1, updatedAt: '' })

  it('gives tasks to a force unit\'s members only, wherever the plan reaches them', () => {
    const unit = ref.org.forceUnits.find(u => reach.some(r => u.memberIds.includes(r.personId)))!
    const g = groupPeople(reach, unit.id, where)!
    expect(g.group).toEqual({ id: unit.id, name: unit.name, kind: 'force' })
    const tasks = matchPlan(copyOf(g.people), ref)
    expect(tasks.length).toBe(g.count)
    expect(tasks.length).toBe(reach.filter(r => unit.memberIds.includes(r.personId)).length)
    expect(tasks.filter(a => !unit.memberIds.includes(a.personId))).toEqual([])
  })

  it('gives tasks to those the plan reaches in a community, at most as many people as asked for', () => {
    const c = ref.territory.communities[1]!
    const all = groupPeople(reach, c.id, where)!
    const tasks = matchPlan(copyOf(all.people), ref)
    expect(tasks.length).toBeGreaterThan(3)
    expect(tasks.filter(a => !a.gridIds.some(id => community.get(id) === c.id))).toEqual([])
    const three = groupPeople(reach, c.id, where, 3)!
    expect(new Set(matchPlan(copyOf(three.people), ref).map(a => a.personId)).size).toBe(3)
    expect(groupPeople(reach, 'nowhere', where)).toBeNull()
  })
})
