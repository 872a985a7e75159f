import type { Mutation } from '../server/db/store.ts'
import type { Incident } from '../shared/incident/schema.ts'
// Correctness check of the store's group commit (run by hand after touching server/db/dialects/sqlite.ts):
//   node --import tsx bench/group-commit-check.ts
// One group holds good requests next to bad ones: a version conflict on a first mutation (fast path), a
// conflict on a second mutation after the first was written, and a request whose second mutation repeats its
// first (both force the savepoint fallback). The good ones must commit, the bad ones fail alone and leave
// nothing behind, the log stays gap-free, op keys replay within and across groups, and a reused key with
// another body is refused with 422.
import type { Change } from '../shared/sync/schema.ts'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { VersionConflictError } from '../server/db/errors.ts'
import Database from '../server/db/sqlite/driver.ts'
import { benchCall, benchContext, benchDir, reportBody } from './lib/common.ts'

async function main(): Promise<void> {
  const tmp = benchDir('gc-check')
  const file = join(tmp.dir, 'check.sqlite')
  try {
    const { ctx, store } = await benchContext(file)
    const seen: Change[] = []
    store.onCommit(cs => seen.push(...cs))
    const made: Incident[] = []
    for (let i = 0; i < 4; i++) {
      const r = await ctx.incidents.report(reportBody(ctx, i, `check ${i}`), benchCall(`check:report:${i}`))
      assert.ok(r.ok)
      made.push(r.data)
    }
    const [a, b, c, d] = made as [Incident, Incident, Incident, Incident]
    const at = new Date().toISOString()
    const step = (inc: Incident, version = inc.version + 1): Mutation => ({
      kind: 'incident',
      incident: { ...inc, version, state: 'accepted', updatedAt: at },
      entry: { at, action: 'accept', actor: { personId: 'check', role: 'operator' }, from: inc.state, to: 'accepted' },
    })
    const audit = (target: string) => ctx.audit.entry(null, { via: 'internal', ip: null }, { action: 'check', target, result: 'allow' })
    const head0 = await store.head()

    // 1. Fast path: a conflict on the first mutation fails alone; nothing else is disturbed.
    const first = step(a)
    const g1 = await Promise.allSettled([
      store.commit({ mutations: [first], opKey: 'check:1a', audit: audit(a.id), result: () => ({ status: 200, body: first.kind === 'incident' ? first.incident : null }) }),
      store.commit({ mutations: [step(b, b.version + 5)], opKey: 'check:1b', audit: audit(b.id) }),
      store.commit({ mutations: [step(c)], opKey: 'check:1c', audit: audit(c.id) }),
      store.commit({ mutations: [step(a)], opKey: 'check:1a', audit: audit(a.id) }), // same key, same group: replay
    ])
    assert.equal(g1[0].status, 'fulfilled')
    assert.ok(g1[1].status === 'rejected' && g1[1].reason instanceof VersionConflictError)
    assert.equal(g1[2].status, 'fulfilled')
    assert.ok(g1[3].status === 'fulfilled' && g1[3].value.replayed && (g1[3].value.result?.body as Incident).version === 2)
    assert.equal(seen.length, 4 + 2)

    // 2. Fallback: a second mutation conflicts after the first was written, twice.
    const a2 = (await store.getIncidentState(a.id))!
    const c2 = (await store.getIncidentState(c.id))!
    const g2 = await Promise.allSettled([
      store.commit({ mutations: [step(b)], opKey: 'check:2b', audit: audit(b.id) }),
      store.commit({ mutations: [step(d), step(a2, a2.version + 3)], opKey: 'check:2bad', audit: audit(d.id) }),
      store.commit({ mutations: [step(c2), step(c2)], opKey: 'check:2c', audit: audit(c.id) }),
      store.commit({ mutations: [step(a2)], opKey: 'check:2a', audit: audit(a.id) }),
    ])
    assert.deepEqual(g2.map(r => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    assert.ok(g2[1].status === 'rejected' && g2[1].reason instanceof VersionConflictError)
    assert.equal((await store.getIncidentState(d.id))!.version, 1, 'a failed request leaves no write behind')
    assert.equal((await store.getIncidentState(c.id))!.version, 2)
    assert.equal(await store.getOp('check:2bad'), null)
    assert.equal(await store.getOp('check:2c'), null)
    assert.equal((await store.getIncidentState(a.id))!.version, 3)
    assert.equal(seen.length, 4 + 2 + 2)

    // 3. The service: a retry returns the first result, a reused key with another body is 422, a stale act is 409.
    const r1 = await ctx.incidents.act(d.id, { action: 'accept' }, benchCall('check:svc'))
    const r2 = await ctx.incidents.act(d.id, { action: 'accept' }, benchCall('check:svc'))
    const r3 = await ctx.incidents.act(d.id, { action: 'reject', note: 'x' }, benchCall('check:svc'))
    const r4 = await ctx.incidents.act(d.id, { action: 'assign', assigneeId: 'p', expectedVersion: 1 }, benchCall('check:svc2'))
    assert.ok(r1.ok && r2.ok && r2.replayed && r2.data.version === r1.data.version)
    assert.equal(r3.ok || r3.code, 'key_reused')
    assert.equal(r4.ok || r4.code, 'conflict')
    const head = await store.head()
    ctx.presence.close()
    await store.close()

    // 4. Reopened: the log is gap-free and matches what listeners saw; history rows = incident changes.
    const db = new Database(file, { readonly: true })
    const log = db.prepare('SELECT seq, kind FROM changes WHERE seq > ? ORDER BY seq').all(head0) as { seq: number, kind: string }[]
    assert.deepEqual(log.map(r => r.seq), Array.from({ length: head - head0 }, (_, i) => head0 + i + 1))
    assert.deepEqual(seen.map(c => c.seq), Array.from({ length: seen.length }, (_, i) => seen[0]!.seq + i))
    const hist = (db.prepare('SELECT COUNT(*) AS n FROM incident_history').get() as { n: number }).n
    const incChanges = (db.prepare('SELECT COUNT(*) AS n FROM changes WHERE kind = \'incident\'').get() as { n: number }).n
    assert.equal(hist, incChanges)
    const audits = (db.prepare('SELECT COUNT(*) AS n FROM audit WHERE action = \'check\'').get() as { n: number }).n
    assert.equal(audits, 4, 'one audit row per committed request, none for failed ones')
    db.close()
    console.log('group-commit check: ok')
  }
  finally {
    tmp.cleanup()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
