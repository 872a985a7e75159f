// Sign-in attempts, throttled three ways so that guessing is slow and nobody can lock a colleague out:
//  - per address and account: a person mistyping gets `perPairPerMinute` tries a minute;
//  - per address: failures across accounts are capped, so one address cannot spray a few guesses at every
//    account (phones behind one carrier NAT share an address, but only failures count against it);
//  - per account, from any address: after `backoffAfter` failures each further attempt waits twice as long as the
//    one before, up to `maxBackoffMs`. It slows, it never locks: the account's owner can always sign in after a
//    short wait, however many addresses guess at it.
// The counts live in `ThrottleCounters`: this process's memory on a one-process install, the tenant's database when
// several nodes serve it (server/db/postgres/throttle.ts), so a guesser gets the same tries however many nodes there are.

export interface ThrottleOptions {
  perPairPerMinute: number
  failuresPerAddress: number
  addressWindowMs: number
  backoffAfter: number
  maxBackoffMs: number
  now?: () => number
  /** Where the counts are kept (default: this process's memory). */
  counters?: ThrottleCounters
}

export const DEFAULT_THROTTLE: Omit<ThrottleOptions, 'perPairPerMinute'> = {
  failuresPerAddress: 30,
  addressWindowMs: 10 * 60_000,
  backoffAfter: 10,
  maxBackoffMs: 5 * 60_000,
}

export type ThrottleAnswer = { ok: true } | { ok: false, retryAfterMs: number, why: string }

/** Counts by key and time (ms since the epoch); a failed sign-in is an event, a minute of attempts a window. */
export interface ThrottleCounters {
  /**
   * Counts one attempt of `key` in its window: the one begun less than `windowMs` before `at`, else a new one from
   * `at`. Answers the window's start and its count, this attempt included.
   */
  hit: (key: string, at: number, windowMs: number) => Promise<{ start: number, count: number }>
  /** Records one event of `key` at `at`. */
  record: (key: string, at: number) => Promise<void>
  /** The events of `key` at or after `from`, newest first, at most `limit` (all when omitted). */
  events: (key: string, from: number, limit?: number) => Promise<{ at: number, count: number }[]>
  /** Forgets `key`. */
  clear: (key: string) => Promise<void>
  /** Forgets every count from before `before`. */
  sweep: (before: number) => Promise<void>
}

export function createMemoryCounters(): ThrottleCounters {
  const keys = new Map<string, Map<number, number>>()
  const add = (key: string, at: number) => {
    const k = keys.get(key) ?? keys.set(key, new Map()).get(key)!
    const count = (k.get(at) ?? 0) + 1
    k.set(at, count)
    return count
  }
  return {
    async hit(key, at, windowMs) {
      // The earliest live window, as the database picks it (there it can be one of two opened at the same instant).
      const live = [...keys.get(key)?.keys() ?? []].filter(s => s > at - windowMs)
      const start = live.length ? Math.min(...live) : at
      return { start, count: add(key, start) }
    },
    async record(key, at) {
      add(key, at)
    },
    async events(key, from, limit = Infinity) {
      return [...keys.get(key) ?? []].filter(([at]) => at >= from).sort((a, b) => b[0] - a[0]).slice(0, limit).map(([at, count]) => ({ at, count }))
    },
    async clear(key) {
      keys.delete(key)
    },
    async sweep(before) {
      for (const [key, k] of keys) {
        for (const at of k.keys()) {
          if (at < before)
            k.delete(at)
        }
        if (!k.size)
          keys.delete(key)
      }
    },
  }
}

const PAIR_WINDOW_MS = 60_000
const SWEEP_EVERY_MS = 60_000

export function createSignInThrottle(opts: ThrottleOptions) {
  const now = opts.now ?? Date.now
  const counters = opts.counters ?? createMemoryCounters()
  const backoffOf = (failures: number) => failures < opts.backoffAfter ? 0 : Math.min(opts.maxBackoffMs, 1000 * 2 ** (failures - opts.backoffAfter))
  // An account's failures count while each follows the one before within twice the longest backoff; past this many
  // the backoff no longer grows, so older failures need not be read, nor kept longer than such a run can last.
  const streakGap = opts.maxBackoffMs * 2
  const saturated = opts.backoffAfter + Math.max(0, Math.ceil(Math.log2(opts.maxBackoffMs / 1000)))
  const keepMs = Math.max(PAIR_WINDOW_MS, opts.addressWindowMs, saturated * streakGap)
  let sweptAt = now()

  /** The account's current run of failures: how many and the last one's time (null when there is none). */
  async function streakOf(subject: string, t: number) {
    const events = await counters.events(`acct:${subject}`, t - keepMs, saturated)
    if (!events.length)
      return null
    let failures = events[0]!.count
    for (let i = 1; i < events.length && events[i - 1]!.at - events[i]!.at <= streakGap; i++)
      failures += events[i]!.count
    return { failures, lastAt: events[0]!.at }
  }

  return {
    async check(ip: string, subject: string): Promise<ThrottleAnswer> {
      const t = now()
      const [fails, account] = await Promise.all([counters.events(`addr:${ip}`, t - opts.addressWindowMs + 1), streakOf(subject, t)])
      if (fails.reduce((n, e) => n + e.count, 0) >= opts.failuresPerAddress)
        return { ok: false, retryAfterMs: fails.at(-1)!.at + opts.addressWindowMs - t, why: 'too many failed sign-ins from this address' }
      const wait = account ? account.lastAt + backoffOf(account.failures) - t : 0
      if (wait > 0)
        return { ok: false, retryAfterMs: wait, why: 'too many failed sign-ins to this account: wait a moment' }
      // Counted before it is answered, so attempts through several nodes at once cannot all slip under the limit.
      const pair = await counters.hit(`pair:${ip}|${subject}`, t, PAIR_WINDOW_MS)
      if (pair.count > opts.perPairPerMinute)
        return { ok: false, retryAfterMs: pair.start + PAIR_WINDOW_MS - t, why: 'too many sign-in attempts' }
      return { ok: true }
    },
    async failed(ip: string, subject: string): Promise<void> {
      const t = now()
      await Promise.all([counters.record(`addr:${ip}`, t), counters.record(`acct:${subject}`, t)])
      if (t - sweptAt > SWEEP_EVERY_MS) {
        sweptAt = t
        await counters.sweep(t - keepMs)
      }
    },
    async succeeded(_ip: string, subject: string): Promise<void> {
      await counters.clear(`acct:${subject}`)
    },
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
