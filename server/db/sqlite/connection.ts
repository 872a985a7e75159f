import type { Database as Db } from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { StoreOpenError } from '../errors.ts'
import Database from './driver.ts'

/** Opens (and creates) the database file with the store's pragmas, or says which file could not be opened and what to do. */
export function openConnection(file: string, busyMs: number): Db {
  try {
    if (file !== ':memory:')
      mkdirSync(dirname(file), { recursive: true })
    const db: Db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${busyMs}`)
    return db
  }
  catch (e) {
    const code = (e as { code?: string }).code ?? 'error'
    throw new StoreOpenError(file, `${code}: ${(e as Error).message}`, { cause: e })
  }
}
