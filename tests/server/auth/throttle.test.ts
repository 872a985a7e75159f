import type { ThrottleCounters } from '../../../server/auth/throttle.ts'
import type { TestApp } from '../../helpers/app.ts'
import type { TestSchema } from '../../helpers/pg.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ROLES, demoPassword } from '../../../server/auth/accounts.ts'
import { createMemoryCounters, createSignInThrottle, DEFAULT_THROTTLE } from '../../../server/auth/throttle.ts'
import { createPgThrottleCounters, PG_THROTTLE_DDL } from '../../../server/db/postgres/throttle.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { freshSchema } from '../../helpers/pg.ts'

// Sign-in is slowed per address and account, per address across accounts, and per account from anywhere, with a
// capped backoff: guessing is slow, and nobody can lock a colleague out.

// The same behaviour whether the counts are in this process or in the database every node shares.
describe.each(['memory', 'postgres'] as const)('the sign-in throttle (counts in %s)', (where) => {
  let db: TestSchema | null = null
  let counters: () => ThrottleCounters = createMemoryCounters
  beforeAll(async () => {
    if (where === 'postgres') {
      const schema = db = await freshSchema(PG_THROTTLE_DDL)
      counters = () => createPgThrottleCounters(schema.pool)
    }
  })
  afterAll(() => db?.drop())

  function throttle() {
    let t = 0
    const th = createSignInThrottle({ ...DEFAULT_THROTTLE, perPairPerMinute: 8, now: () => t, counters: counters() })
    return { th, advance: (ms: number) => (t += ms) }
  }

  it('caps failures from one address across accounts (a spray), not successes', async () => {
    const { th } = throttle()
    const answers: string[] = []
    for (let a = 0; a < 15; a++) {
      for (let i = 0; i < 3; i++) {
        const c = await th.check('203.0.113.9', `user:${a}`)
        answers.push(c.ok ? 'ok' : 'throttled')
        if (c.ok)
          await th.failed('203.0.113.9', `user:${a}`)
      }
    }
    expect(answers.filter(a => a === 'ok')).toHaveLength(30)
    expect(answers.slice(30)).toEqual(Array.from({ length: 15 }, () => 'throttled'))
    expect(await th.check('198.51.100.1', 'user:0')).toEqual({ ok: true })
  })

  it('backs off an account guessed at from many addresses, doubling up to five minutes, then lets its owner in', async () => {
    const { th, advance } = throttle()
    for (let i = 0; i < 20; i++) {
      const c = await th.check(`10.0.${i}.1`, 'user:commander')
      if (c.ok)
        await th.failed(`10.0.${i}.1`, 'user:commander')
      else
        advance(c.retryAfterMs)
    }
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      const c = await th.check('10.9.9.9', 'user:commander')
      expect(c).toMatchObject({ ok: false })
      const wait = c.ok ? 0 : c.retryAfterMs
      waits.push(wait)
      advance(wait)
      await th.failed('10.9.9.9', 'user:commander')
    }
    expect(Math.max(...waits)).toBe(DEFAULT_THROTTLE.maxBackoffMs)
    // The owner, after at most the longest wait, signs in; success clears the account's record.
    advance(DEFAULT_THROTTLE.maxBackoffMs)
    expect(await th.check('192.0.2.7', 'user:commander')).toEqual({ ok: true })
    await th.succeeded('192.0.2.7', 'user:commander')
    expect(await th.check('192.0.2.7', 'user:commander')).toEqual({ ok: true })
  })

  it('lets a colleague behind the same NAT hold an account back for a minute at most', async () => {
    const { th, advance } = throttle()
    for (let i = 0; i < 8; i++) {
      expect(await th.check('100.64.0.1', 'user:grid_worker')).toEqual({ ok: true })
      await th.failed('100.64.0.1', 'user:grid_worker')
    }
    const held = await th.check('100.64.0.1', 'user:grid_worker')
    expect(held).toMatchObject({ ok: false })
    advance(60_000)
    expect(await th.check('100.64.0.1', 'user:grid_worker')).toEqual({ ok: true })
  })
})

describe('sign-in over HTTP', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(() => t.close())

  const login = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } })

  it('answers a spray of a few guesses at every account from one address with 429 after thirty', async () => {
    const codes: number[] = []
    for (let round = 0; round < 8; round++) {
      for (const username of DEMO_ROLES)
        codes.push((await login(username, `guess-${round}`, '203.0.113.50')).statusCode)
    }
    expect(codes.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => 401))
    expect(codes.slice(30)).toEqual(Array.from({ length: codes.length - 30 }, () => 429))
    // Another address is not held back by that one.
    expect((await login('operator', demoPassword('operator'), '198.51.100.20')).statusCode).toBe(200)
  })

  it('says when to try again, in the one error shape', async () => {
    const res = await login('admin', 'wrong', '203.0.113.50')
    expect(res.statusCode).toBe(429)
    expect(res.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/try again in \d+ s/) })
    // The spray above holds the address for the rest of its window, on the server's own clock.
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(DEFAULT_THROTTLE.addressWindowMs / 1000)
  })
})
