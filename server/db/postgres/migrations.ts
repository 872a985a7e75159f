import { PG_CORE_DDL } from './core-schema.ts'

// Ordered migrations of a tenant's schema on PostgreSQL. Append only: never edit a migration that has shipped. The
// first is the whole schema as SQLite's migrations had left it when this dialect arrived (#19); from here on a change
// lands in both dialects' lists together (tests/server/db/postgres/schema.test.ts compares the two).
export const PG_MIGRATIONS: string[] = [
  PG_CORE_DDL,
]
