import type { AuditEntry } from '../../../../server/db/auth-store.ts'
import type { ScoringStore } from '../../../../server/db/scoring-store.ts'
import type { LedgerOp } from '../../../../shared/scoring/ledger.ts'
import type { MonthResult, Patrol } from '../../../../shared/scoring/schema.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createPool } from '../../../../server/db/postgres/pool.ts'
import { createPgScoring, PG_SCORING_DDL } from '../../../../server/db/postgres/scoring.ts'
import { openConnection } from '../../../../server/db/sqlite/connection.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { auditLedger } from '../../../../shared/scoring/ledger.ts'
import { freshSchema, pgUrl } from '../../../helpers/pg.ts'

// The scoring store's contract, run on both dialects. Incidents and their history are put in place as rows (the same
// SQL on both), as the stores' own writers would leave them. `peer` is a second node on the same data: on PostgreSQL
// its own pool, so races between nodes are real; SQLite has one writer, so there it is the same store.

interface Harness {
  store: ScoringStore
  peer: ScoringStore
  /** One statement with `?` placeholders; its rows. */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>
  close: () => Promise<void>
}

async function sqlite(): Promise<Harness> {
  // A file, not ':memory:': the fixture rows need a connection of their own, and an in-memory database has only one.
  const dir = mkdtempSync(join(tmpdir(), 'scoring-'))
  const file = join(dir, 'store.db')
  const s = createSqliteStore({ file, writer: 'inline' })
  await s.migrate()
  const raw = openConnection(file, 5000)
  return {
    store: s.scoring,
    peer: s.scoring,
    async sql<T>(text: string, params: unknown[] = []) {
      const st = raw.prepare(text)
      if (st.reader)
        return st.all(...params) as T[]
      st.run(...params)
      return []
    },
    async close() {
      raw.close()
      await s.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function postgres(): Promise<Harness> {
  const t = await freshSchema(PG_CORE_DDL + PG_SCORING_DDL)
  const other = createPool({ url: pgUrl(), schema: t.schema, max: 4 })
  return {
    store: createPgScoring(t.pool),
    peer: createPgScoring(other),
    async sql<T>(text: string, params: unknown[] = []) {
      let n = 0
      return (await t.pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[]
    },
    async close() {
      await other.end()
      await t.drop()
    },
  }
}

const FROM = '2025-03-01T00:00:00.000Z'
const TO = '2025-04-01T00:00:00.000Z'

function patrol(id: string, at: string, o: Partial<Patrol> = {}): Patrol {
  return {
    id,
    personId: 'gw-1',
    gridId: 'g-01',
    at,
    location: { lon: 106.5712345, lat: 29.5612345 },
    note: null,
    device: null,
    recordedAt: at,
    ...o,
  }
}

function auditEntry(action: string, result: AuditEntry['result'] = 'allow', detail: string | null = null): AuditEntry {
  return {
    at: FROM,
    actorKind: 'person',
    actorId: 'desk-1',
    role: 'operator',
    ip: '10.0.0.7',
    via: 'http',
    action,
    target: 'gw-1',
    result,
    detail,
  }
}

function op(opId: string, kind: LedgerOp['kind'], points: number, personId = 'vol-1', reason = '防汛值守'): LedgerOp {
  return { opId, personId, kind, points, reason, ref: null }
}

function month(m: string, frozenAt: string, configVersion = 'v1'): MonthResult {
  return ({ month: m, frozenAt, configVersion, scores: [], rankings: {}, headline: [], config: { version: configVersion } }) as unknown as MonthResult
}

describe.each([
  { dialect: 'sqlite', open: sqlite },
  { dialect: 'postgres', open: postgres },
])('scoring store on $dialect', ({ open }) => {
  let h: Harness
  beforeEach(async () => {
    h = await open()
  })
  afterEach(() => h.close())

  const audits = () => h.sql<{ action: string, result: string, detail: string | null }>('SELECT action, result, detail FROM audit ORDER BY id')
  const append = (store: ScoringStore, o: LedgerOp, at = '2025-03-10T08:00:00.000Z') =>
    store.appendLedger(o, 'desk-1', at, (result, detail) => auditEntry(`points.${o.kind}`, result, detail))

  async function incident(id: string, o: { reportedAt: string, open?: boolean, finishedAt?: string | null, category?: string, severity?: number | string | null }): Promise<void> {
    const data = { id, reportedAt: o.reportedAt, category: o.category ?? 'road', severity: 'severity' in o ? o.severity : 3 }
    // `category` as the store's writer fills it (the desk's column beside the JSON).
    await h.sql('INSERT INTO incidents (id, version, state, open, reported_at, finished_at, category, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [id, 1, o.open === false ? 'closed' : 'reported', o.open === false ? 0 : 1, o.reportedAt, o.finishedAt ?? null, data.category, JSON.stringify(data)])
  }
  async function step(incidentId: string, version: number, at: string, to: string): Promise<void> {
    await h.sql('INSERT INTO incident_history (incident_id, version, at, action, actor_id, actor_role, data) VALUES (?, ?, ?, ?, ?, ?, ?)', [incidentId, version, at, to === 'reported' ? 'report' : 'advance', 'gw-1', 'grid_worker', JSON.stringify({ version, at, to })])
  }

  describe('patrols', () => {
    it('stores a check-in with its audit row and answers a retry of its key with the first check-in', async () => {
      const first = patrol('pt-1', '2025-03-02T09:00:00.000Z', { note: '巡查河堤', device: 'phone' })
      expect(await h.store.addPatrol(first, 'gw-1:k1', auditEntry('patrol.check_in'))).toEqual({ patrol: first, replayed: false })
      const retry = patrol('pt-2', '2025-03-02T09:05:00.000Z')
      expect(await h.store.addPatrol(retry, 'gw-1:k1', auditEntry('patrol.check_in'))).toEqual({ patrol: first, replayed: true })
      expect(await h.store.listPatrols(FROM, TO)).toEqual([first])
      expect(await audits()).toEqual([{ action: 'patrol.check_in', result: 'allow', detail: null }])
    })

    it('keeps every check-in without a key', async () => {
      await h.store.addPatrol(patrol('pt-1', '2025-03-02T09:00:00.000Z'), null, auditEntry('patrol.check_in'))
      await h.store.addPatrol(patrol('pt-2', '2025-03-02T09:00:00.000Z'), null, auditEntry('patrol.check_in'))
      expect((await h.store.listPatrols(FROM, TO)).map(p => p.id)).toEqual(['pt-1', 'pt-2'])
      expect(await audits()).toHaveLength(2)
    })

    it('stores one check-in when two nodes get the same retry at once', async () => {
      const tries = await Promise.all([0, 1, 2, 3].map(i =>
        (i % 2 ? h.peer : h.store).addPatrol(patrol(`pt-${i}`, '2025-03-02T09:00:00.000Z'), 'gw-1:same', auditEntry('patrol.check_in'))))
      expect(tries.filter(t => !t.replayed)).toHaveLength(1)
      const stored = tries.find(t => !t.replayed)!.patrol
      expect(tries.map(t => t.patrol)).toEqual([stored, stored, stored, stored])
      expect(await h.store.listPatrols(FROM, TO)).toEqual([stored])
      expect(await audits()).toHaveLength(1)
    })

    it('lists the check-ins of [from, to) by time, then id', async () => {
      await h.store.importPatrols([
        patrol('pt-c', '2025-03-05T10:00:00.000Z'),
        patrol('pt-b', '2025-03-05T10:00:00.000Z', { personId: 'gw-2', note: '夜巡', device: 'ua' }),
        patrol('pt-a', '2025-03-31T23:59:59.999Z'),
        patrol('pt-z', FROM),
        patrol('pt-to', TO),
        patrol('pt-before', '2025-02-28T23:59:59.999Z'),
      ])
      const listed = await h.store.listPatrols(FROM, TO)
      expect(listed.map(p => p.id)).toEqual(['pt-z', 'pt-b', 'pt-c', 'pt-a'])
      expect(listed[1]).toEqual(patrol('pt-b', '2025-03-05T10:00:00.000Z', { personId: 'gw-2', note: '夜巡', device: 'ua' }))
      expect(await audits()).toEqual([])
    })

    it('imports all or nothing', async () => {
      await h.store.importPatrols([])
      await h.store.importPatrols([patrol('pt-1', '2025-03-02T09:00:00.000Z')])
      await expect(h.store.importPatrols([patrol('pt-2', '2025-03-03T09:00:00.000Z'), patrol('pt-1', '2025-03-04T09:00:00.000Z')])).rejects.toThrow()
      expect((await h.store.listPatrols(FROM, TO)).map(p => p.id)).toEqual(['pt-1'])
    })

    it('refuses to change or remove a check-in', async () => {
      await h.store.importPatrols([patrol('pt-1', '2025-03-02T09:00:00.000Z')])
      await expect(h.sql('UPDATE patrols SET note = ?', ['x'])).rejects.toThrow(/patrols is append-only/)
      await expect(h.sql('DELETE FROM patrols')).rejects.toThrow(/patrols is append-only/)
      expect(await h.store.listPatrols(FROM, TO)).toHaveLength(1)
    })
  })

  describe('history reads', () => {
    it('gives the incidents touched in the month or open at its end, each with its whole history in order', async () => {
      await incident('i-a', { reportedAt: '2025-02-20T08:00:00.000Z', open: false, finishedAt: '2025-03-03T08:00:00.000Z' })
      await step('i-a', 2, '2025-03-03T08:00:00.000Z', 'closed')
      await step('i-a', 1, '2025-02-20T08:00:00.000Z', 'reported')
      await incident('i-b', { reportedAt: '2025-01-05T08:00:00.000Z' }) // open at the month's end, nothing in it
      await step('i-b', 1, '2025-01-05T08:00:00.000Z', 'reported')
      await incident('i-c', { reportedAt: '2025-01-05T08:00:00.000Z', open: false, finishedAt: '2025-02-01T08:00:00.000Z' })
      await step('i-c', 1, '2025-01-05T08:00:00.000Z', 'reported')
      await incident('i-d', { reportedAt: '2025-02-05T08:00:00.000Z', open: false, finishedAt: TO }) // finished after the month
      await incident('i-e', { reportedAt: TO }) // reported after the month
      await step('i-e', 1, TO, 'reported')
      await incident('i-f', { reportedAt: '2025-02-05T08:00:00.000Z', open: false, finishedAt: '2025-02-28T08:00:00.000Z' })
      await step('i-f', 3, FROM, 'closed') // a step at the month's first instant counts

      const got = await h.store.incidentsForMonth(FROM, TO)
      expect(got.map(r => r.incident.id)).toEqual(['i-a', 'i-b', 'i-d', 'i-f'])
      expect(got[0]).toEqual({
        incident: { id: 'i-a', reportedAt: '2025-02-20T08:00:00.000Z', category: 'road', severity: 3 },
        history: [
          { version: 1, at: '2025-02-20T08:00:00.000Z', to: 'reported' },
          { version: 2, at: '2025-03-03T08:00:00.000Z', to: 'closed' },
        ],
      })
      expect(got[2]!.history).toEqual([])
      expect(await h.store.incidentsForMonth('2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z')).toEqual([])
    })

    it('counts incidents closed in the month once each, and the urgent among them', async () => {
      expect(await h.store.countClosed(FROM, TO, 2)).toEqual({ closed: 0, urgent: 0 })
      await incident('i-1', { reportedAt: '2025-03-01T08:00:00.000Z', severity: 1 })
      await step('i-1', 1, '2025-03-02T08:00:00.000Z', 'closed')
      await step('i-1', 2, '2025-03-03T08:00:00.000Z', 'processing')
      await step('i-1', 3, '2025-03-04T08:00:00.000Z', 'closed') // reopened and closed again: still one
      await incident('i-2', { reportedAt: '2025-03-01T08:00:00.000Z', severity: 2 })
      await step('i-2', 1, '2025-03-31T23:59:59.999Z', 'closed')
      await incident('i-3', { reportedAt: '2025-03-01T08:00:00.000Z', severity: 4 })
      await step('i-3', 1, '2025-03-05T08:00:00.000Z', 'closed')
      await incident('i-4', { reportedAt: '2025-03-01T08:00:00.000Z', severity: null })
      await step('i-4', 1, '2025-03-05T08:00:00.000Z', 'closed')
      await incident('i-5', { reportedAt: '2025-03-01T08:00:00.000Z', severity: 1 })
      await step('i-5', 1, TO, 'closed') // closed after the month
      await step('i-5', 2, '2025-03-06T08:00:00.000Z', 'processing')
      expect(await h.store.countClosed(FROM, TO, 2)).toEqual({ closed: 4, urgent: 2 })
      expect(await h.store.countClosed(FROM, TO, 0)).toEqual({ closed: 4, urgent: 0 })
    })

    it('counts the incidents reported in [from, to) by category', async () => {
      expect(await h.store.countReported(FROM, TO)).toEqual({})
      await incident('i-1', { reportedAt: FROM, category: 'road' })
      await incident('i-2', { reportedAt: '2025-03-09T08:00:00.000Z', category: 'road' })
      await incident('i-3', { reportedAt: '2025-03-09T08:00:00.000Z', category: 'water' })
      await incident('i-4', { reportedAt: TO, category: 'water' })
      await incident('i-5', { reportedAt: '2025-02-09T08:00:00.000Z', category: 'noise' })
      expect(await h.store.countReported(FROM, TO)).toEqual({ road: 2, water: 1 })
    })

    it('finds the earliest incident step or patrol', async () => {
      expect(await h.store.earliestRecord()).toBeNull()
      await h.store.importPatrols([patrol('pt-1', '2025-02-02T09:00:00.000Z')])
      expect(await h.store.earliestRecord()).toBe('2025-02-02T09:00:00.000Z')
      await incident('i-1', { reportedAt: '2025-01-09T08:00:00.000Z' })
      await step('i-1', 1, '2025-01-09T08:00:00.000Z', 'reported')
      expect(await h.store.earliestRecord()).toBe('2025-01-09T08:00:00.000Z')
    })
  })

  describe('frozen months', () => {
    it('keeps the first freeze of a month', async () => {
      expect(await h.store.getFrozen('2025-03')).toBeNull()
      const first = month('2025-03', '2025-04-01T00:05:00.000Z')
      expect(await h.store.freeze(first)).toEqual(first)
      expect(await h.store.freeze(month('2025-03', '2025-04-02T00:00:00.000Z', 'v2'))).toEqual(first)
      await h.store.freeze(month('2025-01', '2025-02-01T00:05:00.000Z'))
      expect(await h.store.getFrozen('2025-03')).toEqual(first)
      expect(await h.store.frozenMonths()).toEqual(['2025-01', '2025-03'])
    })

    it('answers every node the same month when two freeze it at once', async () => {
      const got = await Promise.all([0, 1, 2, 3].map(i =>
        (i % 2 ? h.peer : h.store).freeze(month('2025-03', `2025-04-01T00:0${i}:00.000Z`))))
      const stored = await h.store.getFrozen('2025-03')
      expect(got).toEqual([stored, stored, stored, stored])
      expect(await h.store.frozenMonths()).toEqual(['2025-03'])
    })

    it('refuses to change or remove a frozen month', async () => {
      await h.store.freeze(month('2025-03', '2025-04-01T00:05:00.000Z'))
      await expect(h.sql('UPDATE score_months SET data = ?', ['{}'])).rejects.toThrow(/a frozen month never changes/)
      await expect(h.sql('DELETE FROM score_months')).rejects.toThrow(/a frozen month never changes/)
      expect(await h.store.frozenMonths()).toEqual(['2025-03'])
    })
  })

  describe('points ledger', () => {
    it('appends entries with the balance after each, and an audit row for each', async () => {
      const earned = await append(h.store, { ...op('op-0001', 'earn', 40), ref: 'act-7' })
      expect(earned).toEqual({ ok: true, replayed: false, entry: { seq: expect.any(Number), opId: 'op-0001', personId: 'vol-1', kind: 'earn', points: 40, balanceAfter: 40, reason: '防汛值守', ref: 'act-7', actorId: 'desk-1', at: '2025-03-10T08:00:00.000Z' } })
      const redeemed = await append(h.store, op('op-0002', 'redeem', 15))
      expect(redeemed.ok && redeemed.entry).toMatchObject({ kind: 'redeem', points: 15, balanceAfter: 25, ref: null })
      expect(redeemed.ok && earned.ok && redeemed.entry.seq > earned.entry.seq).toBe(true)
      expect(await audits()).toEqual([
        { action: 'points.earn', result: 'allow', detail: null },
        { action: 'points.redeem', result: 'allow', detail: null },
      ])
    })

    it('refuses a redeem beyond the balance and points that are not a positive integer, with a failed audit row', async () => {
      await append(h.store, op('op-0001', 'earn', 10))
      expect(await append(h.store, op('op-0002', 'redeem', 11))).toEqual({ ok: false, code: 'insufficient', message: 'balance 10 is less than the 11 points asked for' })
      expect(await append(h.store, op('op-0003', 'earn', 1.5))).toEqual({ ok: false, code: 'invalid', message: 'points must be a positive integer, got 1.5' })
      expect(await append(h.store, op('op-0004', 'redeem', 5, 'vol-2'))).toMatchObject({ ok: false, code: 'insufficient' })
      expect((await h.store.ledger()).map(e => e.opId)).toEqual(['op-0001'])
      expect((await audits()).map(a => [a.result, a.detail])).toEqual([
        ['allow', null],
        ['fail', 'balance 10 is less than the 11 points asked for'],
        ['fail', 'points must be a positive integer, got 1.5'],
        ['fail', 'balance 0 is less than the 5 points asked for'],
      ])
    })

    it('answers a repeated op id with its entry, or a conflict when the body differs', async () => {
      const first = await append(h.store, op('op-0001', 'earn', 10))
      expect(await append(h.store, op('op-0001', 'earn', 10), '2025-03-11T08:00:00.000Z')).toEqual({ ...first, replayed: true })
      const conflict = { ok: false, code: 'conflict', message: 'operation op-0001 was already used for another entry' }
      expect(await append(h.store, op('op-0001', 'earn', 11))).toEqual(conflict)
      expect(await append(h.store, op('op-0001', 'redeem', 10))).toEqual(conflict)
      expect(await append(h.store, op('op-0001', 'earn', 10, 'vol-2'))).toEqual(conflict)
      expect(await append(h.store, op('op-0001', 'earn', 10, 'vol-1', '别的'))).toEqual(conflict)
      expect(await h.store.ledger()).toHaveLength(1)
      expect(await audits()).toHaveLength(1)
    })

    it('lets exactly the redeems that fit through when nodes redeem for one person at once', async () => {
      await append(h.store, op('op-0000', 'earn', 100))
      const got = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        append(i % 2 ? h.peer : h.store, op(`op-r${i}`, 'redeem', 30))))
      expect(got.filter(r => r.ok)).toHaveLength(3)
      expect(got.filter(r => !r.ok).map(r => !r.ok && r.code)).toEqual(Array.from({ length: 5 }, () => 'insufficient'))
      const ledger = await h.store.ledger('vol-1')
      expect(ledger.map(e => e.balanceAfter)).toEqual([100, 70, 40, 10])
      expect(auditLedger(ledger)).toEqual([])
      expect((await audits()).map(a => a.result).sort()).toEqual(['allow', 'allow', 'allow', 'allow', 'fail', 'fail', 'fail', 'fail', 'fail'])
    })

    it('keeps each person\'s chain when nodes append for several people at once', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) =>
        append(i % 2 ? h.peer : h.store, op(`op-e${i}`, 'earn', i + 1, `vol-${i % 3}`))))
      const ledger = await h.store.ledger()
      expect(auditLedger(ledger)).toEqual([])
      expect(ledger.filter(e => e.personId === 'vol-0').at(-1)!.balanceAfter).toBe(1 + 4 + 7 + 10)
    })

    it('stores one entry when a retry reaches two nodes at once', async () => {
      const same = await Promise.all([0, 1, 2, 3].map(i => append(i % 2 ? h.peer : h.store, op('op-0001', 'earn', 10))))
      expect(same.filter(r => r.ok && !r.replayed)).toHaveLength(1)
      expect(new Set(same.map(r => r.ok && r.entry.seq)).size).toBe(1)
      // The same op id for two people at once: one entry, the other a conflict (never a constraint error).
      const two = await Promise.all([append(h.store, op('op-0002', 'earn', 5, 'vol-2')), append(h.peer, op('op-0002', 'earn', 5, 'vol-3'))])
      expect(two.map(r => r.ok ? 'ok' : r.code).sort()).toEqual(['conflict', 'ok'])
      expect((await h.store.ledger()).map(e => e.opId)).toEqual(['op-0001', 'op-0002'])
      expect(await audits()).toHaveLength(2)
    })

    it('lists one person\'s entries or all, in order, and sums the points earned in [from, to)', async () => {
      await append(h.store, op('op-0001', 'earn', 10, 'vol-1'), '2025-02-28T23:59:59.999Z')
      await append(h.store, op('op-0002', 'earn', 20, 'vol-2'), FROM)
      await append(h.store, op('op-0003', 'earn', 5, 'vol-1'), '2025-03-15T08:00:00.000Z')
      await append(h.store, op('op-0004', 'redeem', 12, 'vol-1'), '2025-03-16T08:00:00.000Z')
      await append(h.store, op('op-0005', 'earn', 7, 'vol-1'), TO)
      expect((await h.store.ledger()).map(e => e.opId)).toEqual(['op-0001', 'op-0002', 'op-0003', 'op-0004', 'op-0005'])
      expect((await h.store.ledger('vol-1')).map(e => [e.opId, e.balanceAfter])).toEqual([['op-0001', 10], ['op-0003', 15], ['op-0004', 3], ['op-0005', 10]])
      expect(await h.store.ledger('nobody')).toEqual([])
      expect(await h.store.earnedBetween(FROM, TO)).toEqual(new Map([['vol-1', 5], ['vol-2', 20]]))
      expect(await h.store.earnedBetween(TO, '2025-05-01T00:00:00.000Z')).toEqual(new Map([['vol-1', 7]]))
    })

    it('imports entries in order under the same balance rule, without audit rows, and counts the refused', async () => {
      await append(h.store, op('op-0001', 'earn', 10))
      const at = '2025-03-20T08:00:00.000Z'
      const refused = await h.store.importLedger([
        { op: op('imp-1', 'redeem', 25), actorId: 'demo', at }, // beyond the stored 10
        { op: op('imp-2', 'earn', 20), actorId: 'demo', at },
        { op: op('imp-3', 'redeem', 25), actorId: 'demo', at }, // fits after imp-2
        { op: op('imp-4', 'redeem', 6, 'vol-2'), actorId: 'demo', at },
        { op: op('imp-5', 'earn', 0, 'vol-2'), actorId: 'demo', at },
        { op: op('imp-6', 'earn', 6, 'vol-2'), actorId: 'demo', at },
      ])
      expect(refused).toBe(3)
      const ledger = await h.store.ledger()
      expect(ledger.map(e => [e.opId, e.personId, e.balanceAfter, e.actorId])).toEqual([
        ['op-0001', 'vol-1', 10, 'desk-1'],
        ['imp-2', 'vol-1', 30, 'demo'],
        ['imp-3', 'vol-1', 5, 'demo'],
        ['imp-6', 'vol-2', 6, 'demo'],
      ])
      expect(auditLedger(ledger)).toEqual([])
      expect(await audits()).toHaveLength(1)
      expect(await h.store.importLedger([])).toBe(0)
    })

    it('imports all or nothing', async () => {
      await append(h.store, op('op-0001', 'earn', 10))
      await expect(h.store.importLedger([
        { op: op('imp-1', 'earn', 5), actorId: 'demo', at: FROM },
        { op: op('op-0001', 'earn', 10), actorId: 'demo', at: FROM },
      ])).rejects.toThrow()
      expect((await h.store.ledger()).map(e => e.opId)).toEqual(['op-0001'])
    })

    it('never overdraws when an import and an append spend the same points at once', async () => {
      await append(h.store, op('op-0001', 'earn', 100))
      const [refused, appended] = await Promise.all([
        h.store.importLedger([{ op: op('imp-1', 'redeem', 60), actorId: 'demo', at: FROM }]),
        append(h.peer, op('op-0002', 'redeem', 60)),
      ])
      expect(refused + (appended.ok ? 0 : 1)).toBe(1)
      const ledger = await h.store.ledger('vol-1')
      expect(ledger.map(e => e.balanceAfter)).toEqual([100, 40])
      expect(auditLedger(ledger)).toEqual([])
    })

    it('refuses to change or remove an entry', async () => {
      await append(h.store, op('op-0001', 'earn', 10))
      await expect(h.sql('UPDATE points_ledger SET points = ?', [1000])).rejects.toThrow(/points_ledger is append-only/)
      await expect(h.sql('DELETE FROM points_ledger')).rejects.toThrow(/points_ledger is append-only/)
      expect((await h.store.ledger()).map(e => e.points)).toEqual([10])
    })
  })
})

describe('scoring tables on postgres', () => {
  it('have SQLite\'s columns, by name', async () => {
    const s = await sqlite()
    const p = await postgres()
    try {
      for (const table of ['patrols', 'score_months', 'points_ledger']) {
        const lite = await s.sql<{ name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
        const pg = await p.sql<{ name: string }>('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position', [table])
        expect(pg.map(c => c.name)).toEqual(lite.map(c => c.name))
      }
    }
    finally {
      await s.close()
      await p.close()
    }
  })
})
