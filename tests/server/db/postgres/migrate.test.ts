import type { TestSchema } from '../../../helpers/pg.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { appendOnly, bytewise, migrateSchema } from '../../../../server/db/postgres/migrate.ts'
import { freshSchema } from '../../../helpers/pg.ts'

const MIGRATIONS = [
  'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);',
  `CREATE TABLE b (id INTEGER PRIMARY KEY); ${appendOnly('b')}`,
  'ALTER TABLE a ADD COLUMN w TEXT;',
]

describe('postgres migrations', () => {
  let t: TestSchema
  afterEach(async () => t.drop())

  it('applies each migration once, even when several nodes start together', async () => {
    t = await freshSchema()
    const applied = await Promise.all([1, 2, 3, 4].map(() => migrateSchema(t.pool, t.schema, MIGRATIONS)))
    expect(applied.reduce((a, b) => a + b, 0)).toBe(3)
    expect(applied.filter(n => n === 3)).toHaveLength(1)
    const versions = await t.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    expect(versions.rows.map(r => r.version)).toEqual([1, 2, 3])
    expect(await migrateSchema(t.pool, t.schema, [...MIGRATIONS, 'ALTER TABLE a ADD COLUMN x TEXT;'])).toBe(1)
  })

  it('leaves nothing half applied when a migration fails', async () => {
    t = await freshSchema()
    await expect(migrateSchema(t.pool, t.schema, [MIGRATIONS[0]!, 'ALTER TABLE nowhere ADD COLUMN z TEXT;'])).rejects.toThrow(/nowhere/)
    const tables = await t.pool.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [t.schema])
    expect(tables.rows).toEqual([])
  })

  it('refuses updates and deletes of an append-only table in the database itself', async () => {
    t = await freshSchema()
    await migrateSchema(t.pool, t.schema, MIGRATIONS)
    await t.pool.query('INSERT INTO b (id) VALUES (1)')
    await expect(t.pool.query('UPDATE b SET id = 2')).rejects.toThrow(/b is append-only/)
    await expect(t.pool.query('DELETE FROM b')).rejects.toThrow(/b is append-only/)
    expect((await t.pool.query('SELECT id FROM b')).rows).toEqual([{ id: 1 }])
  })
})

describe('the database collation', () => {
  it('is accepted only when it orders text byte by byte, as SQLite does', () => {
    expect(['C', 'POSIX', 'C.UTF-8', 'C.utf8'].map(bytewise)).toEqual([true, true, true, true])
    expect(['en_US.UTF-8', 'zh_CN.UTF-8', 'und-x-icu'].map(bytewise)).toEqual([false, false, false])
  })
})
