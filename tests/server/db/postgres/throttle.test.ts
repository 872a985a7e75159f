import type { TestApp } from '../../../helpers/app.ts'
import type { TestSchema } from '../../../helpers/pg.ts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSignInThrottle, DEFAULT_THROTTLE } from '../../../../server/auth/throttle.ts'
import { createPool } from '../../../../server/db/postgres/pool.ts'
import { createPgStore } from '../../../../server/db/postgres/store.ts'
import { createPgThrottleCounters, PG_THROTTLE_DDL } from '../../../../server/db/postgres/throttle.ts'
import { buildTestApp } from '../../../helpers/app.ts'
import { freshSchema, newSchemaName, pgUrl } from '../../../helpers/pg.ts'

// Sign-in attempts counted in the tenant's database: a guesser gets the same tries however many nodes serve the
// tenant, as if one process counted them all.

const MINUTE = 60_000

describe('sign-in counters in PostgreSQL', () => {
  let db: TestSchema
  afterEach(() => db.drop())

  it('counts attempts in a window that begins with the first and lasts a minute', async () => {
    db = await freshSchema(PG_THROTTLE_DDL)
    const c = createPgThrottleCounters(db.pool)
    const t0 = Date.UTC(2025, 6, 1, 8, 0, 12, 345)
    expect(await c.hit('pair:a', t0, MINUTE)).toEqual({ start: t0, count: 1 })
    expect(await c.hit('pair:a', t0 + 30_000, MINUTE)).toEqual({ start: t0, count: 2 })
    expect(await c.hit('pair:a', t0 + MINUTE - 1, MINUTE)).toEqual({ start: t0, count: 3 })
    expect(await c.hit('pair:b', t0 + 1, MINUTE)).toEqual({ start: t0 + 1, count: 1 })
    // A minute after the first attempt a new window begins.
    expect(await c.hit('pair:a', t0 + MINUTE, MINUTE)).toEqual({ start: t0 + MINUTE, count: 1 })
  })

  it('keeps events newest first, forgets a key on request and old counts when swept', async () => {
    db = await freshSchema(PG_THROTTLE_DDL)
    const c = createPgThrottleCounters(db.pool)
    const t0 = Date.UTC(2025, 6, 1, 8)
    for (const at of [t0, t0 + 5, t0 + 5, t0 + 90_000])
      await c.record('acct:user:x', at)
    await c.record('acct:user:y', t0)
    expect(await c.events('acct:user:x', t0)).toEqual([{ at: t0 + 90_000, count: 1 }, { at: t0 + 5, count: 2 }, { at: t0, count: 1 }])
    expect(await c.events('acct:user:x', t0 + 1, 1)).toEqual([{ at: t0 + 90_000, count: 1 }])
    await c.clear('acct:user:x')
    expect(await c.events('acct:user:x', 0)).toEqual([])
    expect(await c.events('acct:user:y', 0)).toEqual([{ at: t0, count: 1 }])
    await c.sweep(t0 + 1)
    expect((await db.pool.query('SELECT COUNT(*)::int AS n FROM sign_in_throttle')).rows[0].n).toBe(0)
  })

  it('counts every attempt two nodes make at once in one window', async () => {
    db = await freshSchema(PG_THROTTLE_DDL)
    const other = createPool({ url: pgUrl(), schema: db.schema, max: 4 })
    const nodes = [createPgThrottleCounters(db.pool), createPgThrottleCounters(other)]
    const t0 = Date.UTC(2025, 6, 1, 8)
    await nodes[0]!.hit('pair:k', t0, MINUTE)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => nodes[i % 2]!.hit('pair:k', t0 + 1 + i, MINUTE)))
    await other.end()
    expect(answers.map(a => a.start)).toEqual(Array.from({ length: 20 }, () => t0))
    expect(answers.map(a => a.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2))
  })

  it('refuses the 9th wrong attempt spread over two nodes, as one node would', async () => {
    db = await freshSchema(PG_THROTTLE_DDL)
    const other = createPool({ url: pgUrl(), schema: db.schema, max: 4 })
    let t = Date.UTC(2025, 6, 1, 8)
    const nodes = [db.pool, other].map(pool => createSignInThrottle({ ...DEFAULT_THROTTLE, perPairPerMinute: 8, now: () => t, counters: createPgThrottleCounters(pool) }))
    const answers: boolean[] = []
    for (let i = 0; i < 9; i++) {
      const node = nodes[i % 2]!
      const c = await node.check('203.0.113.7', 'user:operator')
      answers.push(c.ok)
      if (c.ok)
        await node.failed('203.0.113.7', 'user:operator')
      t += 1000
    }
    expect(answers).toEqual([true, true, true, true, true, true, true, true, false])
    // Neither node lets it through until the minute that began with the first attempt is over.
    expect(await nodes[0]!.check('203.0.113.7', 'user:operator')).toMatchObject({ ok: false, retryAfterMs: MINUTE - 9_000 })
    t += MINUTE - 9_000
    expect(await nodes[1]!.check('203.0.113.7', 'user:operator')).toEqual({ ok: true })
    await other.end()
  })
})

describe('sign-in through two nodes on one database', () => {
  const schema = newSchemaName()
  let nodes: TestApp[]
  beforeAll(async () => {
    const first = createPgStore({ url: pgUrl(), schema, max: 4 })
    nodes = [await buildTestApp({ store: first }), await buildTestApp({ store: createPgStore({ url: pgUrl(), schema, max: 4 }) })]
  })
  afterAll(async () => {
    for (const n of nodes)
      await n.close()
    const pool = createPool({ url: pgUrl(), schema, max: 1 })
    await pool.query(`DROP SCHEMA ${schema} CASCADE`)
    await pool.end()
  })

  it('answers the 9th wrong sign-in spread over the nodes with 429, on every node', async () => {
    const login = (i: number) => nodes[i % 2]!.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '198.51.100.77', payload: { username: 'operator', password: `guess-${i}` } })
    const codes: number[] = []
    for (let i = 0; i < 10; i++)
      codes.push((await login(i)).statusCode)
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429])
  })
})
