import type { Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { ReferenceVersion } from '../../../shared/setup/schema.ts'
import type { Change, EntityOf } from '../../../shared/sync/schema.ts'
import type { ReferenceData } from '../../../shared/territory/types.ts'
import type { GroupStats, Store } from '../store.ts'
import type { Statements } from './statements.ts'
import { randomBytes } from 'node:crypto'
import { statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import { createSqliteChannelStore } from '../../notify/channel-store.ts'
import { createSqliteRegisterStore } from '../../resources/store.ts'
import { createSqliteSensorStore } from '../../sensors/store.ts'
import { createSqliteAfterActionStore } from '../../wartime/after-action/store.ts'
import { createSqliteWebhookStore } from '../../webhooks/store.ts'
import { StoreUnavailableError } from '../errors.ts'
import { createGroupCommit } from '../group-commit.ts'
import { parseRows } from '../queue.ts'
import { createStateCache } from '../state-cache.ts'
import { createSqliteAuth } from './auth.ts'
import { createBatchWriter } from './batch.ts'
import { openConnection } from './connection.ts'
import { storeProblemOf, withStoreErrors } from './failure.ts'
import { SQLITE_MIGRATIONS } from './migrations.ts'
import { createQueueQueries } from './queue.ts'
import { createSqliteScoring } from './scoring.ts'
import { prepare } from './statements.ts'
import { inlineWriter, threadWriter } from './writer.ts'
import { headSync, readOp } from './writes.ts'

/** How long a write waits for another connection's write lock before it fails as busy. */
const BUSY_MS = 5000
const PROBE_BUSY_MS = 200
const MIN_FREE_BYTES = 64 * 1024 * 1024

/** Bytes an unprivileged process may still write on the file's volume (null for an in-memory store). */
function freeBytes(file: string): number | null {
  if (file === ':memory:')
    return null
  const s = statfsSync(dirname(file))
  return s.bavail * s.bsize
}

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  file: string
  /**
   * Group commit: requests arriving within one event-loop turn share one durable transaction.
   * Each is still acknowledged only after that transaction is on disk (synchronous=FULL).
   */
  groupCommit?: boolean
  /** How long a write waits for another connection's write lock before it fails as busy (default 5 s). */
  busyTimeoutMs?: number
  /** Below this much free space on the data volume the store reports itself not ready (default 64 MiB). */
  minFreeBytes?: number
  /**
   * Where group commits run: on a writer thread with its own connection (the default for a file: the statements,
   * COMMIT and fsync do not hold the event loop), or on this thread (always for `:memory:`).
   */
  writer?: 'thread' | 'inline'
}

/** The embedded store. better-sqlite3 is synchronous; the async surface keeps the Store interface dialect-neutral. */
export function createSqliteStore(opts: SqliteOptions): Store {
  const busyMs = opts.busyTimeoutMs ?? BUSY_MS
  const db = openConnection(opts.file, busyMs)

  const listeners = new Set<(changes: Change[]) => void>()
  let epoch: string | null = null
  const groupListeners = new Set<(g: GroupStats) => void>()
  let stmts: Statements | null = null
  const s = () => (stmts ??= prepare(db))
  let queries: ReturnType<typeof createQueueQueries> | null = null
  const queue = () => (queries ??= createQueueQueries(db))

  const states = createStateCache()

  const writer = opts.file === ':memory:' || opts.writer === 'inline'
    ? inlineWriter(createBatchWriter(db, s))
    : threadWriter(opts.file, busyMs)
  const group = createGroupCommit(writer, (committed) => {
    for (const c of committed) {
      if (c.kind === 'incident')
        states.remember(c.data)
    }
    for (const l of listeners) l(committed)
  }, { ...opts, onGroup: g => groupListeners.forEach(l => l(g)) })

  const store: Store = {
    dialect: 'sqlite',
    auth: withStoreErrors(createSqliteAuth(db)),
    scoring: withStoreErrors(createSqliteScoring(db)),
    webhooks: withStoreErrors(createSqliteWebhookStore(db)),
    register: withStoreErrors(createSqliteRegisterStore(db)),
    afterAction: withStoreErrors(createSqliteAfterActionStore(db)),
    sensors: withStoreErrors(createSqliteSensorStore(db)),
    channels: withStoreErrors(createSqliteChannelStore(db)),
    async probe() {
      // A tiny write can still fit in the WAL of a full disk: free space is read from the volume first.
      const free = freeBytes(opts.file)
      const minFree = opts.minFreeBytes ?? MIN_FREE_BYTES
      if (free !== null && free < minFree)
        return new StoreUnavailableError('full', `${(free / 1048576).toFixed(1)} MiB free on the data volume, under ${(minFree / 1048576).toFixed(0)} MiB`)
      // A short wait: the answer must come back while a held lock would make a real write wait busyMs.
      db.pragma(`busy_timeout = ${Math.min(PROBE_BUSY_MS, busyMs)}`)
      try {
        db.prepare('INSERT INTO meta (key, value) VALUES (\'write_probe\', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(new Date().toISOString())
        return null
      }
      catch (e) {
        const problem = storeProblemOf(e)
        if (problem)
          return problem
        throw e
      }
      finally {
        db.pragma(`busy_timeout = ${busyMs}`)
      }
    },
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
      // The log's epoch, made with the log (a copied file keeps it: after restoring one, start a new epoch by hand).
      // Written only when missing: a store that starts read-only (a held lock, a full disk) still starts.
      if (!db.prepare('SELECT 1 FROM meta WHERE key = \'log_epoch\'').get()) {
        try {
          db.prepare('INSERT INTO meta (key, value) VALUES (\'log_epoch\', ?) ON CONFLICT (key) DO NOTHING').run(randomBytes(8).toString('hex'))
        }
        catch (e) {
          if (!storeProblemOf(e))
            throw e
        }
      }
      stmts = prepare(db)
      epoch = null
    },
    async epoch() {
      epoch ??= (db.prepare('SELECT value FROM meta WHERE key = \'log_epoch\'').get() as { value: string } | undefined)?.value ?? ''
      return epoch
    },
    async close() {
      await group.drain()
      await writer.close()
      db.close()
    },
    async getLegacyReference() {
      const row = s().getReference.get() as { data: string } | undefined
      return row ? JSON.parse(row.data) as ReferenceData : null
    },
    async getPackage(version) {
      const row = (version === undefined ? s().getNewestPackage.get() : s().getPackage.get(version)) as { version: number, data: string } | undefined
      return row ? { version: row.version, pkg: JSON.parse(row.data) as SubdistrictPackage } : null
    },
    async listReferenceVersions() {
      return (s().listReferenceVersions.all() as { meta: string }[]).map(r => JSON.parse(r.meta) as ReferenceVersion)
    },
    commit: req => group.commit(req),
    async getOp(key) {
      return readOp(s(), key)
    },
    async importMutations(mutations) {
      // One request of the writer: all or nothing, in the log's order, without holding this thread.
      await group.commit({ mutations })
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
      const cached = states.at(id, stored.version)
      if (cached)
        return cached
      const row = s().getIncident.get(id) as { data: string } | undefined
      if (!row)
        return null
      const inc = JSON.parse(row.data) as Incident
      states.remember(inc)
      return inc
    },
    async getEntity(kind, id) {
      const row = s().getEntity.get(kind, id) as { data: string } | undefined
      return row ? JSON.parse(row.data) : null
    },
    async listEntities(kind) {
      return (s().listEntities.all(kind) as { data: string }[]).map(r => JSON.parse(r.data) as EntityOf<typeof kind>)
    },
    async listLive(finishedSince) {
      return parseRows(s().listLive.all(finishedSince))
    },
    async listOverdue(now) {
      return parseRows(s().listOverdue.all(now))
    },
    async queryIncidents(q) {
      return queue().query(q)
    },
    async countQueue(q) {
      return queue().counts(q)
    },
    async findHotlineOrder(reporterId, orderNo) {
      const row = s().findHotlineOrder.get(orderNo, reporterId) as { data: string } | undefined
      return row ? JSON.parse(row.data) as Incident : null
    },
    async listReportedBetween(from, to) {
      return parseRows(s().listReported.all(from, to))
    },
    async snapshot(finishedSince) {
      return db.transaction(() => ({ seq: headSync(s()), incidents: parseRows(s().listLive.all(finishedSince)) }))()
    },
    onCommit(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onGroup(listener) {
      groupListeners.add(listener)
      return () => groupListeners.delete(listener)
    },
    async head() {
      return headSync(s())
    },
    async tail() {
      const row = s().tail.get() as { t: number | null }
      return row.t ?? headSync(s()) + 1
    },
    async changesSince(since, limit) {
      return (s().changesSince.all(since, limit) as { seq: number, at: string, kind: Change['kind'], entity_id: string, action: string, data: string }[])
        .map(r => ({ seq: r.seq, at: r.at, kind: r.kind, action: r.action, id: r.entity_id, data: JSON.parse(r.data) }) as Change)
    },
  }
  return withStoreErrors(store)
}
