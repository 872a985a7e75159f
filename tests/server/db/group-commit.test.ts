import type { Mutation, Store } from '../../../server/db/store.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VersionConflictError } from '../../../server/db/errors.ts'
import { createPgStore } from '../../../server/db/postgres/store.ts'
import Database from '../../../server/db/sqlite/driver.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { newSchemaName, pgUrl } from '../../helpers/pg.ts'

// One group holds good requests next to bad ones. The good ones commit, the bad ones fail alone and leave nothing
// behind, the log stays gap-free and in the order listeners heard it, op keys replay within a group. The same
// semantics on the writer thread (a file: the default), on the caller's thread, and on PostgreSQL.

describe.each(['thread', 'inline', 'postgres'] as const)('group commit, writer on %s', (writer) => {
  let dir: string
  let file: string
  const schema = newSchemaName('group')
  let store: Store
  let t: TestApp
  const heard: Change[] = []
  /** The store as configured here (reopened by the second test): SQLite's file, or PostgreSQL's schema. */
  const open = (): Store => writer === 'postgres' ? createPgStore({ url: pgUrl(), schema, max: 4 }) : createSqliteStore({ file, writer })
  /** What the database holds, read beside the store: the log after `seq`, and the audit rows of this test. */
  async function stored(seq: number): Promise<{ log: [number, string][], audits: number }> {
    if (writer === 'postgres') {
      const pool = (store as ReturnType<typeof createPgStore>).pool
      const log = (await pool.query<{ seq: number, id: string }>('SELECT seq, entity_id AS id FROM changes WHERE seq > $1 ORDER BY seq', [seq])).rows
      const audits = (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit WHERE action = \'group-test\'')).rows[0]!.n
      return { log: log.map(r => [r.seq, r.id]), audits }
    }
    const db = new Database(file, { readonly: true })
    try {
      const log = db.prepare('SELECT seq, entity_id AS id FROM changes WHERE seq > ? ORDER BY seq').all(seq) as { seq: number, id: string }[]
      return { log: log.map(r => [r.seq, r.id]), audits: (db.prepare('SELECT COUNT(*) AS n FROM audit WHERE action = \'group-test\'').get() as { n: number }).n }
    }
    finally {
      db.close()
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'os-group-'))
    file = join(dir, 'onescreen.sqlite')
    store = open()
    t = await buildTestApp({ store })
    store.onCommit(cs => heard.push(...cs))
  })
  afterAll(async () => {
    if (writer === 'postgres')
      await (store as ReturnType<typeof createPgStore>).pool.query(`DROP SCHEMA ${schema} CASCADE`)
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function reportFour(): Promise<Incident[]> {
    const op = await t.as('operator')
    const made: Incident[] = []
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: op, payload: fixtures(t.ctx).report({ description: `第${i}件` }) })
      expect(res.statusCode).toBe(201)
      made.push(res.json() as Incident)
    }
    return made
  }

  const at = '2026-12-07T08:00:00.000Z'
  const step = (inc: Incident, version = inc.version + 1): Mutation & { kind: 'incident' } => ({
    kind: 'incident',
    incident: { ...inc, version, state: 'accepted', updatedAt: at },
    entry: { at, action: 'accept', actor: { personId: 'p-test', role: 'operator' }, from: inc.state, to: 'accepted' },
  })
  const audit = (target: string) => t.ctx.audit.entry(null, { via: 'internal', ip: null }, { action: 'group-test', target, result: 'allow' })

  it('answers each request of a group alone, replays a key within the group, and keeps the log gap-free', async () => {
    const [a, b, c, d] = await reportFour() as [Incident, Incident, Incident, Incident]
    const head0 = await store.head()
    heard.length = 0

    const first = step(a)
    const g1 = await Promise.allSettled([
      store.commit({ mutations: [first], opKey: `${writer}:1a`, audit: audit(a.id), result: () => ({ status: 200, body: first.incident }) }),
      store.commit({ mutations: [step(b, b.version + 5)], opKey: `${writer}:1b`, audit: audit(b.id) }),
      store.commit({ mutations: [step(c)], opKey: `${writer}:1c`, audit: audit(c.id) }),
      store.commit({ mutations: [step(a)], opKey: `${writer}:1a`, audit: audit(a.id) }),
    ])
    expect(g1.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    const conflict = (g1[1] as PromiseRejectedResult).reason as VersionConflictError
    expect(conflict).toBeInstanceOf(VersionConflictError)
    expect([conflict.id, conflict.stored, conflict.attempted]).toEqual([b.id, 1, 6])
    const replay = (g1[3] as PromiseFulfilledResult<Awaited<ReturnType<Store['commit']>>>).value
    expect(replay.replayed).toBe(true)
    expect(replay.result).toEqual({ status: 200, body: first.incident })
    const made = (g1[0] as PromiseFulfilledResult<Awaited<ReturnType<Store['commit']>>>).value
    expect(made.changes.map(ch => [ch.seq, ch.id, ch.action])).toEqual([[head0 + 1, a.id, 'accept']])
    expect(made.changes[0]!.data).toBe(first.incident)

    // A second mutation that conflicts after the first was written: the request is undone, its group goes on.
    const a2 = (await store.getIncidentState(a.id))!
    const c2 = (await store.getIncidentState(c.id))!
    const g2 = await Promise.allSettled([
      store.commit({ mutations: [step(b)], opKey: `${writer}:2b`, audit: audit(b.id) }),
      store.commit({ mutations: [step(d), step(a2, a2.version + 3)], opKey: `${writer}:2bad`, audit: audit(d.id) }),
      store.commit({ mutations: [step(c2), step(c2)], opKey: `${writer}:2c`, audit: audit(c.id) }),
      store.commit({ mutations: [step(a2)], opKey: `${writer}:2a`, audit: audit(a.id) }),
    ])
    expect(g2.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    expect((await store.getIncidentState(d.id))!.version).toBe(1)
    expect((await store.getIncidentState(c.id))!.version).toBe(2)
    expect((await store.getIncidentState(a.id))!.version).toBe(3)
    expect(await store.getOp(`${writer}:2bad`)).toBeNull()
    expect(await store.getOp(`${writer}:2c`)).toBeNull()
    expect((await store.getOp(`${writer}:2a`))!.status).toBe(200)

    const head = await store.head()
    expect(head).toBe(head0 + 4)
    expect(heard.map(ch => [ch.seq, ch.id])).toEqual([[head0 + 1, a.id], [head0 + 2, c.id], [head0 + 3, b.id], [head0 + 4, a.id]])
    const { log, audits } = await stored(head0)
    expect(log).toEqual(heard.map(ch => [ch.seq, ch.id]))
    expect(audits).toBe(4)
  })

  it('writes settings with a request, in its transaction, and answers a request of no change alone or in a group', async () => {
    const [a] = await reportFour() as [Incident]
    const head0 = await store.head()
    // No mutation, only an audit row and a setting: no seq, and answered (a group of it alone, then beside others).
    const alone = await store.commit({ mutations: [], audit: audit('meta-alone'), meta: [[`${writer}:k`, 'one']] })
    expect(alone.changes).toEqual([])
    expect(await store.auth.getMeta(`${writer}:k`)).toBe('one')
    const g = await Promise.allSettled([
      store.commit({ mutations: [], meta: [[`${writer}:k`, 'two']] }),
      store.commit({ mutations: [step(a)], meta: [[`${writer}:with`, 'kept']] }),
      // Refused: its setting goes with it.
      store.commit({ mutations: [step(a, a.version + 7)], meta: [[`${writer}:refused`, 'never']] }),
    ])
    expect(g.map(r => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect([await store.auth.getMeta(`${writer}:k`), await store.auth.getMeta(`${writer}:with`), await store.auth.getMeta(`${writer}:refused`)]).toEqual(['two', 'kept', null])
    expect(await store.head()).toBe(head0 + 1)
  })

  it('commits what is queued before it closes', async () => {
    const inc = (await reportFour())[0]!
    // The head first: read after the commit is queued, it may already count it (the writer has its own connection).
    const reopenedHead = await store.head()
    const pending = store.commit({ mutations: [step(inc)], opKey: `${writer}:close` })
    await t.close()
    const done = await pending
    expect(done.changes.map(ch => ch.seq)).toEqual([reopenedHead + 1])
    store = open()
    t = await buildTestApp({ store })
    expect((await store.getIncidentState(inc.id))!.version).toBe(2)
    expect(await store.head()).toBe(reopenedHead + 1)
  })
})
