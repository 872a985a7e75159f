import type { Presence } from '../../../server/sync/presence.ts'
import type { WorkerPosition } from '../../../shared/sync/schema.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPgPresenceStore, PG_PRESENCE_DDL } from '../../../server/db/postgres/presence.ts'
import { createPresence } from '../../../server/sync/presence.ts'
import { createSharedPresence } from '../../../server/sync/shared-presence.ts'
import { freshSchema } from '../../helpers/pg.ts'
import { until } from '../../helpers/until.ts'

// One node's presence behaves the same in both implementations: this process's memory (a SQLite install) and the
// tenant's database (PostgreSQL). presence-nodes.test.ts has several nodes.

interface Made { presence: Presence, close: () => Promise<void> }

const implementations: [string, () => Promise<Made>][] = [
  ['memory', async () => {
    const presence = createPresence({ intervalMs: 20 })
    return { presence, close: async () => presence.close() }
  }],
  ['PostgreSQL', async () => {
    const db = await freshSchema(PG_PRESENCE_DDL)
    const presence = createSharedPresence({ store: createPgPresenceStore(db.pool), intervalMs: 20 })
    return {
      presence,
      async close() {
        await presence.close()
        await db.drop()
      },
    }
  }],
]

const at = (minute: number) => `2026-07-15T12:${String(minute).padStart(2, '0')}:00.000Z`
const pos = (id: string, minute: number): WorkerPosition => ({ id, lon: 106.5 + minute / 1000, lat: 29.5, at: at(minute) })
const byId = (ps: WorkerPosition[]) => [...ps].sort((a, b) => a.id.localeCompare(b.id))

describe.each(implementations)('presence in %s', (_name, make) => {
  let made: Made
  let p: Presence
  beforeEach(async () => {
    made = await make()
    p = made.presence
  })
  afterEach(() => made.close())

  it('publishes each worker\'s latest reported position in the next batch and keeps it', async () => {
    const batches: WorkerPosition[][] = []
    p.onPublish(b => batches.push(b))
    p.update(pos('w1', 1))
    p.update(pos('w1', 2))
    p.update(pos('w2', 1))
    await until(() => batches.length > 0)
    expect(byId(batches[0]!), 'the first batch').toEqual([pos('w1', 2), pos('w2', 1)])
    expect(byId(p.all()), 'every worker known').toEqual([pos('w1', 2), pos('w2', 1)])
  })

  it('publishes only the workers who moved since the last batch', async () => {
    const batches: WorkerPosition[][] = []
    p.onPublish(b => batches.push(b))
    p.update(pos('w1', 1))
    p.update(pos('w2', 1))
    await until(() => batches.length > 0)
    const first = batches.length
    p.update(pos('w2', 3))
    await until(() => batches.length > first)
    expect(batches.slice(first).flat(), 'what came after the first batch').toEqual([pos('w2', 3)])
    expect(byId(p.all())).toEqual([pos('w1', 1), pos('w2', 3)])
  })

  it('announces a person online at their first socket and offline after their last', async () => {
    const events: [string, boolean][] = []
    p.onOnline((id, up) => events.push([id, up]))
    p.connect('p1')
    p.connect('p1')
    expect(p.online(), 'two sockets open').toEqual(['p1'])
    p.disconnect('p1')
    expect(p.online(), 'one socket left').toEqual(['p1'])
    p.disconnect('p1')
    await until(() => events.length >= 2)
    expect(events).toEqual([['p1', true], ['p1', false]])
    expect(p.online(), 'no socket left').toEqual([])
  })

  it('stops telling a listener that left', async () => {
    const kept: WorkerPosition[][] = []
    const left: WorkerPosition[][] = []
    p.onPublish(b => kept.push(b))
    const off = p.onPublish(b => left.push(b))
    off()
    p.update(pos('w1', 1))
    await until(() => kept.length > 0)
    expect(left).toEqual([])
  })
})
