import type { Failure } from '../../shared/kernel/result.ts'
import type { Call } from '../audit/service.ts'
import { fail } from '../../shared/kernel/result.ts'

// A fixed-window budget per key (a caller, an address, an account). In memory: one process holds one budget;
// a multi-node install moves it to the shared store (#19). HTTP routes and socket handlers take from the same
// budget, so a caller cannot go around an HTTP limit by sending the same action over its socket.

export interface Budget {
  /** Takes one unit; `retryAfterMs` says when the next is available when none is left. */
  take: (key: string) => { ok: true } | { ok: false, retryAfterMs: number }
  /** Gives one unit back (the action turned out to be a free replay of a stored request). */
  refund: (key: string) => void
}

export function createBudget(opts: { max: number, windowMs: number, now?: () => number }): Budget {
  const now = opts.now ?? Date.now
  const windows = new Map<string, { start: number, used: number }>()
  let sweptAt = now()
  function windowOf(key: string, t: number) {
    // Forget ended windows now and then, so a long-running server keeps only the active callers.
    if (t - sweptAt > opts.windowMs) {
      sweptAt = t
      for (const [k, w] of windows) {
        if (t - w.start >= opts.windowMs)
          windows.delete(k)
      }
    }
    let w = windows.get(key)
    if (!w || t - w.start >= opts.windowMs)
      windows.set(key, w = { start: t, used: 0 })
    return w
  }
  return {
    take(key) {
      const t = now()
      const w = windowOf(key, t)
      if (w.used >= opts.max)
        return { ok: false, retryAfterMs: w.start + opts.windowMs - t }
      w.used++
      return { ok: true }
    },
    refund(key) {
      const w = windows.get(key)
      if (w && w.used > 0)
        w.used--
    },
  }
}

/** What a caller over HTTP or a socket may do in a minute; in-process callers (simulator, drill, jobs) are not limited. */
export interface Limits {
  reports: Budget
  actions: Budget
  logReads: Budget
  photos: Budget
}

export function createLimits(perMinute: { reports: number, actions: number, logReads: number, photos: number }, now?: () => number): Limits {
  const minute = (max: number) => createBudget({ max, windowMs: 60_000, now })
  return { reports: minute(perMinute.reports), actions: minute(perMinute.actions), logReads: minute(perMinute.logReads), photos: minute(perMinute.photos) }
}

/**
 * Takes one unit of `budget` for a caller over HTTP or a socket (in-process callers are not limited); a refusal
 * says when to try again.
 */
export function spend(budget: Budget | undefined, call: Call, what: string): Failure | null {
  if (!budget || call.origin.via === 'internal')
    return null
  const t = budget.take(call.principal.id)
  if (t.ok)
    return null
  const seconds = Math.ceil(t.retryAfterMs / 1000)
  return fail('rate_limited', `too many ${what} from this caller: try again in ${seconds} s`, undefined, { retryAfterSeconds: seconds })
}
