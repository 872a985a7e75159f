import type { Mutation } from '../../../../server/db/store.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgStore } from '../../../../server/db/postgres/store.ts'
import { dropSchemas, newSchemaName, pgUrl } from '../../../helpers/pg.ts'
import { incidentMutation, storeIncident } from '../../../helpers/store-rows.ts'

// Two nodes on one tenant's log: each writes with group commit, the log stays gap-free and in commit order, a key
// retried through the other node is answered from the first, and each node's listeners hear every change of both
// nodes once, in seq order.

const report = (id: string): Mutation => incidentMutation(storeIncident(id), 'grid_worker')

describe('two nodes on one tenant', () => {
  const schema = newSchemaName('nodes')
  const a = createPgStore({ url: pgUrl(), schema, max: 4, pollMs: 50 })
  const b = createPgStore({ url: pgUrl(), schema, max: 4, pollMs: 50 })
  const heard = { a: [] as number[], b: [] as number[] }
  const ids = { a: new Map<number, string>(), b: new Map<number, string>() }

  beforeAll(async () => {
    await Promise.all([a.migrate(), b.migrate()])
    a.onCommit(cs => cs.forEach((c) => {
      heard.a.push(c.seq)
      ids.a.set(c.seq, c.id)
    }))
    b.onCommit(cs => cs.forEach((c) => {
      heard.b.push(c.seq)
      ids.b.set(c.seq, c.id)
    }))
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await dropSchemas(schema)
  })

  it('keeps one gap-free log, answers retries through either node once, and tells both nodes everything', async () => {
    const total = 240
    const sent = Array.from({ length: total }, (_, i) => {
      const via = i % 2 === 0 ? a : b
      const key = `k-${i}`
      const first = via.commit({ mutations: [report(`inc-${i}`)], opKey: key, result: () => ({ status: 201, body: { n: i } }) })
      // Every third request is retried at once through the other node: the same key, the same answer, no second write.
      const retry = i % 3 === 0 ? (via === a ? b : a).commit({ mutations: [report(`inc-${i}`)], opKey: key, result: () => ({ status: 201, body: { n: i } }) }) : null
      return Promise.all([first, retry])
    })
    const answers = await Promise.allSettled(sent)
    expect(answers.filter(x => x.status === 'rejected').map(x => String((x as PromiseRejectedResult).reason))).toEqual([])

    for (const [i, x] of answers.entries()) {
      const [first, retry] = (x as PromiseFulfilledResult<[Awaited<ReturnType<typeof a.commit>>, Awaited<ReturnType<typeof a.commit>> | null]>).value
      if (retry) {
        // One of the two wrote; the other is the replay of its answer (either may have won the claim).
        expect([first.replayed, retry.replayed].sort()).toEqual([false, true])
        expect((first.replayed ? first : retry).result).toEqual({ status: 201, body: { n: i } })
      }
      else {
        expect(first.replayed).toBe(false)
      }
    }

    expect(await a.head()).toBe(total)
    const counts = await a.pool.query<{ n: number, ids: number, ops: number }>('SELECT (SELECT COUNT(*) FROM changes) AS n, (SELECT COUNT(DISTINCT entity_id) FROM changes) AS ids, (SELECT COUNT(*) FROM ops) AS ops')
    expect(counts.rows[0]).toEqual({ n: total, ids: total, ops: total })

    await Promise.all([a.settle(), b.settle()])
    const all = Array.from({ length: total }, (_, i) => i + 1)
    expect(heard.a).toEqual(all)
    expect(heard.b).toEqual(all)
    const log = await a.changesSince(0, total)
    expect([...ids.a.entries()]).toEqual(log.map(c => [c.seq, c.id]))
    expect([...ids.b.entries()]).toEqual(log.map(c => [c.seq, c.id]))
  })

  it('tells a node what another committed, without it asking', async () => {
    const before = heard.b.length
    const done = await a.commit({ mutations: [report('inc-late')] })
    const seq = done.changes[0]!.seq
    await expect.poll(() => heard.b.at(-1), { timeout: 5000, interval: 20 }).toBe(seq)
    expect(heard.b.length).toBe(before + 1)
  })
})
