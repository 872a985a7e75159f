import { describe, expect, it } from 'vitest'
import { drillPlan, narrowPlan } from '../../../server/drill/plan.ts'
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
