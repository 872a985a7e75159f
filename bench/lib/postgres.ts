import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import pg from 'pg'
import { freePort } from '../../scripts/free-port.ts'
import { now } from './common.ts'

/** How many connections the plain-INSERT baseline uses (the 16 clients). */
export const PLAIN_CLIENTS = 16

/** The bench's PostgreSQL: the one named, or a throwaway cluster started as the tests start theirs. */
export async function startPg(): Promise<{ url: string, version: string, stop: () => void }> {
  const given = process.env.ONESCREEN_BENCH_PG_URL
  const script = resolve(import.meta.dirname, '../../scripts/pg-local.sh')
  const started = given ? null : execFileSync('bash', [script, String(await freePort())], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').slice(-2) as [string, string]
  const url = given ?? started![1]
  const stop = () => started && execFileSync('bash', [script, 'stop', started[0]], { stdio: 'ignore' })
  const c = new pg.Client({ connectionString: url })
  try {
    await c.connect()
    const version = (await c.query<{ v: string }>('SELECT current_setting(\'server_version\') AS v')).rows[0]!.v
    return { url, version, stop }
  }
  catch (e) {
    stop()
    throw e
  }
  finally {
    await c.end().catch(() => {})
  }
}

/** PostgreSQL's own: `clients` connections, each INSERTing one row per autocommit transaction into a bare table. */
export async function plainInserts(url: string, schema: string, seconds: number, payload: string): Promise<{ rate: number, n: number, errors: string[] }> {
  const clients = await Promise.all(Array.from({ length: PLAIN_CLIENTS }, async () => {
    const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await c.connect()
    return c
  }))
  try {
    await clients[0]!.query('CREATE TABLE IF NOT EXISTS plain_rows (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data TEXT NOT NULL)')
    const before = Number((await clients[0]!.query<{ n: string }>('SELECT COUNT(*) AS n FROM plain_rows')).rows[0]!.n)
    let n = 0
    const t0 = now()
    const until = t0 + seconds * 1000
    await Promise.all(clients.map(async (c) => {
      while (now() < until) {
        await c.query('INSERT INTO plain_rows (data) VALUES ($1)', [payload])
        n++
      }
    }))
    const elapsed = now() - t0
    const after = Number((await clients[0]!.query<{ n: string }>('SELECT COUNT(*) AS n FROM plain_rows')).rows[0]!.n)
    return { rate: n / (elapsed / 1000), n, errors: after - before === n ? [] : [`plain inserts: ${n} acknowledged, ${after - before} rows stored`] }
  }
  finally {
    await Promise.all(clients.map(c => c.end()))
  }
}
