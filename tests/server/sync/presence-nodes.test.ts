import type { PresenceStore } from '../../../server/sync/shared-presence.ts'
import type { WorkerPosition } from '../../../shared/sync/schema.ts'
import type { TestSchema } from '../../helpers/pg.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPool } from '../../../server/db/postgres/pool.ts'
import { createPgPresenceStore, PG_PRESENCE_DDL } from '../../../server/db/postgres/presence.ts'
import { createSharedPresence } from '../../../server/sync/shared-presence.ts'
import { twoNodesOnOneTenant } from '../../helpers/app.ts'
import { signIn } from '../../helpers/auth.ts'
import { freshSchema, pgUrl } from '../../helpers/pg.ts'
import { watcher } from '../../helpers/socket.ts'
import { until } from '../../helpers/until.ts'

// Several nodes on one tenant's PostgreSQL: a wall on any node shows the positions and online state of the phones
// connected to every node, and a node that dies takes its phones off the others' online lists.

const at = (minute: number) => `2026-07-15T12:${String(minute).padStart(2, '0')}:00.000Z`
const pos = (id: string, minute: number): WorkerPosition => ({ id, lon: 106.5 + minute / 1000, lat: 29.5, at: at(minute) })

/** A node: its own pool (as a process would have), its presence, what it published and announced, its beats. */
function node(db: TestSchema, name: string, opts: { staleMs: number }) {
  const pool = createPool({ url: pgUrl(), schema: db.schema, max: 2 })
  const store = createPgPresenceStore(pool, { nodeId: name })
  let dead = false
  let closed = false
  let beats = 0
  // A killed node: its beats stop reaching the database, nothing of it is cleaned up.
  const reachable: PresenceStore = {
    nodeId: store.nodeId,
    async beat(mine, staleMs) {
      if (dead)
        throw new Error(`${name} is dead`)
      const read = await store.beat(mine, staleMs)
      beats++
      return read
    },
    leave: () => store.leave(),
  }
  const presence = createSharedPresence({ store: reachable, intervalMs: 20, staleMs: opts.staleMs })
  const published: WorkerPosition[] = []
  const events: [string, boolean][] = []
  presence.onPublish(b => published.push(...b))
  presence.onOnline((id, up) => events.push([id, up]))
  return {
    presence,
    published,
    events,
    get beats() { return beats },
    /** Resolves after this node has finished two more beats (the first may have begun before the call). */
    async twoBeats() {
      const target = beats + 2
      await until(() => beats >= target)
    },
    kill: () => (dead = true),
    async close() {
      if (closed)
        return
      closed = true
      await presence.close()
      await pool.end()
    },
  }
}

describe('presence shared by nodes on one PostgreSQL tenant', () => {
  let db: TestSchema
  const open: { close: () => Promise<void> }[] = []
  const start = (name: string, staleMs = 15_000) => {
    const n = node(db, name, { staleMs })
    open.push(n)
    return n
  }
  beforeEach(async () => {
    db = await freshSchema(PG_PRESENCE_DDL)
  })
  afterEach(async () => {
    for (const n of open.splice(0)) await n.close()
    await db.drop()
  })

  it('publishes on node B a position reported on node A', async () => {
    const a = start('a')
    const b = start('b')
    a.presence.update(pos('w1', 1))
    await until(() => b.published.some(p => p.id === 'w1'))
    expect(b.published.filter(p => p.id === 'w1'), 'B\'s batches').toEqual([pos('w1', 1)])
    expect(b.presence.all(), 'B\'s positions for a new screen').toEqual([pos('w1', 1)])
    a.presence.update(pos('w1', 2))
    await until(() => b.published.length > 1)
    expect(b.published.filter(p => p.id === 'w1'), 'B\'s batches after a move').toEqual([pos('w1', 1), pos('w1', 2)])
  })

  it('keeps the newer of two reports of one worker through two nodes', async () => {
    const a = start('a')
    const b = start('b')
    a.presence.update(pos('w1', 5))
    await until(() => b.presence.all().length === 1)
    // A late report of an earlier position, through the other node.
    b.presence.update(pos('w1', 3))
    await b.twoBeats()
    await a.twoBeats()
    expect(a.presence.all(), 'A').toEqual([pos('w1', 5)])
    expect(b.presence.all(), 'B').toEqual([pos('w1', 5)])
  })

  it('shows on node B who is online through node A, and drops them when A\'s heartbeat stops', async () => {
    const a = start('a', 300)
    const b = start('b', 300)
    a.presence.connect('p1')
    await until(() => b.presence.online().includes('p1'))
    a.kill()
    await until(() => !b.presence.online().includes('p1'))
    expect(b.events, 'what B announced').toEqual([['p1', true], ['p1', false]])
    // The dead node's socket is gone with it; nobody told node B, the timeout did.
    expect(a.presence.online(), 'A still counts its own socket').toEqual(['p1'])
  })

  it('takes a node\'s people offline at once when the node stops cleanly', async () => {
    // A timeout far longer than the test waits: only the clean stop can take p1 off B's list.
    const a = start('a', 60_000)
    const b = start('b', 60_000)
    a.presence.connect('p1')
    await until(() => b.presence.online().includes('p1'))
    await a.close()
    await until(() => !b.presence.online().includes('p1'))
    expect(b.events).toEqual([['p1', true], ['p1', false]])
  })

  it('keeps a person online while either node holds one of their sockets', async () => {
    const a = start('a')
    const b = start('b')
    a.presence.connect('p1')
    b.presence.connect('p1')
    // B has written p1, then A has read it.
    await b.twoBeats()
    await a.twoBeats()
    a.presence.disconnect('p1')
    await a.twoBeats()
    await b.twoBeats()
    expect(a.presence.online(), 'A, through B').toEqual(['p1'])
    expect(b.presence.online(), 'B').toEqual(['p1'])
    expect(b.events, 'B never saw p1 go').toEqual([['p1', true]])
    b.presence.disconnect('p1')
    await until(() => a.events.length === 2)
    expect(a.events).toEqual([['p1', true], ['p1', false]])
  })
})

describe('two whole nodes on one PostgreSQL tenant', () => {
  const nodes = twoNodesOnOneTenant()

  it('tells a wall on node B when a phone connects to node A, and where it is', async () => {
    const op = await signIn(nodes.urlB, 'operator')
    const wall = watcher(nodes.urlB, null, op.cookie)
    await wall.ready
    const seen: { personId: string, online: boolean }[] = []
    const positions: WorkerPosition[] = []
    wall.socket.on('presence:changed', p => seen.push(p))
    wall.socket.on('positions:update', batch => positions.push(...batch))
    const personId = nodes.a.ctx.reference.org.rosters[3]!.workerId
    const phone = watcher(nodes.urlA, null, (await nodes.a.phoneOf(personId)).cookie)
    await phone.ready
    await until(() => seen.some(s => s.personId === personId && s.online), 5000)
    expect(nodes.b.ctx.presence.online(), 'node B\'s online list').toContain(personId)
    nodes.a.ctx.presence.update({ id: personId, lon: 106.55, lat: 29.52, at: new Date().toISOString() })
    await until(() => positions.some(p => p.id === personId), 5000)
    expect(positions.find(p => p.id === personId)).toMatchObject({ lon: 106.55, lat: 29.52 })
    phone.close()
    await until(() => seen.some(s => s.personId === personId && !s.online), 5000)
    wall.close()
  })
})
