import type { Config } from '../config.ts'
import type { Store } from './store.ts'
import { dbFile } from '../config.ts'
import { createPgStore } from './postgres/store.ts'
import { createSqliteStore } from './sqlite/store.ts'

/** The store the configuration names: PostgreSQL when a database URL is set (the tenant's schema), else SQLite. */
export function openStore(config: Pick<Config, 'dataDir' | 'database'>): Store {
  const { url, tenant } = config.database
  return url ? createPgStore({ url, schema: tenant }) : createSqliteStore({ file: dbFile(config) })
}
