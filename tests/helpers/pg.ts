import type pg from 'pg'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { createPool } from '../../server/db/postgres/pool.ts'

// A tenant schema of its own for each test that needs PostgreSQL: tests run in parallel on one cluster without
// seeing each other's rows. `drop()` removes the schema and closes the pool.

declare module 'vitest' {
  export interface ProvidedContext { pgUrl: string }
}

export function pgUrl(): string {
  return inject('pgUrl')
}

export function newSchemaName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}

export interface TestSchema { schema: string, pool: pg.Pool, drop: () => Promise<void> }

/** A new empty schema (and a pool whose search_path is it); `ddl` is run in it first when given. */
export async function freshSchema(ddl?: string): Promise<TestSchema> {
  const schema = newSchemaName()
  const pool = createPool({ url: pgUrl(), schema, max: 4 })
  await pool.query(`CREATE SCHEMA ${schema}`)
  if (ddl)
    await pool.query(ddl)
  return {
    schema,
    pool,
    async drop() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {})
      await pool.end()
    },
  }
}

/** Drops the schemas a test's stores made (each store's own pool is closed by the store). */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  const { default: pgClient } = await import('pg')
  const c = new pgClient.Client({ connectionString: pgUrl() })
  await c.connect()
  await c.query(schemas.map(s => `DROP SCHEMA IF EXISTS ${s} CASCADE`).join('; ')).finally(() => c.end())
}
