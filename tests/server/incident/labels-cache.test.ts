import type { Incident } from '../../../shared/incident/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labelsOf } from '../../../shared/incident/labels.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The service remembers the names an owner and category give; what it answers must stay what labelsOf answers,
// including the carried name that stands in for one the reference no longer has.

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

describe('an incident\'s labels', () => {
  it('are labelsOf\'s, for a known assignee and for one the reference does not have', async () => {
    const grid = t.ctx.reference.territory.grids[0]!
    const category = t.ctx.catalog.categories.find(c => c.loop === 'grid')!
    const principal = { kind: 'session', id: 'u_op', personId: 'u_op', roles: ['operator'], gridIds: [] } as never
    const call = (op: string) => ({ principal, origin: { via: 'internal' as const, ip: null }, opKey: op })
    const person = t.ctx.reference.org.people[0]!
    const seen: Incident[] = []
    for (const [n, assigneeId] of [[1, person.id], [2, 'p_gone'], [3, 'p_gone']] as const) {
      const made = await t.ctx.incidents.report({ category: category.code, description: `标签 ${n}`, location: grid.center }, call(`labels-r${n}`))
      expect(made.ok).toBe(true)
      const id = (made as { data: Incident }).data.id
      await t.ctx.incidents.act(id, { action: 'accept' }, call(`labels-a${n}`))
      const assigned = await t.ctx.incidents.act(id, { action: 'assign', assigneeId }, call(`labels-s${n}`))
      expect(assigned.ok, JSON.stringify(assigned)).toBe(true)
      seen.push((assigned as { data: Incident }).data)
    }
    for (const inc of seen) expect(JSON.stringify(inc.labels)).toBe(JSON.stringify(labelsOf(inc, t.ctx.reference, t.ctx.catalog)))
    expect(seen[0]!.labels?.assignee).toBe(person.name)
    expect(seen[1]!.labels?.grid).toBe(grid.name)
  })
})
