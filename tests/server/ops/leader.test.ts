import { afterAll, describe, expect, it } from 'vitest'
import { createPgStore } from '../../../server/db/postgres/store.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { startLeadership } from '../../../server/ops/leader.ts'
import { newSchemaName, pgUrl } from '../../helpers/pg.ts'

// Once-per-cluster jobs run on the node holding the leader lock, and move to another node when it dies.

function jobs() {
  const log: string[] = []
  return { log, lead: (name: string) => () => {
    log.push(`${name} starts`)
    return () => log.push(`${name} stops`)
  } }
}

describe('leadership', () => {
  it('is this node\'s at once when the store is SQLite (one process)', async () => {
    const store = createSqliteStore({ file: ':memory:' })
    const j = jobs()
    const l = startLeadership(store, j.lead('solo'))
    expect(l.isLeader()).toBe(true)
    await l.close()
    expect(j.log).toEqual(['solo starts', 'solo stops'])
    await store.close()
  })

  describe('on PostgreSQL', () => {
    const schema = newSchemaName('lead')
    const stores = [1, 2, 3].map(() => createPgStore({ url: pgUrl(), schema, max: 2 }))
    afterAll(async () => {
      await stores[0]!.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await Promise.all(stores.map(s => s.close()))
    })

    it('runs the jobs on exactly one node, and on another within the retry when that node\'s connection dies', async () => {
      await Promise.all(stores.map(s => s.migrate()))
      const j = jobs()
      const nodes = stores.map((s, i) => startLeadership(s, j.lead(`node${i + 1}`), { retryMs: 100 }))
      await expect.poll(() => nodes.filter(n => n.isLeader()).length, { timeout: 5000, interval: 20 }).toBe(1)
      await new Promise(r => setTimeout(r, 400))
      expect(nodes.filter(n => n.isLeader()).length).toBe(1)
      const first = nodes.findIndex(n => n.isLeader())
      expect(j.log).toEqual([`node${first + 1} starts`])

      // The leader's lock connection dies (as when its process is killed): another node takes over, the old one stops.
      await stores[0]!.pool.query('SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = \'advisory\' AND granted AND objid = (hashtext($1)::bigint & 4294967295)', [`onescreen:leader:${schema}`])
      await expect.poll(() => nodes.findIndex(n => n.isLeader()), { timeout: 5000, interval: 20 }).not.toBe(first)
      await expect.poll(() => nodes.filter(n => n.isLeader()).length, { timeout: 5000, interval: 20 }).toBe(1)
      const second = nodes.findIndex(n => n.isLeader())
      // The old leader hears its connection close and the new one's retry comes, in either order.
      expect(j.log[0]).toBe(`node${first + 1} starts`)
      expect(j.log.slice(1).sort()).toEqual([`node${first + 1} stops`, `node${second + 1} starts`].sort())

      await Promise.all(nodes.map(n => n.close()))
      expect(j.log.at(-1)).toBe(`node${second + 1} stops`)
    })
  })
})
