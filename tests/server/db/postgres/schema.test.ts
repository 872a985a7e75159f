import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgStore } from '../../../../server/db/postgres/store.ts'
import Database from '../../../../server/db/sqlite/driver.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { newSchemaName, pgUrl } from '../../../helpers/pg.ts'

// Both dialects' migrations carry the same tables and columns: a change lands in both lists or this fails, naming
// the table and the column missing on either side.

/** Tables only one dialect has, and why. */
const ONLY_POSTGRES = new Set([
  'log_head', // the counter row: SQLite's single writer reads MAX(seq) instead
  'photos', // photo bytes every node reads; SQLite installs keep them as files
  'sign_in_throttle', // sign-in counts every node shares; one SQLite process counts in memory
  'presence_nodes', // each node's heartbeat; one SQLite process keeps presence in memory
  'presence_online', // who is connected through which node
  'presence_positions', // the latest position of each worker, whichever node it came through
])
const ONLY_SQLITE = new Set<string>([])

type Columns = Map<string, string[]>

async function sqliteColumns(): Promise<Columns> {
  const dir = await import('node:fs').then(fs => fs.mkdtempSync('/tmp/os-schema-'))
  const file = `${dir}/s.sqlite`
  const store = createSqliteStore({ file, writer: 'inline' })
  await store.migrate()
  await store.close()
  const db = new Database(file, { readonly: true })
  try {
    const tables = (db.prepare('SELECT name FROM sqlite_master WHERE type = \'table\' AND name NOT LIKE \'sqlite_%\' AND name <> \'schema_migrations\'').all() as { name: string }[]).map(t => t.name)
    return new Map(tables.map(t => [t, (db.pragma(`table_info(${t})`) as { name: string }[]).map(c => c.name).sort()]))
  }
  finally {
    db.close()
  }
}

describe('the two dialects\' schemas', () => {
  const schema = newSchemaName('schema')
  const pg = createPgStore({ url: pgUrl(), schema, max: 2 })
  let lite: Columns
  let post: Columns
  beforeAll(async () => {
    lite = await sqliteColumns()
    await pg.migrate()
    const rows = (await pg.pool.query<{ t: string, c: string }>('SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name <> \'schema_migrations\'', [schema])).rows
    post = new Map()
    for (const r of rows) post.set(r.t, [...post.get(r.t) ?? [], r.c].sort())
  })
  afterAll(async () => {
    await pg.pool.query(`DROP SCHEMA ${schema} CASCADE`)
    await pg.close()
  })

  it('have the same tables', () => {
    const liteTables = [...lite.keys()].filter(t => !ONLY_SQLITE.has(t)).sort()
    const postTables = [...post.keys()].filter(t => !ONLY_POSTGRES.has(t)).sort()
    expect({ missingInPostgres: liteTables.filter(t => !post.has(t)), missingInSqlite: postTables.filter(t => !lite.has(t)) }).toEqual({ missingInPostgres: [], missingInSqlite: [] })
  })

  it('have the same columns in every table', () => {
    const differ: Record<string, { sqlite: string[], postgres: string[] }> = {}
    for (const [t, cols] of lite) {
      const other = post.get(t)
      if (other && other.join() !== cols.join())
        differ[t] = { sqlite: cols.filter(c => !other.includes(c)), postgres: other.filter(c => !cols.includes(c)) }
    }
    expect(differ).toEqual({})
  })
})
