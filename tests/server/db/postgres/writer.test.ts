import type { AuditEntry } from '../../../../server/db/auth-store.ts'
import type { Incident } from '../../../../shared/incident/schema.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VersionConflictError } from '../../../../server/db/errors.ts'
import { PG_FIND_HOTLINE_ORDER, PG_LIVE_INCIDENTS } from '../../../../server/db/postgres/core-schema.ts'
import { createPgStore } from '../../../../server/db/postgres/store.ts'
import { dropSchemas, newSchemaName, pgUrl } from '../../../helpers/pg.ts'
import { incidentMutation, STORE_AT, storeIncident } from '../../../helpers/store-rows.ts'

// A group's one-incident requests are written as one run (server/db/postgres/incident-writes.ts): new and updated incidents side
// by side, a version conflict inside the run refused alone (its history, audit row and op key never written), the
// audit rows in the requests' order, the log in the group's order.

const at = STORE_AT

const audit = (target: string): AuditEntry => ({ at, actorKind: 'person', actorId: 'p-1', role: 'operator', ip: null, via: 'internal', action: 'run-test', target, result: 'allow', detail: null })

type PgStore = ReturnType<typeof createPgStore>

/** A store on a schema of its own, opened before the tests of the describe block it is called in, dropped after. */
function ownStore(name: string, max: number): () => PgStore {
  const schema = newSchemaName(name)
  let store: PgStore | null = null
  beforeAll(async () => {
    store = createPgStore({ url: pgUrl(), schema, max })
    await store.migrate()
  })
  afterAll(async () => {
    await store?.close()
    await dropSchemas(schema)
  })
  return () => store!
}

describe('a run of one-incident requests', () => {
  const store = ownStore('run', 4)
  beforeAll(async () => {
    for (const id of ['a', 'b', 'c']) await store().commit({ mutations: [incidentMutation(storeIncident(id, 1))] })
  })

  it('writes inserts and updates together and refuses a conflict alone', async () => {
    const head0 = await store().head()
    const commit = (inc: Incident, key: string) => store().commit({ mutations: [incidentMutation(inc)], opKey: key, audit: audit(inc.id), result: () => ({ status: 200, body: inc }) })
    const got = await Promise.allSettled([
      commit(storeIncident('x', 1), 'k-x'),
      commit(storeIncident('a', 2, { assigneeId: 'p-9' }), 'k-a'),
      commit(storeIncident('b', 6), 'k-b'),
      // A report of an id already stored: refused like a stale update (c is still at 1: the next request of c waits
      // for this run).
      commit(storeIncident('c', 1), 'k-c1'),
      commit(storeIncident('c', 2), 'k-c2'),
    ] satisfies Promise<unknown>[])
    expect(got.map(r => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled'])
    const conflicts = [got[2], got[3]].map(r => (r as PromiseRejectedResult).reason as VersionConflictError)
    expect(conflicts.every(e => e instanceof VersionConflictError)).toBe(true)
    expect(conflicts.map(e => [e.id, e.stored, e.attempted])).toEqual([['b', 1, 6], ['c', 1, 1]])

    const q = async <T extends object>(sql: string) => (await store().pool.query<T>(sql)).rows
    expect(await q(`SELECT seq, entity_id AS id FROM changes WHERE seq > ${head0} ORDER BY seq`)).toEqual([
      { seq: head0 + 1, id: 'x' },
      { seq: head0 + 2, id: 'a' },
      { seq: head0 + 3, id: 'c' },
    ])
    expect(await q('SELECT id, version, assignee_id, due FROM incidents ORDER BY id')).toEqual([
      { id: 'a', version: 2, assignee_id: 'p-9', due: '2026-12-02T08:00:00.000Z' },
      { id: 'b', version: 1, assignee_id: null, due: '9999-12-31T23:59:59.999Z' },
      { id: 'c', version: 2, assignee_id: null, due: '2026-12-02T08:00:00.000Z' },
      { id: 'x', version: 1, assignee_id: null, due: '9999-12-31T23:59:59.999Z' },
    ])
    expect(await q('SELECT incident_id AS id, version FROM incident_history ORDER BY incident_id, version')).toEqual([
      { id: 'a', version: 1 },
      { id: 'a', version: 2 },
      { id: 'b', version: 1 },
      { id: 'c', version: 1 },
      { id: 'c', version: 2 },
      { id: 'x', version: 1 },
    ])
    expect((await q<{ target: string }>('SELECT target FROM audit WHERE action = \'run-test\' ORDER BY id')).map(r => r.target)).toEqual(['x', 'a', 'c'])
    // The refused requests' keys stay free; the written ones answer a retry with the incident they wrote.
    expect([await store().getOp('k-b'), await store().getOp('k-c1')]).toEqual([null, null])
    const answers = await Promise.all(['k-x', 'k-a', 'k-c2'].map(async k => (await store().getOp(k))!.body as Incident))
    expect(answers.map(inc => [inc.id, inc.version])).toEqual([['x', 1], ['a', 2], ['c', 2]])
  })

  it('takes a second request of the same incident after the run it follows', async () => {
    const head0 = await store().head()
    const a = (await store().getIncidentState('a'))!
    const next = { ...a, version: a.version + 1 }
    const got = await Promise.all([
      store().commit({ mutations: [incidentMutation(next)], audit: audit('a') }),
      store().commit({ mutations: [incidentMutation({ ...next, version: a.version + 2 })], audit: audit('a') }),
    ])
    expect(got.map(r => r.changes.map(ch => [ch.seq, ch.id]))).toEqual([[[head0 + 1, 'a']], [[head0 + 2, 'a']]])
    expect((await store().getIncidentState('a'))!.version).toBe(a.version + 2)
  })

  it('refuses a request PostgreSQL itself rejects alone, and writes the rest of its run', async () => {
    const head0 = await store().head()
    // A NUL in a 12345 order's document (the API refuses it, the store is called directly here): the hotline index
    // casts the document to jsonb, which refuses \u0000, and that aborts the transaction the whole run was in.
    const bad = { ...storeIncident('nul', 1), description: 'bad\u0000byte', hotline: { orderNo: 'NUL-1', requests: [], marks: [] } }
    // The writer busy with one request, the next four queue into one group: a run (p, the bad one), a request of
    // settings only (which ends the run: it is written before it), then q.
    const busy = store().commit({ mutations: [incidentMutation(storeIncident('o', 1))] })
    const got = await Promise.allSettled([
      store().commit({ mutations: [incidentMutation(storeIncident('p', 1))], opKey: 'k-p', audit: audit('p'), result: () => ({ status: 201, body: 'p' }) }),
      store().commit({ mutations: [incidentMutation(bad)], opKey: 'k-nul', audit: audit('nul'), result: () => ({ status: 201, body: 'nul' }) }),
      store().commit({ mutations: [], meta: [['run-test', 'kept']] }),
      store().commit({ mutations: [incidentMutation(storeIncident('q', 1))], opKey: 'k-q', audit: audit('q'), result: () => ({ status: 201, body: 'q' }) }),
    ])
    await busy
    expect(got.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    expect(got.flatMap(r => r.status === 'fulfilled' ? r.value.changes.map(ch => [ch.seq, ch.id]) : [])).toEqual([[head0 + 2, 'p'], [head0 + 3, 'q']])
    expect([await store().getIncidentState('nul'), await store().getOp('k-nul')]).toEqual([null, null])
    expect(await store().head()).toBe(head0 + 3)
  })
})

describe('the writer\'s connection', () => {
  const store = ownStore('busy', 2)

  it('commits while slow reads hold every connection of the pool', async () => {
    let readsDone = false
    const reads = Promise.all([1, 2].map(() => store().pool.query('SELECT pg_sleep(1.5)'))).then(() => (readsDone = true))
    await new Promise(resolve => setTimeout(resolve, 100)) // both connections taken
    const got = await store().commit({ mutations: [incidentMutation(storeIncident('busy-1', 1))] })
    expect([got.changes.map(c => c.id), readsDone]).toEqual([['busy-1'], false])
    await reads
  })
})

describe('the 12345 order lookup', () => {
  const store = ownStore('hotline', 2)

  it('finds an order by its number and reporter, and not a description that quotes the key', async () => {
    const order = (orderNo: string) => ({ orderNo, requests: [], marks: [] })
    await store().commit({ mutations: [incidentMutation({ ...storeIncident('h1', 1), hotline: order('A-1') } as Incident)] })
    await store().commit({ mutations: [incidentMutation({ ...storeIncident('h2', 1), reporterId: 'p-2', hotline: order('A-1') } as Incident)] })
    await store().commit({ mutations: [incidentMutation({ ...storeIncident('h3', 1), description: '"orderNo":"A-1"' })] })
    expect((await store().findHotlineOrder('p-1', 'A-1'))?.id).toBe('h1')
    expect((await store().findHotlineOrder('p-2', 'A-1'))?.id).toBe('h2')
    expect(await store().findHotlineOrder('p-1', 'A-2')).toBeNull()
  })

  it('reads the order and the live set through the partial indexes', async () => {
    // A few rows only: the planner is kept off sequential scans to show which index it can use at all.
    const c = await store().pool.connect()
    try {
      await c.query('SET enable_seqscan = off')
      const plan = async (sql: string, params: unknown[]) => (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map(r => r['QUERY PLAN']).join('\n')
      expect(await plan(PG_FIND_HOTLINE_ORDER, ['A-1', 'p-1'])).toContain('incidents_hotline_order')
      expect(await plan(PG_LIVE_INCIDENTS, [at])).toContain('incidents_finished_at')
    }
    finally {
      await c.query('RESET enable_seqscan')
      c.release()
    }
  })
})
