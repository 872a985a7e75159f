import type { TestSchema } from '../../../helpers/pg.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPgPresenceStore, PG_PRESENCE_DDL } from '../../../../server/db/postgres/presence.ts'
import { freshSchema } from '../../../helpers/pg.ts'

// The shared presence rows on PostgreSQL, beat by beat (server/sync/shared-presence.ts drives them once a second).

const LIVE = 60_000
const w = (id: string, minute: number) => ({ id, lon: 106.5 + minute / 1000, lat: 29.5, at: `2026-07-15T12:${String(minute).padStart(2, '0')}:00.000Z` })
const empty = { positions: [], online: [] }

describe('presence rows on PostgreSQL', () => {
  let db: TestSchema
  beforeEach(async () => {
    db = await freshSchema(PG_PRESENCE_DDL)
  })
  afterEach(() => db.drop())

  it('writes a first beat whole: the node, its online people and its positions', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b' })
    const mine = await a.beat({ positions: [w('w2', 1), w('w1', 1)], online: ['p1', 'p2'] }, LIVE)
    expect(mine.online, 'a node\'s own people are not answered back').toEqual([])
    const read = await b.beat(empty, LIVE)
    expect(read.online.sort()).toEqual(['p1', 'p2'])
    expect(read.positions.sort((x, y) => x.id.localeCompare(y.id))).toEqual([w('w1', 1), w('w2', 1)])
    const tables = await db.pool.query<{ relname: string, relpersistence: string }>(`SELECT relname, relpersistence FROM pg_class
      WHERE relnamespace = $1::regnamespace AND relkind = 'r' ORDER BY relname`, [db.schema])
    expect(tables.rows, 'live state, not history: unlogged').toEqual(['presence_nodes', 'presence_online', 'presence_positions'].map(relname => ({ relname, relpersistence: 'u' })))
  })

  it('makes each beat\'s list the node\'s whole online set', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b' })
    await a.beat({ positions: [], online: ['p1', 'p2'] }, LIVE)
    await a.beat({ positions: [], online: ['p2', 'p3'] }, LIVE)
    expect((await b.beat(empty, LIVE)).online.sort()).toEqual(['p2', 'p3'])
    await a.beat(empty, LIVE)
    expect((await b.beat(empty, LIVE)).online).toEqual([])
  })

  it('keeps the newest report of a worker, whichever node sent it', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b' })
    await a.beat({ positions: [w('w1', 5)], online: [] }, LIVE)
    expect((await b.beat({ positions: [w('w1', 3)], online: [] }, LIVE)).positions, 'an older report loses').toEqual([w('w1', 5)])
    expect((await b.beat({ positions: [w('w1', 7)], online: [] }, LIVE)).positions, 'a newer one wins').toEqual([w('w1', 7)])
  })

  it('counts a node\'s people offline once its heartbeat is older than the timeout', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b' })
    await a.beat({ positions: [w('w1', 1)], online: ['p1'] }, LIVE)
    expect((await b.beat(empty, LIVE)).online).toEqual(['p1'])
    await expect.poll(async () => (await b.beat(empty, 200)).online, { timeout: 3000, interval: 50 }).toEqual([])
    expect((await b.beat(empty, 200)).positions, 'its workers\' last positions stay').toEqual([w('w1', 1)])
    expect((await b.beat(empty, LIVE)).online, 'with a longer timeout it is still live').toEqual(['p1'])
  })

  it('takes a leaving node\'s people offline at once and keeps their positions', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b' })
    await a.beat({ positions: [w('w1', 1)], online: ['p1'] }, LIVE)
    await a.leave()
    const read = await b.beat(empty, LIVE)
    expect(read.online).toEqual([])
    expect(read.positions).toEqual([w('w1', 1)])
  })

  it('forgets a node silent for longer than forgetMs, its positions with it, and takes it back when it beats again', async () => {
    const a = createPgPresenceStore(db.pool, { nodeId: 'a' })
    const b = createPgPresenceStore(db.pool, { nodeId: 'b', forgetMs: 200 })
    await a.beat({ positions: [w('w1', 1)], online: ['p1'] }, LIVE)
    await expect.poll(async () => (await b.beat(empty, LIVE)).positions, { timeout: 3000, interval: 50 }).toEqual([])
    const nodes = await db.pool.query<{ node_id: string }>('SELECT node_id FROM presence_nodes ORDER BY node_id')
    expect(nodes.rows.map(r => r.node_id)).toEqual(['b'])
    await a.beat({ positions: [], online: ['p1'] }, LIVE)
    expect((await b.beat(empty, LIVE)).online, 'back with its whole online set').toEqual(['p1'])
  })

  it('gives every node its own id by default', () => {
    const ids = new Set([1, 2, 3].map(() => createPgPresenceStore(db.pool).nodeId))
    expect(ids.size).toBe(3)
  })
})
