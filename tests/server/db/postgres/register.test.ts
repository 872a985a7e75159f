import type { RegisterStore } from '../../../../server/resources/store.ts'
import type { EvacuationCheck, VulnerablePerson } from '../../../../shared/resources/schema.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createPgRegisterStore, PG_REGISTER_DDL } from '../../../../server/db/postgres/register.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { freshSchema } from '../../../helpers/pg.ts'

interface Made { store: RegisterStore, close: () => Promise<void> }

const dialects: [string, () => Promise<Made>][] = [
  ['sqlite', async () => {
    const s = createSqliteStore({ file: ':memory:' })
    await s.migrate()
    return { store: s.register, close: () => s.close() }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_CORE_DDL + PG_REGISTER_DDL)
    return { store: createPgRegisterStore(t.pool), close: () => t.drop() }
  }],
]

function person(id: string, gridId: string, more: Partial<VulnerablePerson> = {}): VulnerablePerson {
  return {
    id,
    gridId,
    category: 'elderly_alone',
    name: `张${id}`,
    address: '滨江路 8 号',
    phone: '13800000000',
    guardian: '',
    notes: '',
    updatedAt: '2025-07-01T08:00:00.000Z',
    ...more,
  }
}
function check(operationId: string, personId: string, gridId: string, more: Partial<EvacuationCheck> = {}): EvacuationCheck {
  return {
    operationId,
    personId,
    gridId,
    status: 'reached',
    reason: '',
    at: '2025-07-02T08:00:00.000Z',
    by: 'w1',
    ...more,
  }
}

describe.each(dialects)('register store on %s', (_, make) => {
  let m: Made
  afterEach(async () => m.close())

  it('lists everyone by grid then id, or one grid\'s people by id', async () => {
    m = await make()
    expect(await m.store.list()).toEqual([])
    await m.store.save([person('p3', 'g2'), person('p2', 'g1'), person('p1', 'g2'), person('p10', 'g1')])
    expect((await m.store.list()).map(p => p.id)).toEqual(['p10', 'p2', 'p1', 'p3'])
    expect((await m.store.list('g2')).map(p => p.id)).toEqual(['p1', 'p3'])
    expect(await m.store.list('g9')).toEqual([])
    expect(await m.store.get('p2')).toEqual(person('p2', 'g1'))
    expect(await m.store.get('nobody')).toBeNull()
  })

  it('replaces a person saved again, a move of grid included; of two in one save the last wins', async () => {
    m = await make()
    await m.store.save([person('p1', 'g1'), person('p2', 'g1')])
    const moved = person('p1', 'g2', { name: '李四', category: 'bedridden', updatedAt: '2025-07-03T08:00:00.000Z' })
    await m.store.save([person('p1', 'g3'), moved])
    expect(await m.store.get('p1')).toEqual(moved)
    expect((await m.store.list('g1')).map(p => p.id)).toEqual(['p2'])
    expect((await m.store.list('g2')).map(p => p.id)).toEqual(['p1'])
    expect(await m.store.list('g3')).toEqual([])
    await m.store.save([])
    expect(await m.store.list()).toHaveLength(2)
  })

  it('saves all or nothing', async () => {
    m = await make()
    const broken = { ...person('p2', 'g1'), gridId: null as unknown as string }
    await expect(m.store.save([person('p1', 'g1'), broken])).rejects.toThrow()
    expect(await m.store.list()).toEqual([])
  })

  it('removes a person once', async () => {
    m = await make()
    await m.store.save([person('p1', 'g1'), person('p2', 'g1')])
    expect(await m.store.remove('p1')).toBe(true)
    expect(await m.store.remove('p1')).toBe(false)
    expect((await m.store.list()).map(p => p.id)).toEqual(['p2'])
  })

  it('keeps the latest check-off per person and operation, listed by grid then person', async () => {
    m = await make()
    await m.store.check(check('op1', 'p2', 'g2'))
    await m.store.check(check('op1', 'p1', 'g2'))
    await m.store.check(check('op1', 'p3', 'g1'))
    await m.store.check(check('op2', 'p1', 'g2', { status: 'evacuated' }))
    const stays = check('op1', 'p1', 'g2', { status: 'stays', reason: '不愿离开', at: '2025-07-02T09:00:00.000Z' })
    await m.store.check(stays)
    expect((await m.store.checks('op1')).map(c => [c.personId, c.status])).toEqual([['p3', 'reached'], ['p1', 'stays'], ['p2', 'reached']])
    expect(await m.store.checks('op1', 'g2')).toEqual([stays, check('op1', 'p2', 'g2')])
    expect(await m.store.checks('op2')).toEqual([check('op2', 'p1', 'g2', { status: 'evacuated' })])
    expect(await m.store.checks('op1', 'g9')).toEqual([])
    expect(await m.store.checks('op9')).toEqual([])
  })
})
