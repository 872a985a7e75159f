/** A write raced another write of the same entity; the caller re-reads and retries or answers 409. */
export class VersionConflictError extends Error {
  constructor(readonly id: string, readonly stored: number, readonly attempted: number) {
    super(`version conflict on ${id}: stored ${stored}, attempted ${attempted}`)
  }
}

export type StoreProblem = 'full' | 'read_only' | 'busy' | 'io' | 'cannot_open' | 'object_storage'

const ADVICE: Record<StoreProblem, string> = {
  full: 'the disk is full: free space on the data volume',
  read_only: 'the data directory or database file is read-only: make it writable by the user running OneScreen',
  busy: 'another process holds the database write lock: stop it (a second server, a backup tool holding a write transaction)',
  io: 'the disk reported an I/O error: check the volume',
  cannot_open: 'the database file cannot be opened: check the data directory exists and is writable',
  object_storage: 'the photo storage (S3-compatible) did not answer or refused: check that it runs, that the bucket exists and that the key may read and write it',
}

/** The store cannot commit now (disk full, read-only, locked by another process, I/O error): writes fail, reads go on. */
export class StoreUnavailableError extends Error {
  constructor(readonly problem: StoreProblem, readonly detail: string, options?: { cause?: unknown }) {
    super(`the store cannot write now: ${ADVICE[problem]} (${detail})`, options)
  }
}

/** The store could not be opened at start: the message names the file and the fix; no stack trace is needed. */
export class StoreOpenError extends Error {
  constructor(readonly file: string, detail: string, options?: { cause?: unknown }) {
    super(`cannot open the store at ${file}: ${detail}. Fix the permissions of that directory (the user running OneScreen must be able to write it) or point ONESCREEN_DATA_DIR at a writable directory.`, options)
  }
}

/**
 * Wraps every method of a store object so that a failure of the store itself (as the dialect's `problemOf` reads
 * it) surfaces as one StoreUnavailableError (answered 503 with what to fix), sync or async alike; other errors pass
 * unchanged.
 */
export function withProblems<T extends object>(target: T, problemOf: (e: unknown) => StoreUnavailableError | null): T {
  const rethrow = (e: unknown): never => {
    throw problemOf(e) ?? e
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
