import { describe, expect, it } from 'vitest'
import { buildRegister } from '../../../server/demo/sim/register.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'

const grids = buildCuntanReference().territory.grids
const AT = '2026-12-07T00:00:00.000Z'

describe('the demo register of vulnerable people', () => {
  it('is the same for a seed, and another seed gives other people', () => {
    const a = buildRegister(grids, { seed: 'cuntan', at: AT })
    expect(buildRegister(grids, { seed: 'cuntan', at: AT })).toEqual(a)
    expect(buildRegister(grids, { seed: 'other', at: AT }).map(p => p.name)).not.toEqual(a.map(p => p.name))
  })

  it('puts 0 to 4 people in each of Cuntan\'s grids, most of them elderly living alone', () => {
    const people = buildRegister(grids, { seed: 'cuntan', at: AT })
    const perGrid = new Map(grids.map(g => [g.id, 0]))
    for (const p of people) perGrid.set(p.gridId, (perGrid.get(p.gridId) ?? Number.NaN) + 1)
    expect([...perGrid.keys()].sort()).toEqual(grids.map(g => g.id).sort())
    expect(Math.max(...perGrid.values())).toBeLessThanOrEqual(4)
    expect([...perGrid.values()].filter(n => n === 0).length).toBeGreaterThan(0)
    const share = people.filter(p => p.category === 'elderly_alone').length / people.length
    expect(share).toBeGreaterThan(0.45)
    expect(share).toBeLessThan(0.75)
    expect(new Set(people.map(p => p.id)).size).toBe(people.length)
    expect(people[0]).toMatchObject({ updatedAt: AT, phone: expect.stringMatching(/^1\d{10}$/) })
  })
})
