import type { Plan, Task } from '../../../shared/wartime/schema.ts'
import { describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { DEFAULT_PLANS, JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { advanceTask, buildTasks, gridsFor, matchPlan, stepTask, suggestPlans } from '../../../shared/wartime/plans.ts'

// The Cuntan demo data: real rosters, liaisons and risk tags to match against.
const ref = buildCuntanReference()
const MIN = 60_000
const T0 = new Date('2026-07-15T20:00:00.000Z')

function plan(over: Partial<Plan['templates'][number]> = {}): Plan {
  return {
    ...JULY_RAINSTORM_PLAN,
    templates: [{ id: 't', title: '巡查', instructions: '巡查低洼路段', rosterRoles: ['worker'], forceKinds: [], roles: [], riskTags: [], communityIds: [], ackMinutes: 5, arriveMinutes: 20, ...over }],
  }
}

describe('plan matching', () => {
  it('gives every grid worker of the tagged grids one task, and nobody else', () => {
    const tagged = ref.territory.grids.filter(g => g.riskTags.includes('low_lying'))
    // The test means something only if some grids, not all, carry the tag.
    expect(tagged.length).toBeGreaterThan(0)
    expect(tagged.length).toBeLessThan(ref.territory.grids.length)
    const a = matchPlan(plan({ riskTags: ['low_lying'] }), ref)
    const expected = tagged.map(g => ref.org.rosters.find(r => r.gridId === g.id)!.workerId)
    expect(a.map(x => x.personId).sort()).toEqual([...new Set(expected)].sort())
  })

  it('reaches every grid when a template names no risk tag, one task per person however many grids', () => {
    const a = matchPlan(plan({ rosterRoles: ['instructor'] }), ref)
    const instructors = new Set(ref.org.rosters.map(r => r.instructorId))
    expect(a).toHaveLength(instructors.size)
    const busiest = a.reduce((m, x) => Math.max(m, x.gridIds.length), 0)
    expect(busiest).toBeGreaterThan(1)
  })

  it('reaches the liaisons of the named force kinds in the matched grids', () => {
    const a = matchPlan(plan({ rosterRoles: [], forceKinds: ['water'] }), ref)
    const liaisons = new Set(ref.org.rosters.flatMap(r => r.liaisons.filter(l => l.kind === 'water').map(l => l.personId)))
    expect(new Set(a.map(x => x.personId))).toEqual(liaisons)
  })

  it('limits to the named communities', () => {
    const community = ref.territory.communities[0]!.id
    const grids = gridsFor(plan({ communityIds: [community] }).templates[0]!, ref.territory.grids)
    const inCommunity = ref.territory.grids.filter(g => g.communityId === community).map(g => g.id)
    expect(inCommunity.length).toBeGreaterThan(1)
    expect(grids.map(g => g.id)).toEqual(inCommunity)
  })

  it('suggests the rainstorm plan for a red rainstorm and nothing for a blue one or another hazard', () => {
    expect(suggestPlans(DEFAULT_PLANS, { hazard: 'rainstorm', colour: 'red' })[0]!.id).toBe('rainstorm-red')
    expect(suggestPlans(DEFAULT_PLANS, { hazard: 'rainstorm', colour: 'blue' })).toEqual([])
    expect(suggestPlans(DEFAULT_PLANS, { hazard: 'earthquake', colour: 'red' })).toEqual([])
  })
})

describe('the acknowledgement clock', () => {
  const p = plan()
  const task = (): Task => buildTasks('op-1', p, matchPlan(p, ref), ref, T0)[0]!
  const supervisorsOf = () => ['ins-1', 'lead-1']

  it('builds tasks with deadlines from the template and ids that cannot repeat', () => {
    const tasks = buildTasks('op-1', p, matchPlan(p, ref), ref, T0)
    expect(new Set(tasks.map(t => t.id)).size).toBe(tasks.length)
    expect(Date.parse(tasks[0]!.ackDeadline) - T0.getTime()).toBe(5 * MIN)
    expect(Date.parse(tasks[0]!.arriveDeadline) - T0.getTime()).toBe(20 * MIN)
  })

  it('does nothing before the deadline, re-sends at it, then escalates to the instructor and contact leader', () => {
    const t = task()
    expect(stepTask(t, new Date(T0.getTime() + 4 * MIN), { resendWindowMs: 2 * MIN, supervisorsOf })).toBeNull()
    const resend = stepTask(t, new Date(T0.getTime() + 5 * MIN), { resendWindowMs: 2 * MIN, supervisorsOf })!
    expect(resend.kind).toBe('resend')
    expect(resend.task.resends).toBe(1)
    expect(stepTask(resend.task, new Date(T0.getTime() + 6 * MIN), { resendWindowMs: 2 * MIN, supervisorsOf })).toBeNull()
    const esc = stepTask(resend.task, new Date(T0.getTime() + 7 * MIN), { resendWindowMs: 2 * MIN, supervisorsOf })!
    expect(esc).toMatchObject({ kind: 'escalate', notify: ['ins-1', 'lead-1'] })
    expect(esc.task.escalatedTo).toEqual(['ins-1', 'lead-1'])
    expect(stepTask(esc.task, new Date(T0.getTime() + 60 * MIN), { resendWindowMs: 2 * MIN, supervisorsOf })).toBeNull()
  })

  it('leaves an acknowledged task alone', () => {
    const acked = advanceTask(task(), 'acknowledged', new Date(T0.getTime() + MIN))!
    expect(stepTask(acked, new Date(T0.getTime() + 30 * MIN), { resendWindowMs: MIN, supervisorsOf })).toBeNull()
  })

  it('moves a task forward only, filling the steps it skipped', () => {
    const t = task()
    const at = new Date(T0.getTime() + 3 * MIN)
    const scene = advanceTask(t, 'on_scene', at)!
    expect(scene).toMatchObject({ state: 'on_scene', version: 2, deliveredAt: at.toISOString(), ackAt: at.toISOString(), onSceneAt: at.toISOString() })
    expect(advanceTask(scene, 'delivered', at)).toBeNull()
    expect(advanceTask(scene, 'acknowledged', at)).toBeNull()
    expect(advanceTask(scene, 'done', at)!.doneAt).toBe(at.toISOString())
  })
})
