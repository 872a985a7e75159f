import type pg from 'pg'
import type { ScanWrite, SubscriptionRow, WebhookStore } from '../../../../server/webhooks/store.ts'
import type { HistoryEntry, IncidentState } from '../../../../shared/incident/schema.ts'
import type { TestSchema } from '../../../helpers/pg.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createPgWebhookStore, PG_WEBHOOK_DDL } from '../../../../server/db/postgres/webhooks.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { freshSchema } from '../../../helpers/pg.ts'
import { makeIncident } from '../../../shared/fixtures.ts'

interface Made {
  store: WebhookStore
  /** An incident's history, versions 1…n, as the log keeps it. */
  history: (incidentId: string, entries: HistoryEntry[]) => Promise<void>
  close: () => Promise<void>
}

async function pgHistory(pool: pg.Pool, incidentId: string, entries: HistoryEntry[]): Promise<void> {
  // The main PostgreSQL store is not ours to use here: the log's rows go in as it writes them.
  for (const [i, e] of entries.entries())
    await pool.query('INSERT INTO incident_history (incident_id, version, at, action, actor_id, actor_role, data) VALUES ($1, $2, $3, $4, $5, $6, $7)', [incidentId, i + 1, e.at, e.action, e.actor.personId, e.actor.role, JSON.stringify(e)])
}

async function makePg(): Promise<Made & { t: TestSchema }> {
  const t = await freshSchema(PG_CORE_DDL + PG_WEBHOOK_DDL)
  return { t, store: createPgWebhookStore(t.pool), history: (id, entries) => pgHistory(t.pool, id, entries), close: () => t.drop() }
}

const dialects: [string, () => Promise<Made>][] = [
  ['sqlite', async () => {
    const s = createSqliteStore({ file: ':memory:' })
    await s.migrate()
    return {
      store: s.webhooks,
      async history(id, entries) {
        for (const [i, entry] of entries.entries())
          await s.commit({ mutations: [{ kind: 'incident', incident: makeIncident({ id, version: i + 1, state: entry.to }), entry }] })
      },
      close: () => s.close(),
    }
  }],
  ['postgres', makePg],
]

const at = (minute: number) => new Date(Date.UTC(2025, 6, 1, 8, minute)).toISOString()
const subscription = (keyId: string, minute: number, cursor = 0): Omit<SubscriptionRow, 'paused'> => ({ keyId, url: `https://hook.example/${keyId}`, secret: `s-${keyId}`, enabled: true, cursor, createdAt: at(minute), updatedAt: at(minute) })
const entry = (minute: number, from: IncidentState | null, to: IncidentState, action: HistoryEntry['action']): HistoryEntry => ({ at: at(minute), action, actor: { personId: 'p-op', role: 'operator' }, from, to })
const event = (keyId: string, seq: number, incidentId = `inc-${seq}`) => ({ eventId: `${seq}:${incidentId}`, keyId, seq, incidentId, action: 'report', body: JSON.stringify({ seq, incidentId }), createdAt: at(seq) })
const scan = (w: Partial<ScanWrite> & Pick<ScanWrite, 'cursor' | 'keyIds'>): ScanWrite => ({ events: [], links: [], unlinked: [], ...w })

describe.each(dialects)('webhook store on %s', (_, make) => {
  let m: Made
  afterEach(async () => m.close())

  it('saves a subscription, then changes its address, secret and switch but keeps its cursor, pause and creation', async () => {
    m = await make()
    expect(await m.store.getSubscription('k1')).toBeNull()
    await m.store.saveSubscription(subscription('k1', 1, 40))
    expect(await m.store.getSubscription('k1')).toEqual({ ...subscription('k1', 1, 40), paused: false })
    expect(await m.store.setPaused('k1', true, at(2))).toBe(true)
    await m.store.saveSubscription({ ...subscription('k1', 9, 99), url: 'https://other.example/', secret: 'new', enabled: false, updatedAt: at(3) })
    expect(await m.store.getSubscription('k1')).toEqual({ keyId: 'k1', url: 'https://other.example/', secret: 'new', enabled: false, paused: true, cursor: 40, createdAt: at(1), updatedAt: at(3) })
  })

  it('pauses and resumes a subscription, and says when there is none', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1))
    expect(await m.store.setPaused('k1', true, at(5))).toBe(true)
    expect(await m.store.getSubscription('k1')).toMatchObject({ paused: true, updatedAt: at(5) })
    expect(await m.store.setPaused('k1', false, at(6))).toBe(true)
    expect(await m.store.getSubscription('k1')).toMatchObject({ paused: false, updatedAt: at(6) })
    expect(await m.store.setPaused('nobody', true, at(7))).toBe(false)
  })

  it('lists subscriptions by creation, with their backlog, last delivery and the error holding them back', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k2', 2))
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k3', 3))
    await m.store.enqueue(scan({ cursor: 5, keyIds: ['k1', 'k2', 'k3'], events: [event('k1', 1), event('k1', 2), event('k1', 3), event('k2', 4)] }))
    await m.store.markDelivered('1:inc-1', 200, at(20))
    await m.store.markFailed('2:inc-2', { status: 500, error: 'boom', at: at(21), nextAt: at(30) })
    await m.store.markFailed('3:inc-3', { status: null, error: 'later one', at: at(22), nextAt: at(30) })
    expect((await m.store.subscriptions()).map(s => [s.keyId, s.cursor])).toEqual([['k1', 5], ['k2', 5], ['k3', 5]])
    expect((await m.store.listSubscriptions()).map(s => [s.keyId, s.backlog, s.lastDeliveredAt, s.lastError])).toEqual([
      ['k1', 2, at(20), 'boom'],
      ['k2', 1, null, null],
      ['k3', 0, null, null],
    ])
    expect(await m.store.backlog()).toBe(3)
  })

  it('reads an incident\'s history up to a version, oldest first', async () => {
    m = await make()
    const steps = [entry(1, null, 'reported', 'report'), entry(2, 'reported', 'accepted', 'accept'), entry(3, 'accepted', 'resolved', 'resolve')]
    await m.history('inc-1', steps)
    await m.history('inc-2', [entry(4, null, 'reported', 'report')])
    expect(await m.store.history('inc-1', 2)).toEqual(steps.slice(0, 2))
    expect(await m.store.history('inc-1', 9)).toEqual(steps)
    expect(await m.store.history('inc-1', 0)).toEqual([])
    expect(await m.store.history('inc-9', 9)).toEqual([])
  })

  it('writes a scan\'s events once, moves each cursor forward only and keeps the merge links it learnt', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1, 0))
    await m.store.saveSubscription(subscription('k2', 2, 50))
    // k2 is past this range (the worker leaves it out of keyIds) but still learns the links in it.
    const w = scan({ cursor: 10, keyIds: ['k1'], events: [event('k1', 3), event('k1', 7), { ...event('k1', 3), body: 'second' }], links: [{ masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' }, { masterId: 'm1', incidentId: 'inc-7', keyId: 'k1' }, { masterId: 'm2', incidentId: 'inc-8', keyId: 'k2' }] })
    await m.store.enqueue(w)
    await m.store.enqueue(w)
    expect((await m.store.recent('k1', 10)).map(r => [r.eventId, r.body])).toEqual([['7:inc-7', JSON.stringify({ seq: 7, incidentId: 'inc-7' })], ['3:inc-3', JSON.stringify({ seq: 3, incidentId: 'inc-3' })]])
    expect((await m.store.subscriptions()).map(s => s.cursor)).toEqual([10, 50])
    expect(await m.store.mergedInto(['m1', 'm2', 'm9'])).toEqual([
      { masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' },
      { masterId: 'm1', incidentId: 'inc-7', keyId: 'k1' },
      { masterId: 'm2', incidentId: 'inc-8', keyId: 'k2' },
    ])
    expect(await m.store.mergedInto([])).toEqual([])
    // The next step: inc-3 reopened (unlinked), inc-7 merged elsewhere (unlinked, then linked anew), a link replaced.
    await m.store.enqueue(scan({ cursor: 20, keyIds: ['k1'], events: [event('k1', 15)], unlinked: ['inc-3', 'inc-7'], links: [{ masterId: 'm3', incidentId: 'inc-7', keyId: 'k1' }, { masterId: 'm2', incidentId: 'inc-8', keyId: 'k9' }, { masterId: 'm2', incidentId: 'inc-8', keyId: 'k1' }] }))
    expect(await m.store.mergedInto(['m1', 'm2', 'm3'])).toEqual([
      { masterId: 'm2', incidentId: 'inc-8', keyId: 'k1' },
      { masterId: 'm3', incidentId: 'inc-7', keyId: 'k1' },
    ])
    expect((await m.store.getSubscription('k1'))!.cursor).toBe(20)
    expect((await m.store.getSubscription('k2'))!.cursor).toBe(50)
  })

  it('gives a subscription\'s oldest undelivered event, records each attempt and makes every waiting one due at once', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k2', 1))
    expect(await m.store.nextPending('k1')).toBeNull()
    await m.store.enqueue(scan({ cursor: 9, keyIds: ['k1', 'k2'], events: [event('k1', 5, 'b'), event('k1', 5, 'a'), event('k1', 2), event('k2', 1)] }))
    expect(await m.store.nextPending('k1')).toEqual({ ...event('k1', 2), nextAt: at(2), attempts: 0, lastStatus: null, lastError: null, lastAttemptAt: null, deliveredAt: null })
    await m.store.markFailed('2:inc-2', { status: 503, error: 'x'.repeat(600), at: at(10), nextAt: at(12) })
    const failed = await m.store.nextPending('k1')
    expect(failed).toMatchObject({ eventId: '2:inc-2', attempts: 1, lastStatus: 503, lastAttemptAt: at(10), nextAt: at(12), deliveredAt: null })
    expect(failed!.lastError).toBe('x'.repeat(500))
    await m.store.markDelivered('2:inc-2', 204, at(13))
    expect((await m.store.nextPending('k1'))!.eventId).toBe('5:a')
    await m.store.markFailed('5:a', { status: null, error: 'refused', at: at(14), nextAt: at(40) })
    expect(await m.store.retryNow('k1', at(15))).toBe(2)
    expect((await m.store.recent('k1', 10)).map(r => [r.eventId, r.nextAt, r.attempts, r.lastStatus, r.lastError, r.deliveredAt])).toEqual([
      ['5:b', at(15), 0, null, null, null],
      ['5:a', at(15), 1, null, 'refused', null],
      ['2:inc-2', at(12), 2, 204, null, at(13)],
    ])
    expect(await m.store.retryNow('nobody', at(15))).toBe(0)
  })

  it('answers a subscription\'s newest events, newest first, at most the limit', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k2', 1))
    await m.store.enqueue(scan({ cursor: 9, keyIds: ['k1', 'k2'], events: [event('k1', 1), event('k1', 4), event('k2', 5), event('k1', 3)] }))
    expect((await m.store.recent('k1', 2)).map(r => r.seq)).toEqual([4, 3])
    expect((await m.store.recent('k1', 10)).map(r => r.seq)).toEqual([4, 3, 1])
    expect(await m.store.recent('k9', 10)).toEqual([])
  })

  it('deletes a subscription with its events and merge links, and nothing of another', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k2', 2))
    await m.store.enqueue(scan({ cursor: 9, keyIds: ['k1', 'k2'], events: [event('k1', 1), event('k2', 2)], links: [{ masterId: 'm1', incidentId: 'inc-1', keyId: 'k1' }, { masterId: 'm1', incidentId: 'inc-2', keyId: 'k2' }] }))
    expect(await m.store.deleteSubscription('k1')).toBe(true)
    expect(await m.store.deleteSubscription('k1')).toBe(false)
    expect(await m.store.getSubscription('k1')).toBeNull()
    expect(await m.store.recent('k1', 10)).toEqual([])
    expect(await m.store.backlog()).toBe(1)
    expect(await m.store.mergedInto(['m1'])).toEqual([{ masterId: 'm1', incidentId: 'inc-2', keyId: 'k2' }])
    expect((await m.store.subscriptions()).map(s => s.keyId)).toEqual(['k2'])
  })

  it('forgets delivered events older than a time, never a waiting one', async () => {
    m = await make()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.enqueue(scan({ cursor: 9, keyIds: ['k1'], events: [event('k1', 1), event('k1', 2), event('k1', 3)] }))
    await m.store.markDelivered('1:inc-1', 200, at(10))
    await m.store.markDelivered('2:inc-2', 200, at(20))
    expect(await m.store.prune(at(15))).toBe(1)
    expect(await m.store.prune(at(59))).toBe(1)
    expect((await m.store.recent('k1', 10)).map(r => r.eventId)).toEqual(['3:inc-3'])
    expect(await m.store.backlog()).toBe(1)
  })
})

// SQLite has one writer; on PostgreSQL several nodes run the worker and may scan the same range at once.
describe('webhook scans from several nodes on postgres', () => {
  let m: Awaited<ReturnType<typeof makePg>>
  afterEach(async () => m.close())

  it('queues the events of a range two nodes scanned at once only once', async () => {
    m = await makePg()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k2', 2))
    const nodes = [1, 2, 3, 4].map(n => scan({ cursor: 10, keyIds: ['k1', 'k2'], events: [event('k1', 3), event('k2', 6)].map(e => ({ ...e, createdAt: at(n) })), links: [{ masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' }] }))
    await Promise.all(nodes.map(w => m.store.enqueue(w)))
    expect((await m.store.recent('k1', 10)).map(r => r.eventId)).toEqual(['3:inc-3'])
    expect((await m.store.recent('k2', 10)).map(r => r.eventId)).toEqual(['6:inc-6'])
    expect(await m.store.backlog()).toBe(2)
    expect(await m.store.mergedInto(['m1'])).toEqual([{ masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' }])
    expect((await m.store.subscriptions()).map(s => s.cursor)).toEqual([10, 10])
  })

  it('leaves what a later step wrote alone when a slower node writes the same range after it', async () => {
    m = await makePg()
    await m.store.saveSubscription(subscription('k1', 1))
    const slow = scan({ cursor: 10, keyIds: ['k1'], events: [event('k1', 3)], links: [{ masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' }] })
    await m.store.enqueue(slow)
    await m.store.markDelivered('3:inc-3', 200, at(30))
    await m.store.prune(at(31))
    // The fast node went on: inc-3 was reopened, its link dropped.
    await m.store.enqueue(scan({ cursor: 20, keyIds: ['k1'], events: [event('k1', 12)], unlinked: ['inc-3'] }))
    await m.store.enqueue(slow)
    expect(await m.store.mergedInto(['m1'])).toEqual([])
    expect((await m.store.recent('k1', 10)).map(r => r.eventId)).toEqual(['12:inc-12'])
    expect((await m.store.getSubscription('k1'))!.cursor).toBe(20)
  })

  it('writes only the part past the cursor of a key another node took part of the way', async () => {
    m = await makePg()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.enqueue(scan({ cursor: 5, keyIds: ['k1'], events: [event('k1', 3)] }))
    await m.store.markDelivered('3:inc-3', 200, at(30))
    await m.store.prune(at(31))
    await m.store.enqueue(scan({ cursor: 10, keyIds: ['k1'], events: [event('k1', 3), event('k1', 8)] }))
    expect((await m.store.recent('k1', 10)).map(r => r.eventId)).toEqual(['8:inc-8'])
    expect((await m.store.getSubscription('k1'))!.cursor).toBe(10)
  })

  it('leaves nothing behind for a subscription deleted while a scan was under way', async () => {
    m = await makePg()
    await m.store.saveSubscription(subscription('k1', 1))
    await m.store.saveSubscription(subscription('k2', 2))
    const w = scan({ cursor: 10, keyIds: ['k1', 'k2'], events: [event('k1', 3), event('k2', 4)], links: [{ masterId: 'm1', incidentId: 'inc-3', keyId: 'k1' }] })
    await Promise.all([m.store.deleteSubscription('k1'), m.store.enqueue(w)])
    expect(await m.store.recent('k1', 10)).toEqual([])
    expect(await m.store.mergedInto(['m1'])).toEqual([])
    expect((await m.store.recent('k2', 10)).map(r => r.eventId)).toEqual(['4:inc-4'])
    expect(await m.store.backlog()).toBe(1)
  })
})
