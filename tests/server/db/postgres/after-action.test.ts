import type { AfterActionStore } from '../../../../server/wartime/after-action/store.ts'
import type { Operation } from '../../../../shared/wartime/schema.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { createPgAfterActionStore, PG_AFTER_ACTION_DDL } from '../../../../server/db/postgres/after-action.ts'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { afterAction } from '../../../../shared/wartime/after-action.ts'
import { freshSchema } from '../../../helpers/pg.ts'

interface Made { store: AfterActionStore, close: () => Promise<void> }

const dialects: [string, () => Promise<Made>][] = [
  ['sqlite', async () => {
    const s = createSqliteStore({ file: ':memory:' })
    await s.migrate()
    return { store: s.afterAction, close: () => s.close() }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_CORE_DDL + PG_AFTER_ACTION_DDL)
    return { store: createPgAfterActionStore(t.pool), close: () => t.drop() }
  }],
]

const day = (d: number, h = 8) => new Date(Date.UTC(2025, 6, d, h)).toISOString()

/** The report of an operation declared on day `d`, ended at `endedAt` (null: not recorded), built as the server builds it. */
function report(id: string, d: number, endedAt: string | null, exercise = false) {
  const operation: Operation = {
    id,
    version: 3,
    active: false,
    reason: `暴雨 ${id}`,
    declaredAt: day(d),
    declaredBy: 'commander',
    warningId: null,
    planId: null,
    activatedAt: day(d, 9),
    endedAt,
    endedBy: endedAt ? 'commander' : null,
    taskCount: 0,
    exercise,
    timeline: [],
    updatedAt: endedAt ?? day(d, 9),
  }
  return afterAction({ operation, plan: null, tasks: [], names: new Map(), gridNames: new Map(), riskPoints: [] })
}

describe.each(dialects)('after-action store on %s', (_, make) => {
  let m: Made
  afterEach(async () => m.close())

  it('keeps a report and gives it back as it was built', async () => {
    m = await make()
    const r = report('op1', 1, day(2), true)
    await m.store.put({ operationId: 'op1', createdAt: day(2, 10), report: r })
    expect(await m.store.get('op1')).toEqual({ operationId: 'op1', createdAt: day(2, 10), report: r })
    expect(await m.store.get('op2')).toBeNull()
  })

  it('lists the latest ended first, ties by operation, an unrecorded end counting as the report\'s creation', async () => {
    m = await make()
    await m.store.put({ operationId: 'op-b', createdAt: day(5), report: report('op-b', 4, day(5)) })
    await m.store.put({ operationId: 'op-a', createdAt: day(5), report: report('op-a', 4, day(5)) })
    await m.store.put({ operationId: 'op-c', createdAt: day(3), report: report('op-c', 1, day(2)) })
    await m.store.put({ operationId: 'op-d', createdAt: day(9), report: report('op-d', 8, null) })
    expect((await m.store.list()).map(r => r.operationId)).toEqual(['op-d', 'op-a', 'op-b', 'op-c'])
  })

  it('replaces the report of an operation kept twice, and its place in the list', async () => {
    m = await make()
    await m.store.put({ operationId: 'op1', createdAt: day(2), report: report('op1', 1, day(2)) })
    await m.store.put({ operationId: 'op2', createdAt: day(4), report: report('op2', 3, day(4)) })
    const again = report('op1', 1, day(6), true)
    await m.store.put({ operationId: 'op1', createdAt: day(6, 12), report: again })
    expect(await m.store.get('op1')).toEqual({ operationId: 'op1', createdAt: day(6, 12), report: again })
    expect((await m.store.list()).map(r => [r.operationId, r.createdAt, r.report.exercise])).toEqual([['op1', day(6, 12), true], ['op2', day(4), false]])
  })
})
