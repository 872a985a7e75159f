import type pg from 'pg'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { Params } from '../queue.ts'
import type { IncidentQuery, QueueCounts } from '../store.ts'
import { countsOf, countsSql, ORDER, parseRows, queueWhere, TOTAL_BOUND } from '../queue.ts'

// The desk's queue on PostgreSQL: the WHERE clauses of server/db/queue.ts with their named parameters turned into
// positional ones. `instr` is a SQL function of the core schema (strpos), so the clauses read the same in both.

/** `@name` parameters as `$n`, each name once. */
export function positional(sql: string, p: Params): { text: string, values: unknown[] } {
  const index = new Map<string, number>()
  const values: unknown[] = []
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    let n = index.get(name)
    if (n === undefined) {
      if (!(name in p))
        throw new Error(`no value for @${name}`)
      values.push(p[name])
      n = values.length
      index.set(name, n)
    }
    return `$${n}`
  })
  return { text, values }
}

export function createPgQueueQueries(pool: pg.Pool) {
  const run = async <T extends pg.QueryResultRow>(sql: string, p: Params): Promise<T[]> => {
    const { text, values } = positional(sql, p)
    return (await pool.query<T>(text, values)).rows
  }
  return {
    async query(q: IncidentQuery): Promise<{ items: Incident[], total: number, more: boolean }> {
      const p: Params = {}
      const where = queueWhere(q, p)
      // Counted up to a bound, as on SQLite: past it the desk says "10,000+".
      const [counted] = await run<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM incidents WHERE ${where} LIMIT ${TOTAL_BOUND + 1}) AS m`, p)
      const items = parseRows(await run(`SELECT data FROM incidents WHERE ${where} ${ORDER} LIMIT @limit OFFSET @offset`, { ...p, limit: q.limit, offset: q.offset }))
      return { items, total: Math.min(counted!.n, TOTAL_BOUND), more: counted!.n > TOTAL_BOUND }
    },
    async counts(q: Pick<IncidentQuery, 'reach' | 'personId' | 'myPostId' | 'now'>): Promise<QueueCounts> {
      const p: Params = {}
      return countsOf(await run<{ state: string, n: number, late: number, mine: number }>(countsSql(q, p), p))
    },
  }
}
