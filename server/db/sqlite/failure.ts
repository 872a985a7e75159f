import type { StoreProblem } from '../errors.ts'
import { StoreUnavailableError } from '../errors.ts'

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

/**
 * Wraps every method of a store object so that a SQLite failure of the store itself surfaces as one
 * StoreUnavailableError (answered 503 with what to fix), sync or async alike; other errors pass unchanged.
 */
export function withStoreErrors<T extends object>(target: T): T {
  const rethrow = (e: unknown): never => {
    throw storeProblemOf(e) ?? e
  }
  const out = { ...target } as Record<string, unknown>
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== 'function')
      continue
    out[key] = (...args: unknown[]) => {
      try {
        const r = (value as (...a: unknown[]) => unknown).apply(target, args)
        return r instanceof Promise ? r.catch(rethrow) : r
      }
      catch (e) {
        return rethrow(e)
      }
    }
  }
  return out as T
}
