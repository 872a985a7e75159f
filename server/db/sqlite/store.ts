import type { Database as Db } from 'better-sqlite3'
import type { Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import type { ReferenceData } from '../../../shared/territory/types.ts'
import type { CommitRequest, Mutation, OpResult, Store } from '../store.ts'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { FINISHED_STATES } from '../../../shared/incident/lifecycle.ts'
import { VersionConflictError } from '../errors.ts'
import { createSqliteAuth } from './auth.ts'
import { SQLITE_MIGRATIONS } from './migrations.ts'
import { createSqliteScoring } from './scoring.ts'

interface Pending {
  req: CommitRequest
  resolve: (v: { changes: Change[], result: OpResult | null, replayed: boolean }) => void
  reject: (e: unknown) => void
}

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  file: string
  /**
   * Group commit: requests arriving within one event-loop turn share one durable transaction.
   * Each is still acknowledged only after that transaction is on disk (synchronous=FULL).
   */
  groupCommit?: boolean
}

/** The embedded store. better-sqlite3 is synchronous; the async surface keeps the Store interface dialect-neutral. */
export function createSqliteStore(opts: SqliteOptions): Store {
  if (opts.file !== ':memory:')
    mkdirSync(dirname(opts.file), { recursive: true })
  const db: Db = new Database(opts.file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')

  const listeners = new Set<(changes: Change[]) => void>()
  let queue: Pending[] = []
  let scheduled = false
  let stmts: ReturnType<typeof prepare> | null = null
  const s = () => (stmts ??= prepare(db))

  /**
   * Incident states recently committed or read, by id (LRU). getIncidentState answers from here only when the
   * stored version (a `SELECT version`, no row text to copy and parse) is the cached one, so the cache is never
   * stale, whoever else writes the file; an entry is the committed state of that version (added after COMMIT).
   * The objects are shared with the change log and callers: they are never mutated (the domain returns copies).
   */
  const states = new Map<string, Incident>()
  const STATES_MAX = 4096
  function remember(inc: Incident): void {
    states.delete(inc.id)
    states.set(inc.id, inc)
    if (states.size > STATES_MAX)
      states.delete(states.keys().next().value!)
  }

  /**
   * Writes mutations in the open transaction. Each mutation's first statement is its version check: a conditional
   * INSERT (version 1) or UPDATE (`WHERE version = v - 1`) that writes nothing when the stored version is not the
   * one expected, so a conflict on the first mutation of a request leaves no write behind (`progress.wrote` false).
   */
  function writeMutations(mutations: Mutation[], nextSeq: () => number, progress: { wrote: boolean } = { wrote: false }): Change[] {
    const st = s()
    const out: Change[] = []
    for (const m of mutations) {
      if (m.kind === 'entity') {
        const e = m.entity
        const json = JSON.stringify(e)
        const done = e.version === 1
          ? st.insertEntity.run(m.entityKind, e.id, e.version, m.at, json)
          : st.updateEntity.run(e.version, m.at, json, m.entityKind, e.id, e.version - 1)
        if (done.changes !== 1) {
          const current = st.entityVersion.get(m.entityKind, e.id) as { version: number } | undefined
          throw new VersionConflictError(`${m.entityKind}:${e.id}`, current?.version ?? 0, e.version)
        }
        progress.wrote = true
        const change = { seq: nextSeq(), at: m.at, kind: m.entityKind, action: m.action, id: e.id, data: e } as Change
        st.insertChange.run(change.seq, change.at, change.kind, change.id, change.action, json)
        out.push(change)
        continue
      }
      const inc = m.incident
      const finished = FINISHED_STATES.includes(inc.state)
      // Serialised once: the same text goes to the incident row and the change log.
      const json = JSON.stringify(inc)
      const open = finished ? 0 : 1
      const finishedAt = finished ? inc.closedAt ?? inc.updatedAt : null
      const done = inc.version === 1
        ? st.insertIncident.run(inc.id, inc.version, inc.state, open, inc.stageDeadline, inc.reportedAt, finishedAt, json)
        : st.updateIncident.run(inc.version, inc.state, open, inc.stageDeadline, finishedAt, json, inc.id, inc.version - 1)
      if (done.changes !== 1) {
        const current = st.incidentVersion.get(inc.id) as { version: number } | undefined
        throw new VersionConflictError(inc.id, current?.version ?? 0, inc.version)
      }
      progress.wrote = true
      st.insertHistory.run(inc.id, inc.version, m.entry.at, m.entry.action, m.entry.actor.personId, m.entry.actor.role, JSON.stringify(m.entry))
      const change: Change = { seq: nextSeq(), at: m.entry.at, kind: 'incident', action: m.entry.action, id: inc.id, data: inc }
      st.insertChange.run(change.seq, change.at, change.kind, change.id, change.action, json)
      out.push(change)
    }
    return out
  }

  /** The stored answer of an operation: by reference to its change when the answer is that change's data. */
  function readOp(key: string): OpResult | null {
    const row = s().getOp.get(key) as { status: number, body: string, fingerprint: string | null, seq: number | null, data: string | null } | undefined
    if (!row)
      return null
    return { status: row.status, body: JSON.parse(row.seq !== null ? row.data! : row.body), fingerprint: row.fingerprint ?? undefined }
  }

  function headSync(): number {
    return (s().head.get() as { h: number | null }).h ?? 0
  }

  /** The writes of one request after its replay check: mutations, then its audit row and op row. */
  function applyRequest(req: CommitRequest, nextSeq: () => number, progress: { wrote: boolean }): { changes: Change[], result: OpResult | null } {
    const changes = writeMutations(req.mutations, nextSeq, progress)
    const result = req.result ? req.result(changes) : null
    if (req.audit) {
      const a = req.audit
      s().insertAudit.run(a.at, a.actorKind, a.actorId, a.role, a.ip, a.via, a.action, a.target, a.result, a.detail)
      progress.wrote = true
    }
    if (req.opKey) {
      // Most answers are the data of a change just written: keep a reference, not a third copy.
      const same = changes.find(c => c.data === result?.body)
      s().insertOp.run(req.opKey, result?.status ?? 200, same ? 'null' : JSON.stringify(result?.body ?? null), req.fingerprint ?? null, new Date().toISOString(), same?.seq ?? null)
    }
    return { changes, result }
  }

  /** Inside the group's transaction, a request run through this gets a SAVEPOINT: it fails alone. */
  const isolated = db.transaction(applyRequest)

  /** A request failed after writing part of its rows: the group is undone and run again with savepoints. */
  class PartialWrite extends Error {}

  interface GroupOutcome { committed: Change[], settled: (() => void)[] }

  /**
   * One group, one transaction. Fast path (`isolate` false): no savepoints. A request refused before it wrote
   * anything (a replay, a version conflict on its first mutation) is answered alone and the group goes on; any
   * other failure throws PartialWrite, which rolls the whole transaction back so the group can be re-run with a
   * savepoint per request (`isolate` true), where each bad request fails alone as before.
   */
  const runGroup = db.transaction((batch: Pending[], isolate: boolean): GroupOutcome => {
    const settled: (() => void)[] = []
    const committed: Change[] = []
    let seq = headSync()
    const nextSeq = () => ++seq
    for (const p of batch) {
      const { req } = p
      if (req.opKey) {
        const result = readOp(req.opKey)
        if (result) {
          settled.push(() => p.resolve({ changes: [], result, replayed: true }))
          continue
        }
      }
      const seqBefore = seq
      const progress = { wrote: false }
      try {
        const done = isolate ? isolated(req, nextSeq, progress) : applyRequest(req, nextSeq, progress)
        for (const c of done.changes) committed.push(c)
        settled.push(() => p.resolve({ ...done, replayed: false }))
      }
      catch (e) {
        if (!isolate && progress.wrote)
          throw new PartialWrite('partial request', { cause: e })
        seq = seqBefore
        settled.push(() => p.reject(e))
      }
    }
    return { committed, settled }
  })

  function flush(): void {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0)
      return
    let outcome: GroupOutcome
    try {
      try {
        outcome = runGroup(batch, false)
      }
      catch (e) {
        if (!(e instanceof PartialWrite))
          throw e
        outcome = runGroup(batch, true)
      }
    }
    catch (e) {
      for (const p of batch) p.reject(e)
      return
    }
    for (const c of outcome.committed) {
      if (c.kind === 'incident')
        remember(c.data)
    }
    // Durable now: notify listeners in seq order, then answer the callers.
    if (outcome.committed.length > 0) {
      for (const l of listeners) l(outcome.committed)
    }
    for (const f of outcome.settled) f()
  }

  const store: Store = {
    dialect: 'sqlite',
    auth: createSqliteAuth(db),
    scoring: createSqliteScoring(db),
    async migrate() {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
      const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(r => r.version))
      SQLITE_MIGRATIONS.forEach((sql, i) => {
        const version = i + 1
        if (done.has(version))
          return
        db.transaction(() => {
          db.exec(sql)
          db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString())
        })()
      })
      stmts = prepare(db)
    },
    async close() {
      if (queue.length > 0)
        flush()
      db.close()
    },
    async getReference() {
      const row = s().getReference.get() as { data: string } | undefined
      return row ? JSON.parse(row.data) as ReferenceData : null
    },
    async putReference(ref) {
      s().putReference.run(JSON.stringify(ref), new Date().toISOString())
    },
    commit(req) {
      return new Promise((resolve, reject) => {
        queue.push({ req, resolve, reject })
        if (opts.groupCommit === false) {
          flush()
        }
        else if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    async getOp(key) {
      return readOp(key)
    },
    async importMutations(mutations) {
      let changes: Change[] = []
      db.transaction(() => {
        let seq = headSync()
        changes = writeMutations(mutations, () => ++seq)
      })()
      for (const l of listeners) l(changes)
    },
    async countIncidents() {
      return (db.prepare('SELECT COUNT(*) AS n FROM incidents').get() as { n: number }).n
    },
    async getIncident(id) {
      const row = s().getIncident.get(id) as { data: string } | undefined
      if (!row)
        return null
      const history = (s().getHistory.all(id) as { data: string }[]).map(r => JSON.parse(r.data))
      return { ...JSON.parse(row.data), history } as IncidentWithHistory
    },
    async getIncidentState(id) {
      const stored = s().incidentVersion.get(id) as { version: number } | undefined
      if (!stored)
        return null
      const cached = states.get(id)
      if (cached?.version === stored.version)
        return cached
      const row = s().getIncident.get(id) as { data: string } | undefined
      if (!row)
        return null
      const inc = JSON.parse(row.data) as Incident
      remember(inc)
      return inc
    },
    async getEntity(kind, id) {
      const row = s().getEntity.get(kind, id) as { data: string } | undefined
      return row ? JSON.parse(row.data) : null
    },
    async listEntities(kind) {
      return (s().listEntities.all(kind) as { data: string }[]).map(r => JSON.parse(r.data))
    },
    async listLive(finishedSince) {
      return parseRows(s().listLive.all(finishedSince))
    },
    async listOverdue(now) {
      return parseRows(s().listOverdue.all(now))
    },
    async listReportedBetween(from, to) {
      return parseRows(s().listReported.all(from, to))
    },
    async snapshot(finishedSince) {
      return db.transaction(() => ({ seq: headSync(), incidents: parseRows(s().listLive.all(finishedSince)) }))()
    },
    onCommit(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async head() {
      return headSync()
    },
    async tail() {
      const row = s().tail.get() as { t: number | null }
      return row.t ?? headSync() + 1
    },
    async changesSince(since, limit) {
      return (s().changesSince.all(since, limit) as { seq: number, at: string, kind: Change['kind'], entity_id: string, action: string, data: string }[])
        .map(r => ({ seq: r.seq, at: r.at, kind: r.kind, action: r.action, id: r.entity_id, data: JSON.parse(r.data) }) as Change)
    },
  }
  return store
}

function parseRows(rows: unknown[]): Incident[] {
  return (rows as { data: string }[]).map(r => JSON.parse(r.data) as Incident)
}

function prepare(db: Db) {
  return {
    head: db.prepare('SELECT MAX(seq) AS h FROM changes'),
    tail: db.prepare('SELECT MIN(seq) AS t FROM changes'),
    incidentVersion: db.prepare('SELECT version FROM incidents WHERE id = ?'),
    // Version checks are in the writes: a new incident inserts only if the id is free, a next version updates only
    // the version before it. `changes` 0 = conflict.
    insertIncident: db.prepare(`INSERT INTO incidents (id, version, state, open, stage_deadline, reported_at, finished_at, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
    updateIncident: db.prepare(`UPDATE incidents SET version = ?, state = ?, open = ?, stage_deadline = ?, finished_at = ?, data = ?
      WHERE id = ? AND version = ?`),
    insertHistory: db.prepare('INSERT INTO incident_history (incident_id, version, at, action, actor_id, actor_role, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertChange: db.prepare('INSERT INTO changes (seq, at, kind, entity_id, action, data) VALUES (?, ?, ?, ?, ?, ?)'),
    insertAudit: db.prepare('INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    getOp: db.prepare('SELECT o.status, o.body, o.fingerprint, o.seq, c.data FROM ops o LEFT JOIN changes c ON c.seq = o.seq WHERE o.key = ?'),
    insertOp: db.prepare('INSERT INTO ops (key, status, body, fingerprint, at, seq) VALUES (?, ?, ?, ?, ?, ?)'),
    entityVersion: db.prepare('SELECT version FROM entities WHERE kind = ? AND id = ?'),
    insertEntity: db.prepare('INSERT INTO entities (kind, id, version, updated_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING'),
    updateEntity: db.prepare('UPDATE entities SET version = ?, updated_at = ?, data = ? WHERE kind = ? AND id = ? AND version = ?'),
    getEntity: db.prepare('SELECT data FROM entities WHERE kind = ? AND id = ?'),
    listEntities: db.prepare('SELECT data FROM entities WHERE kind = ? ORDER BY updated_at'),
    getReference: db.prepare('SELECT data FROM reference WHERE id = 1'),
    putReference: db.prepare(`INSERT INTO reference (id, data, updated_at) VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`),
    getIncident: db.prepare('SELECT data FROM incidents WHERE id = ?'),
    getHistory: db.prepare('SELECT data FROM incident_history WHERE incident_id = ? ORDER BY version'),
    listLive: db.prepare('SELECT data FROM incidents WHERE open = 1 OR finished_at >= ? ORDER BY reported_at'),
    listOverdue: db.prepare('SELECT data FROM incidents WHERE open = 1 AND stage_deadline < ? ORDER BY stage_deadline'),
    listReported: db.prepare('SELECT data FROM incidents WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at'),
    changesSince: db.prepare('SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
  }
}
