import type { Database as Db } from 'better-sqlite3'
import type { HistoryEntry, Incident } from '../../../shared/incident/schema.ts'
import type { IncidentRecord } from '../../../shared/scoring/facts.ts'
import type { LedgerEntry, MonthResult, Patrol } from '../../../shared/scoring/schema.ts'
import type { AuditEntry } from '../auth-store.ts'
import type { LedgerAppend, ScoringStore } from '../scoring-store.ts'
import { decide } from '../../../shared/scoring/ledger.ts'

interface PatrolRow { id: string, person_id: string, grid_id: string, at: string, lon: number, lat: number, note: string | null, device: string | null, recorded_at: string }
interface LedgerRow { seq: number, op_id: string, person_id: string, kind: LedgerEntry['kind'], points: number, balance_after: number, reason: string, ref: string | null, actor_id: string, at: string }

const toPatrol = (r: PatrolRow): Patrol => ({ id: r.id, personId: r.person_id, gridId: r.grid_id, at: r.at, location: { lon: r.lon, lat: r.lat }, note: r.note, device: r.device, recordedAt: r.recorded_at })
const toEntry = (r: LedgerRow): LedgerEntry => ({ seq: r.seq, opId: r.op_id, personId: r.person_id, kind: r.kind, points: r.points, balanceAfter: r.balance_after, reason: r.reason, ref: r.ref, actorId: r.actor_id, at: r.at })

/** The SQLite side of the horse race. Statements are prepared on first use (after migrations have run). */
export function createSqliteScoring(db: Db): ScoringStore {
  let stmts: ReturnType<typeof prepare> | null = null
  const s = () => (stmts ??= prepare(db))

  function audit(a: AuditEntry): void {
    s().insertAudit.run(a.at, a.actorKind, a.actorId, a.role, a.ip, a.via, a.action, a.target, a.result, a.detail)
  }

  const insertPatrol = (p: Patrol, opKey: string | null) =>
    s().insertPatrol.run(p.id, opKey, p.personId, p.gridId, p.at, p.location.lon, p.location.lat, p.note, p.device, p.recordedAt)

  const appendLedger = db.transaction((op: Parameters<ScoringStore['appendLedger']>[0], actorId: string, at: string, auditOf: Parameters<ScoringStore['appendLedger']>[3]): LedgerAppend => {
    const prior = s().ledgerByOp.get(op.opId) as LedgerRow | undefined
    if (prior) {
      const same = prior.person_id === op.personId && prior.kind === op.kind && prior.points === op.points && prior.reason === op.reason
      return same ? { ok: true, entry: toEntry(prior), replayed: true } : { ok: false, code: 'conflict', message: `operation ${op.opId} was already used for another entry` }
    }
    const balance = (s().balance.get(op.personId) as { b: number } | undefined)?.b ?? 0
    const d = decide(balance, op)
    if (!d.ok) {
      audit(auditOf('fail', d.message))
      return d
    }
    const info = s().insertLedger.run(op.opId, op.personId, op.kind, op.points, d.balanceAfter, op.reason, op.ref ?? null, actorId, at)
    audit(auditOf('allow', null))
    return { ok: true, entry: toEntry(s().ledgerBySeq.get(info.lastInsertRowid) as LedgerRow), replayed: false }
  })

  return {
    async addPatrol(p, opKey, a) {
      return db.transaction(() => {
        const prior = opKey ? s().patrolByOp.get(opKey) as PatrolRow | undefined : undefined
        if (prior)
          return { patrol: toPatrol(prior), replayed: true }
        insertPatrol(p, opKey)
        audit(a)
        return { patrol: p, replayed: false }
      })()
    },
    async importPatrols(ps) {
      db.transaction(() => {
        for (const p of ps) insertPatrol(p, null)
      })()
    },
    async listPatrols(from, to) {
      return (s().listPatrols.all(from, to) as PatrolRow[]).map(toPatrol)
    },
    async incidentsForMonth(from, to) {
      return db.transaction(() => {
        const ids = (s().touched.all(from, to, to, to) as { id: string }[]).map(r => r.id)
        const json = JSON.stringify(ids)
        const histories = new Map<string, HistoryEntry[]>()
        for (const r of s().histories.all(json) as { incident_id: string, data: string }[]) {
          const list = histories.get(r.incident_id) ?? []
          list.push(JSON.parse(r.data) as HistoryEntry)
          histories.set(r.incident_id, list)
        }
        return (s().incidentsById.all(json) as { data: string }[]).map((r): IncidentRecord => {
          const incident = JSON.parse(r.data) as Incident
          return { incident, history: histories.get(incident.id) ?? [] }
        })
      })()
    },
    async countClosed(from, to, urgent) {
      const r = s().countClosed.get(urgent, from, to) as { closed: number, urgent: number | null }
      return { closed: r.closed, urgent: r.urgent ?? 0 }
    },
    async countReported(from, to) {
      return Object.fromEntries((s().countReported.all(from, to) as { category: string, n: number }[]).map(r => [r.category, r.n]))
    },
    async earliestRecord() {
      const r = s().earliest.get() as { h: string | null, p: string | null }
      const all = [r.h, r.p].filter((x): x is string => x !== null).sort()
      return all[0] ?? null
    },
    async getFrozen(month) {
      const r = s().getFrozen.get(month) as { data: string } | undefined
      return r ? JSON.parse(r.data) as MonthResult : null
    },
    async freeze(result) {
      return db.transaction(() => {
        s().freeze.run(result.month, result.frozenAt, result.configVersion, JSON.stringify(result))
        return JSON.parse((s().getFrozen.get(result.month) as { data: string }).data) as MonthResult
      })()
    },
    async frozenMonths() {
      return (s().frozenMonths.all() as { month: string }[]).map(r => r.month)
    },
    async appendLedger(op, actorId, at, auditOf) {
      return appendLedger(op, actorId, at, auditOf)
    },
    async importLedger(rows) {
      let refused = 0
      db.transaction(() => {
        for (const { op, actorId, at } of rows) {
          const balance = (s().balance.get(op.personId) as { b: number } | undefined)?.b ?? 0
          const d = decide(balance, op)
          if (d.ok)
            s().insertLedger.run(op.opId, op.personId, op.kind, op.points, d.balanceAfter, op.reason, op.ref ?? null, actorId, at)
          else
            refused++
        }
      })()
      return refused
    },
    async ledger(personId) {
      const rows = personId === undefined ? s().ledgerAll.all() : s().ledgerOf.all(personId)
      return (rows as LedgerRow[]).map(toEntry)
    },
    async earnedBetween(from, to) {
      return new Map((s().earned.all(from, to) as { person_id: string, n: number }[]).map(r => [r.person_id, r.n]))
    },
  }
}

function prepare(db: Db) {
  return {
    insertAudit: db.prepare('INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    insertPatrol: db.prepare('INSERT INTO patrols (id, op_key, person_id, grid_id, at, lon, lat, note, device, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    patrolByOp: db.prepare('SELECT * FROM patrols WHERE op_key = ?'),
    listPatrols: db.prepare('SELECT * FROM patrols WHERE at >= ? AND at < ? ORDER BY at, id'),
    // Touched in the month, or reported before its end and not finished before it (maybe open at its end).
    touched: db.prepare(`SELECT incident_id AS id FROM incident_history WHERE at >= ? AND at < ?
      UNION SELECT id FROM incidents WHERE reported_at < ? AND (open = 1 OR finished_at >= ?)`),
    histories: db.prepare('SELECT incident_id, data FROM incident_history WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY incident_id, version'),
    incidentsById: db.prepare('SELECT data FROM incidents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id'),
    countClosed: db.prepare(`SELECT COUNT(*) AS closed, SUM(CASE WHEN json_extract(i.data, '$.severity') <= ? THEN 1 ELSE 0 END) AS urgent
      FROM incidents i WHERE i.id IN (SELECT DISTINCT incident_id FROM incident_history WHERE at >= ? AND at < ? AND json_extract(data, '$.to') = 'closed')`),
    countReported: db.prepare(`SELECT json_extract(data, '$.category') AS category, COUNT(*) AS n FROM incidents
      WHERE reported_at >= ? AND reported_at < ? GROUP BY category ORDER BY category`),
    earliest: db.prepare('SELECT (SELECT MIN(at) FROM incident_history) AS h, (SELECT MIN(at) FROM patrols) AS p'),
    getFrozen: db.prepare('SELECT data FROM score_months WHERE month = ?'),
    freeze: db.prepare('INSERT INTO score_months (month, frozen_at, config_version, data) VALUES (?, ?, ?, ?) ON CONFLICT (month) DO NOTHING'),
    frozenMonths: db.prepare('SELECT month FROM score_months ORDER BY month'),
    ledgerByOp: db.prepare('SELECT * FROM points_ledger WHERE op_id = ?'),
    ledgerBySeq: db.prepare('SELECT * FROM points_ledger WHERE seq = ?'),
    balance: db.prepare('SELECT balance_after AS b FROM points_ledger WHERE person_id = ? ORDER BY seq DESC LIMIT 1'),
    insertLedger: db.prepare('INSERT INTO points_ledger (op_id, person_id, kind, points, balance_after, reason, ref, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    ledgerAll: db.prepare('SELECT * FROM points_ledger ORDER BY seq'),
    ledgerOf: db.prepare('SELECT * FROM points_ledger WHERE person_id = ? ORDER BY seq'),
    earned: db.prepare(`SELECT person_id, SUM(points) AS n FROM points_ledger WHERE kind = 'earn' AND at >= ? AND at < ? GROUP BY person_id`),
  }
}
