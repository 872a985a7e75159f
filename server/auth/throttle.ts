import { createBudget } from '../kernel/rate-limit.ts'

// Sign-in attempts, throttled three ways so that guessing is slow and nobody can lock a colleague out:
//  - per address and account: a person mistyping gets `perPairPerMinute` tries a minute;
//  - per address: failures across accounts are capped, so one address cannot spray a few guesses at every
//    account (phones behind one carrier NAT share an address, but only failures count against it);
//  - per account, from any address: after `backoffAfter` failures each further attempt waits twice as long as the
//    one before, up to `maxBackoffMs`. It slows, it never locks: the account's owner can always sign in after a
//    short wait, however many addresses guess at it.

export interface ThrottleOptions {
  perPairPerMinute: number
  failuresPerAddress: number
  addressWindowMs: number
  backoffAfter: number
  maxBackoffMs: number
  now?: () => number
}

export const DEFAULT_THROTTLE: Omit<ThrottleOptions, 'perPairPerMinute'> = {
  failuresPerAddress: 30,
  addressWindowMs: 10 * 60_000,
  backoffAfter: 10,
  maxBackoffMs: 5 * 60_000,
}

export type ThrottleAnswer = { ok: true } | { ok: false, retryAfterMs: number, why: string }

export function createSignInThrottle(opts: ThrottleOptions) {
  const now = opts.now ?? Date.now
  const pairs = createBudget({ max: opts.perPairPerMinute, windowMs: 60_000, now })
  const addressFailures = new Map<string, number[]>()
  const accounts = new Map<string, { failures: number, lastAt: number }>()

  const recent = (ip: string, t: number) => (addressFailures.get(ip) ?? []).filter(at => t - at < opts.addressWindowMs)
  const backoffOf = (failures: number) => failures < opts.backoffAfter ? 0 : Math.min(opts.maxBackoffMs, 1000 * 2 ** (failures - opts.backoffAfter))

  return {
    check(ip: string, subject: string): ThrottleAnswer {
      const t = now()
      const fails = recent(ip, t)
      if (fails.length >= opts.failuresPerAddress)
        return { ok: false, retryAfterMs: fails[0]! + opts.addressWindowMs - t, why: 'too many failed sign-ins from this address' }
      const account = accounts.get(subject)
      const wait = account ? account.lastAt + backoffOf(account.failures) - t : 0
      if (wait > 0)
        return { ok: false, retryAfterMs: wait, why: 'too many failed sign-ins to this account: wait a moment' }
      const pair = pairs.take(`${ip}|${subject}`)
      if (!pair.ok)
        return { ok: false, retryAfterMs: pair.retryAfterMs, why: 'too many sign-in attempts' }
      return { ok: true }
    },
    failed(ip: string, subject: string): void {
      const t = now()
      addressFailures.set(ip, [...recent(ip, t), t])
      const a = accounts.get(subject)
      // Failures older than the longest backoff no longer count: the account starts afresh.
      const fresh = !a || t - a.lastAt > opts.maxBackoffMs * 2
      accounts.set(subject, { failures: fresh ? 1 : a.failures + 1, lastAt: t })
    },
    succeeded(_ip: string, subject: string): void {
      accounts.delete(subject)
    },
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
