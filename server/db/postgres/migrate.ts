import type pg from 'pg'
import { assertSchemaName, tx } from './pool.ts'

/** Every node and tenant migrates under this one lock: two nodes starting together never run a migration twice. */
const MIGRATION_LOCK = 'onescreen:migrate'

/**
 * Runs the pending migrations of one tenant's schema (created if missing) in one transaction, under a database-wide
 * advisory lock: a second node starting at the same time waits, then finds nothing left to do. DDL is transactional
 * in PostgreSQL, so a migration that fails leaves nothing half applied.
 */
export async function migrateSchema(pool: pg.Pool, schema: string, migrations: readonly string[]): Promise<number> {
  assertSchemaName(schema)
  return tx(pool, async (c) => {
    const { collation } = (await c.query<{ collation: string }>('SELECT datcollate AS collation FROM pg_database WHERE datname = current_database()')).rows[0]!
    if (!bytewise(collation))
      throw new Error(`the database's collation is ${collation}: OneScreen compares text byte by byte (ISO times, ids), as SQLite does. Create the database with LC_COLLATE 'C': CREATE DATABASE onescreen TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`)
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK])
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await c.query(`SET LOCAL search_path = ${schema}, public`)
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(r => r.version))
    let applied = 0
    for (const [i, sql] of migrations.entries()) {
      const version = i + 1
      if (done.has(version))
        continue
      await c.query(sql)
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, new Date().toISOString()])
      applied++
    }
    return applied
  })
}

/** Whether a database collation orders text byte by byte, as SQLite's BINARY does (what every query assumes). */
export function bytewise(collation: string): boolean {
  return /^(?:C|POSIX|C\.utf-?8)$/i.test(collation)
}

/** The append-only rule of a table, enforced by the database: any UPDATE (and DELETE unless `deletes`) is refused. */
export function appendOnly(table: string, opts: { deletes?: boolean, message?: string } = {}): string {
  const message = (opts.message ?? `${table} is append-only`).replace(/'/g, '\'\'')
  const ops = opts.deletes ? 'UPDATE' : 'UPDATE OR DELETE'
  return `
  CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = 'restrict_violation'; END $$;
  CREATE TRIGGER ${table}_append_only BEFORE ${ops} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_append_only();`
}
