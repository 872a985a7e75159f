import type { AuditEntry } from '../../../server/db/auth-store.ts'
import type { TestApp } from '../../helpers/app.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from '../../../server/db/sqlite/driver.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { auditLedger, totals } from '../../../shared/scoring/ledger.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The pioneer-index ledger in the real store: invariants under random operations with retries, and the
// HTTP routes' role checks.

const audit = (): AuditEntry => ({ at: '2026-11-01T00:00:00.000Z', actorKind: 'user', actorId: 'a', role: 'admin', ip: null, via: 'internal', action: 'points', target: null, result: 'allow', detail: null })

describe('points ledger in the store', () => {
  it('keeps balance = earned − redeemed ≥ 0, answers a retry with the first entry, and loses nothing', async () => {
    const op = fc.record({
      opId: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `op-${String(i).padStart(4, '0')}`)),
      personId: fc.constantFrom('v1', 'v2'),
      kind: fc.constantFrom('earn' as const, 'redeem' as const),
      points: fc.integer({ min: 1, max: 40 }),
    })
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      const store = createSqliteStore({ file: ':memory:' })
      await store.migrate()
      const first = new Map<string, (typeof ops)[number]>()
      const accepted: string[] = []
      // Concurrent callers: all submitted at once, each decided inside its own transaction.
      const results = await Promise.all(ops.map(o => store.scoring.appendLedger({ ...o, reason: 'task' }, 'a', '2026-11-01T00:00:00.000Z', audit)))
      ops.forEach((o, i) => {
        const res = results[i]!
        const seen = first.get(o.opId)
        if (seen) {
          const same = seen.personId === o.personId && seen.kind === o.kind && seen.points === o.points
          if (res.ok)
            expect(res.replayed).toBe(true)
          else
            expect(['conflict', 'insufficient']).toContain(res.code)
          if (!same)
            expect(res).toMatchObject({ ok: false })
          return
        }
        if (res.ok) {
          expect(res.replayed).toBe(false)
          first.set(o.opId, o)
          accepted.push(o.opId)
        }
        else {
          expect(res.code).toBe('insufficient')
        }
      })
      const entries = await store.scoring.ledger()
      expect(entries.map(e => e.opId)).toEqual(accepted)
      expect(auditLedger(entries)).toEqual([])
      for (const t of totals(entries).values()) {
        expect(t.balance).toBe(t.earned - t.redeemed)
        expect(t.balance).toBeGreaterThanOrEqual(0)
      }
      await store.close()
    }), { numRuns: 40 })
  })

  it('refuses to edit or delete an entry, in the database itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'os-ledger-'))
    const store = createSqliteStore({ file: join(dir, 'db.sqlite') })
    await store.migrate()
    await store.scoring.appendLedger({ opId: 'op-edit-0001', personId: 'v1', kind: 'earn', points: 5, reason: 'task' }, 'a', '2026-11-01T00:00:00.000Z', audit)
    const raw = new Database(join(dir, 'db.sqlite'))
    expect(() => raw.prepare('UPDATE points_ledger SET points = 500').run()).toThrow(/append-only/)
    expect(() => raw.prepare('DELETE FROM points_ledger').run()).toThrow(/append-only/)
    expect(() => raw.prepare('INSERT INTO points_ledger (op_id, person_id, kind, points, balance_after, reason, actor_id, at) VALUES (\'x\', \'v1\', \'redeem\', 9, -4, \'r\', \'a\', \'t\')').run()).toThrow(/CHECK/)
    raw.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('points routes', () => {
  let t: TestApp
  let volunteer: string
  let elsewhere: string
  const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: await t.as(who) })
  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-15T04:00:00.000Z') })
    const me = (await call('community_staff', 'GET', '/api/auth/me')).json() as { principal: { communityId: string } }
    const volunteers = t.ctx.reference.org.people.filter(p => p.forceKind === 'volunteer')
    volunteer = volunteers.find(p => p.communityId === me.principal.communityId)!.id
    elsewhere = volunteers.find(p => p.communityId !== me.principal.communityId)!.id
  })
  afterAll(() => t.close())

  it('lets community staff award points and the duty desk redeem them, once per operation id', async () => {
    const award = await call('community_staff', 'POST', '/api/points/award', { opId: 'award-00001', personId: volunteer, points: 30, reason: '防汛值守 4 小时' })
    expect(award.statusCode).toBe(201)
    expect(award.json()).toMatchObject({ kind: 'earn', points: 30, balanceAfter: 30 })
    const retry = await call('community_staff', 'POST', '/api/points/award', { opId: 'award-00001', personId: volunteer, points: 30, reason: '防汛值守 4 小时' })
    expect(retry.statusCode).toBe(200)
    expect(retry.json().seq).toBe(award.json().seq)
    const other = await call('community_staff', 'POST', '/api/points/award', { opId: 'award-00001', personId: volunteer, points: 99, reason: '另一件事' })
    // The same operation id with another entry is a reused idempotency key, as everywhere in the API.
    expect(other.statusCode).toBe(422)
    const redeem = await call('operator', 'POST', '/api/points/redeem', { opId: 'redeem-0001', personId: volunteer, points: 20, reason: '爱心超市兑换 大米 5kg' })
    expect(redeem.json()).toMatchObject({ kind: 'redeem', balanceAfter: 10 })
  })

  it('refuses a redeem beyond the balance, and audits it', async () => {
    const res = await call('operator', 'POST', '/api/points/redeem', { opId: 'redeem-0002', personId: volunteer, points: 11, reason: '兑换 电饭煲' })
    expect(res.statusCode).toBe(409)
    const fails = await t.ctx.authStore.queryAudit({ action: 'points:redeem', result: 'fail', limit: 5 })
    expect(fails[0]?.detail).toMatch(/balance 10/)
  })

  it('refuses roles that may not award or redeem, and people who are not volunteers', async () => {
    for (const who of ['grid_worker', 'force_member', 'leader', 'wall', 'post_staff'])
      expect((await call(who, 'POST', '/api/points/award', { opId: `award-${who}`, personId: volunteer, points: 5, reason: '活动' })).statusCode, who).toBe(403)
    expect((await call('community_staff', 'POST', '/api/points/redeem', { opId: 'redeem-0003', personId: volunteer, points: 1, reason: '兑换' })).statusCode).toBe(201)
    expect((await call('commander', 'POST', '/api/points/redeem', { opId: 'redeem-0004', personId: volunteer, points: 1, reason: '兑换' })).statusCode).toBe(403)
    const worker = t.ctx.reference.org.rosters[0]!.workerId
    expect((await call('admin', 'POST', '/api/points/award', { opId: 'award-nonvol', personId: worker, points: 5, reason: '活动' })).statusCode).toBe(404)
  })

  it('shows the history and the pioneer index to the desks, and the board', async () => {
    const acc = await call('community_staff', 'GET', `/api/points/${volunteer}?month=2026-11`)
    expect(acc.statusCode).toBe(200)
    expect(acc.json()).toMatchObject({ earned: 30, redeemed: 21, balance: 9, pioneerIndex: 30 })
    expect(acc.json().entries).toHaveLength(3)
    expect((await call('grid_worker', 'GET', `/api/points/${volunteer}`)).statusCode).toBe(403)
    const board = await call('wall', 'GET', '/api/points?month=2026-11')
    expect(board.json().accounts[0]).toMatchObject({ personId: volunteer, pioneerIndex: 30 })
    expect((await call('grid_worker', 'GET', '/api/points')).statusCode).toBe(403)
  })

  it('keeps community staff to the volunteers of their own community, and audits the refusal', async () => {
    const res = await call('community_staff', 'POST', '/api/points/award', { opId: 'award-elsewhere', personId: elsewhere, points: 5, reason: '跨社区活动' })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ field: 'personId' })
    const denied = await t.ctx.authStore.queryAudit({ action: 'points:award', result: 'deny', limit: 5 })
    expect(denied.some(d => d.target === elsewhere && /another community/.test(d.detail ?? ''))).toBe(true)
    // The subdistrict desks keep anyone's books.
    expect((await call('operator', 'POST', '/api/points/award', { opId: 'award-op-elsewhere', personId: elsewhere, points: 5, reason: '跨社区活动' })).statusCode).toBe(201)
  })
})

describe('my points (GET /api/points/me)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-11-15T04:00:00.000Z') })
  })
  afterAll(() => t.close())

  it('answers a volunteer\'s phone its own balance, pioneer index and history', async () => {
    const volunteer = t.ctx.reference.org.people.find(p => p.forceKind === 'volunteer')!
    const op = { personId: volunteer.id, reason: '敬老院陪护 2 小时' }
    await t.app.inject({ method: 'POST', url: '/api/points/award', headers: await t.as('admin'), payload: { ...op, opId: 'me-award-01', points: 12 } })
    await t.app.inject({ method: 'POST', url: '/api/points/redeem', headers: await t.as('admin'), payload: { ...op, opId: 'me-redeem-1', points: 5, reason: '爱心超市 洗衣液' } })
    const res = await t.app.inject({ method: 'GET', url: '/api/points/me?month=2026-11', headers: await t.phoneOf(volunteer.id) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ personId: volunteer.id, name: volunteer.name, earned: 12, redeemed: 5, balance: 7, pioneerIndex: 12 })
    expect(res.json().entries.map((e: { kind: string, balanceAfter: number }) => [e.kind, e.balanceAfter])).toEqual([['earn', 12], ['redeem', 7]])
  })

  it('says 404 to someone who is not a volunteer, 401 to no one, 400 naming a bad month', async () => {
    const worker = await t.app.inject({ method: 'GET', url: '/api/points/me', headers: await t.as('grid_worker') })
    expect(worker.statusCode).toBe(404)
    expect(worker.json().message).toMatch(/not a volunteer/)
    expect((await t.app.inject({ method: 'GET', url: '/api/points/me' })).statusCode).toBe(401)
    const bad = await t.app.inject({ method: 'GET', url: '/api/points/me?month=2026-13', headers: await t.as('grid_worker') })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().field).toBe('querystring.month')
  })
})
