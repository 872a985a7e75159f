import { describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { assigneeOptions } from '../../../shared/incident/assignees.ts'

// Who an incident can be handed to: the routed post first (confirming routing is one click), then its people,
// the sector's other posts and people, helper sectors, the grid's people and N forces.

const REF = buildCuntanReference()
const roster = REF.org.rosters[0]!
const grid = REF.territory.grids.find(g => g.id === roster.gridId)!
const owner = (over: Record<string, unknown> = {}) => ({ owner: { loop: 'community' as const, communityId: grid.communityId, gridId: grid.id, sectorId: 'party', postId: 'party.mass', helperSectorIds: [], assigneeId: null, ...over } })

describe('assigneeOptions', () => {
  it('puts the routed post first, then its own staff', () => {
    const list = assigneeOptions(REF, owner())
    expect(list[0]).toMatchObject({ postId: 'party.mass', personId: null, why: 'routed' })
    const staff = REF.org.people.filter(p => p.postId === 'party.mass').map(p => p.id)
    expect(list.slice(1, 1 + staff.length).map(o => o.personId)).toEqual(staff)
  })

  it('offers the sector\'s other posts and, by name, the people on them', () => {
    const list = assigneeOptions(REF, owner())
    const org = REF.org.people.filter(p => p.postId === 'party.org').map(p => p.id)
    expect(org.length).toBeGreaterThan(0)
    expect(list.filter(o => o.postId === 'party.org').map(o => o.personId)).toEqual([null, ...org])
  })

  it('offers a joint case\'s helper posts, the grid\'s worker and its liaisons, each once', () => {
    const list = assigneeOptions(REF, owner({ sectorId: 'safety', postId: 'safety.law_enforcement', helperSectorIds: ['economy'] }))
    expect(list.some(o => o.postId === 'economy.business_env' && o.why === 'helper')).toBe(true)
    expect(list.find(o => o.personId === roster.workerId)?.why).toBe('grid')
    const keys = list.map(o => o.personId ?? `post:${o.postId}`)
    expect(new Set(keys).size).toBe(keys.length)
  })
})
