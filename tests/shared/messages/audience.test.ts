import type { Message } from '../../../shared/messages/schema.ts'
import { describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { audienceParts, recipientsOf, tally, unknownInSelection, unreadBy } from '../../../shared/messages/audience.ts'
import { DEFAULT_PLANS, JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'

const ref = buildCuntanReference()
const community = ref.territory.communities[1]!.id

describe('who a message reaches', () => {
  it('reaches a plan\'s responders exactly as activating the plan would task them', () => {
    const expected = [...new Set(matchPlan(JULY_RAINSTORM_PLAN, ref).map(a => a.personId))].sort()
    expect(recipientsOf(ref, { planIds: [JULY_RAINSTORM_PLAN.id] }, DEFAULT_PLANS)).toEqual(expected)
    // Without the plan's definition nobody is reached: the caller must pass the plans.
    expect(recipientsOf(ref, { planIds: [JULY_RAINSTORM_PLAN.id] })).toEqual([])
  })

  it('names the first unknown id and its field', () => {
    expect(unknownInSelection(ref, { communityIds: [community], gridIds: ['g-x'] }, [])).toEqual({ field: 'gridIds', id: 'g-x' })
    expect(unknownInSelection(ref, { planIds: ['nope'] }, DEFAULT_PLANS)).toEqual({ field: 'planIds', id: 'nope' })
    expect(unknownInSelection(ref, { communityIds: [community], forceKinds: ['water'] }, [])).toBeNull()
  })

  it('splits an audience into parts whose union is the recipient list', () => {
    const audience = { all: false, communityIds: [community], gridIds: [ref.territory.grids[0]!.id], forceKinds: ['water'], planIds: [] }
    const parts = audienceParts(ref, audience)
    expect(parts.map(p => `${p.kind}:${p.id}`)).toEqual([`community:${community}`, `grid:${ref.territory.grids[0]!.id}`, 'force:water'])
    expect([...new Set(parts.flatMap(p => p.personIds))].sort()).toEqual(recipientsOf(ref, audience))
  })
})

describe('receipts', () => {
  const m: Message = {
    id: 'm1',
    version: 3,
    text: 'x',
    sentAt: 'a',
    sentBy: 'op',
    updatedAt: 'a',
    audience: { all: false, communityIds: [], gridIds: [], forceKinds: [] },
    recipients: [
      { personId: 'a', deliveredAt: null, readAt: null },
      { personId: 'b', deliveredAt: 't', readAt: null },
      { personId: 'c', deliveredAt: 't', readAt: 't' },
    ],
  }

  it('counts delivered and read, over all or a part', () => {
    expect(tally(m)).toEqual({ total: 3, delivered: 2, read: 1 })
    expect(tally(m, ['a', 'c'])).toEqual({ total: 2, delivered: 1, read: 1 })
  })

  it('lists non-readers whose phone has it first: they are the ones to call', () => {
    expect(unreadBy(m)).toEqual(['b', 'a'])
  })
})
