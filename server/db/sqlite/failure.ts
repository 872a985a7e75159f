import type { StoreProblem } from '../errors.ts'
import { StoreUnavailableError, withProblems } from '../errors.ts'

// SQLite's result codes for "the store cannot do this now", as opposed to a bug or a constraint: a full disk, a
// read-only file or directory, another process holding the write lock past busy_timeout, an I/O error.
const PROBLEMS: [string, StoreProblem][] = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'cannot_open'],
  ['SQLITE_PROTOCOL', 'busy'],
]

/** The store-level meaning of an error thrown by better-sqlite3, or null when it is something else. */
export function storeProblemOf(e: unknown): StoreUnavailableError | null {
  if (e instanceof StoreUnavailableError)
    return e
  const code = (e as { code?: unknown })?.code
  if (typeof code !== 'string')
    return null
  const hit = PROBLEMS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))
  return hit ? new StoreUnavailableError(hit[1], code, { cause: e }) : null
}

/** Every method of a SQLite store object with SQLite's failures as one StoreUnavailableError (errors.ts). */
export function withStoreErrors<T extends object>(target: T): T {
  return withProblems(target, storeProblemOf)
}
