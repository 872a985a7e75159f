import type { PoolClient, QueryResultRow } from 'pg'
import pg from 'pg'

// The connection pool of one tenant: every statement runs with the tenant's schema first on its search_path, so the
// same SQL serves every tenant (one schema each: its own tables, its own change log and counter row).

export interface PgOptions {
  /** postgres://user@host:port/database */
  url: string
  /** The tenant's schema (letters, digits, underscores). */
  schema: string
  /** Connections of this pool (default 8). */
  max?: number
}

/** int8 (counts, seqs) as a JavaScript number: every seq and count fits well inside 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`not a usable schema name: ${JSON.stringify(schema)} (lower-case letters, digits and underscores)`)
  return schema
}

/**
 * PostgreSQL's text cannot hold U+0000, which SQLite stores and compares like any character: a NUL in a parameter
 * becomes U+FFFD, so a lookup by such a value finds nothing (as on SQLite: no stored id has either) instead of failing
 * the statement, and free text keeps its other characters. Documents are JSON text, where JSON.stringify has already
 * escaped a NUL as \u0000: they are unchanged.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value
  if (Array.isArray(value))
    return value.map(withoutNul)
  return value
}

class Client extends pg.Client {
  override query(...args: unknown[]): never {
    if (Array.isArray(args[1]))
      args[1] = args[1].map(withoutNul)
    else if (args[0] && typeof args[0] === 'object' && Array.isArray((args[0] as { values?: unknown }).values))
      args[0] = { ...(args[0] as object), values: (args[0] as { values: unknown[] }).values.map(withoutNul) }
    return (super.query as (...a: unknown[]) => never)(...args)
  }
}

export function createPool(opts: PgOptions): pg.Pool {
  const schema = assertSchemaName(opts.schema)
  const pool = new pg.Pool({
    Client,
    connectionString: opts.url,
    max: opts.max ?? 8,
    types,
    options: `-c search_path=${schema},public`,
    application_name: 'onescreen',
  })
  // An idle connection that dies (the server restarted) must not take the process down: the next query reconnects.
  pool.on('error', () => {})
  return pool
}

export type Queryable = pg.Pool | PoolClient

/** The rows of one statement. */
export async function rows<T extends QueryResultRow>(db: Queryable, text: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(text, params)).rows
}

/** The first row of one statement, or null. */
export async function one<T extends QueryResultRow>(db: Queryable, text: string, params: unknown[] = []): Promise<T | null> {
  return (await db.query<T>(text, params)).rows[0] ?? null
}

/**
 * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. `begin`
 * names another start (an isolation level, READ ONLY).
 */
export async function tx<T>(pool: pg.Pool, fn: (c: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect()
  try {
    await c.query(begin)
    const out = await fn(c)
    await c.query('COMMIT')
    return out
  }
  catch (e) {
    await c.query('ROLLBACK').catch(() => {})
    throw e
  }
  finally {
    c.release()
  }
}
