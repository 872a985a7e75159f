import type { Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { ReferenceVersion } from '../../../shared/setup/schema.ts'
import type { Change, EntityOf } from '../../../shared/sync/schema.ts'
import type { ReferenceData } from '../../../shared/territory/types.ts'
import type { OpRow } from '../rows.ts'
import type { GroupStats, Store } from '../store.ts'
import type { PgOptions } from './pool.ts'
import pg from 'pg'
import { withProblems } from '../errors.ts'
import { createGroupCommit } from '../group-commit.ts'
import { parseRows } from '../queue.ts'
import { opResult, storedOp } from '../rows.ts'
import { createStateCache } from '../state-cache.ts'
import { PG_FIND_HOTLINE_ORDER, PG_LIVE_INCIDENTS } from './core-schema.ts'
import { pgProblemOf } from './failure.ts'
import { migrateSchema } from './migrate.ts'
import { PG_MIGRATIONS } from './migrations.ts'
import { createPool, one, rows, tx } from './pool.ts'
import { createPgQueueQueries } from './queue.ts'
import { createPgSubstores } from './substores.ts'
import { createLogTail, toChange } from './tail.ts'
import { pgWriter } from './writer.ts'

// The PostgreSQL store of one tenant (its own schema): the same interface as SQLite's, the change log gap-free and in
// commit order through the counter row (writer.ts), the other stores on the same pool.

const PROBE_TIMEOUT_MS = 1000

/**
 * Reads every action makes (a retry's answer by its op key, the incident's stored version), named so each
 * connection plans them once: planning them cost PostgreSQL more than running them (≈ 35 µs against 10 µs each).
 */
const HOT = {
  op: { name: 'onescreen_op', text: 'SELECT o.status, o.body, o.fingerprint, o.seq, c.data FROM ops o LEFT JOIN changes c ON c.seq = o.seq WHERE o.key = $1' },
  version: { name: 'onescreen_incident_version', text: 'SELECT version FROM incidents WHERE id = $1' },
}

interface ChangeRow { seq: number, at: string, kind: Change['kind'], entity_id: string, action: string, data: string }

export function createPgStore(opts: PgOptions & { pollMs?: number, groupCommit?: boolean }): Store & { readonly pool: pg.Pool, readonly schema: string, settle: () => Promise<void> } {
  const pool = createPool(opts)
  const listeners = new Set<(changes: Change[]) => void>()
  const groupListeners = new Set<(g: GroupStats) => void>()
  const queue = createPgQueueQueries(pool)

  const states = createStateCache()

  // Every node's changes reach this node's listeners through the tail, in seq order (tail.ts).
  const tail = createLogTail({
    pool,
    url: opts.url,
    schema: opts.schema,
    pollMs: opts.pollMs,
    emit(changes) {
      for (const c of changes) {
        if (c.kind === 'incident')
          states.remember(c.data)
      }
      for (const l of listeners) {
        try {
          l(changes)
        }
        catch (e) {
          console.error('a commit listener failed:', e)
        }
      }
    },
  })
  // The writer has a connection of its own: on the shared pool, slow reads (a desk's queue, an export) holding every
  // connection would hold up every write queued behind them.
  const writerPool = createPool({ ...opts, max: 1 })
  const writer = pgWriter(writerPool)
  const group = createGroupCommit(writer, committed => tail.committed(committed), { ...opts, onGroup: g => groupListeners.forEach(l => l(g)) })

  let epoch: Promise<string> | null = null
  const head = async () => (await one<{ seq: number }>(pool, 'SELECT seq FROM log_head WHERE id = 1'))?.seq ?? 0

  const store = {
    dialect: 'postgres' as const,
    pool,
    schema: opts.schema,
    ...createPgSubstores(pool),
    async migrate() {
      await migrateSchema(pool, opts.schema, PG_MIGRATIONS)
      await tail.start(await head())
    },
    async lockLeader(onLost: () => void) {
      // Its own connection, kept alive: the lock lives exactly as long as it.
      const c = new pg.Client({ connectionString: opts.url, keepAlive: true })
      let held = false
      c.on('error', () => {})
      c.on('end', () => {
        if (held) {
          held = false
          onLost()
        }
      })
      await c.connect()
      const got = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`onescreen:leader:${opts.schema}`])).rows[0]!.ok
      if (!got) {
        await c.end()
        return null
      }
      held = true
      return async () => {
        held = false
        await c.end().catch(() => {})
      }
    },
    async epoch() {
      // The counter row's epoch, and the cluster's identity and timeline where this role may read them: a database
      // restored into a new cluster, or brought back to a point in time (a new timeline), is a new epoch by itself.
      epoch ??= (async () => {
        const own = (await one<{ epoch: string }>(pool, 'SELECT epoch FROM log_head WHERE id = 1'))!.epoch
        const cluster = await one<{ id: string, timeline: number }>(pool, 'SELECT s.system_identifier::text AS id, c.timeline_id AS timeline FROM pg_control_system() s, pg_control_checkpoint() c').catch(() => null)
        return cluster ? `${own}.${cluster.id}.${cluster.timeline}` : own
      })()
      return epoch
    },
    /** Resolves once every change committed so far (by any node) has reached this node's listeners. */
    settle: () => tail.settle(),
    async probe() {
      try {
        await tx(pool, async (c) => {
          await c.query(`SET LOCAL statement_timeout = ${PROBE_TIMEOUT_MS}`)
          await c.query(`SET LOCAL lock_timeout = ${PROBE_TIMEOUT_MS}`)
          await c.query('INSERT INTO meta (key, value) VALUES (\'write_probe\', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [new Date().toISOString()])
        })
        return null
      }
      catch (e) {
        const problem = pgProblemOf(e)
        if (problem)
          return problem
        throw e
      }
    },
    async close() {
      await group.drain()
      await writer.close()
      await tail.close()
      await writerPool.end()
      await pool.end()
    },
    async getLegacyReference() {
      const row = await one<{ data: string }>(pool, 'SELECT data FROM reference WHERE id = 1')
      return row ? JSON.parse(row.data) as ReferenceData : null
    },
    async getPackage(version?: number) {
      const row = version === undefined
        ? await one<{ version: number, data: string }>(pool, 'SELECT version, data FROM reference_versions ORDER BY version DESC LIMIT 1')
        : await one<{ version: number, data: string }>(pool, 'SELECT version, data FROM reference_versions WHERE version = $1', [version])
      return row ? { version: row.version, pkg: JSON.parse(row.data) as SubdistrictPackage } : null
    },
    async listReferenceVersions() {
      return (await rows<{ meta: string }>(pool, 'SELECT meta FROM reference_versions ORDER BY version DESC')).map(r => JSON.parse(r.meta) as ReferenceVersion)
    },
    commit: group.commit,
    async getOp(key: string) {
      const row = (await pool.query<OpRow>({ ...HOT.op, values: [key] })).rows[0]
      return row ? opResult(storedOp(row)) : null
    },
    async importMutations(mutations) {
      await group.commit({ mutations })
    },
    async countIncidents() {
      return (await one<{ n: number }>(pool, 'SELECT COUNT(*) AS n FROM incidents'))!.n
    },
    async getIncident(id: string) {
      const row = await one<{ data: string }>(pool, 'SELECT data FROM incidents WHERE id = $1', [id])
      if (!row)
        return null
      const history = (await rows<{ data: string }>(pool, 'SELECT data FROM incident_history WHERE incident_id = $1 ORDER BY version', [id])).map(r => JSON.parse(r.data))
      return { ...JSON.parse(row.data), history } as IncidentWithHistory
    },
    async getIncidentState(id: string) {
      const stored = (await pool.query<{ version: number }>({ ...HOT.version, values: [id] })).rows[0]
      if (!stored)
        return null
      const cached = states.at(id, stored.version)
      if (cached)
        return cached
      const row = await one<{ data: string }>(pool, 'SELECT data FROM incidents WHERE id = $1', [id])
      if (!row)
        return null
      const inc = JSON.parse(row.data) as Incident
      states.remember(inc)
      return inc
    },
    async getEntity(kind, id) {
      const row = await one<{ data: string }>(pool, 'SELECT data FROM entities WHERE kind = $1 AND id = $2', [kind, id])
      return row ? JSON.parse(row.data) : null
    },
    async listEntities(kind) {
      return (await rows<{ data: string }>(pool, 'SELECT data FROM entities WHERE kind = $1 ORDER BY updated_at, id', [kind])).map(r => JSON.parse(r.data) as EntityOf<typeof kind>)
    },
    async listLive(finishedSince: string) {
      return parseRows(await rows(pool, PG_LIVE_INCIDENTS, [finishedSince]))
    },
    async listOverdue(now: string) {
      return parseRows(await rows(pool, 'SELECT data FROM incidents WHERE open = 1 AND stage_deadline < $1 ORDER BY stage_deadline, id', [now]))
    },
    queryIncidents: queue.query,
    countQueue: queue.counts,
    async findHotlineOrder(reporterId: string, orderNo: string) {
      const row = await one<{ data: string }>(pool, PG_FIND_HOTLINE_ORDER, [orderNo, reporterId])
      return row ? JSON.parse(row.data) as Incident : null
    },
    async listReportedBetween(from: string, to: string) {
      return parseRows(await rows(pool, 'SELECT data FROM incidents WHERE reported_at >= $1 AND reported_at < $2 ORDER BY reported_at, id', [from, to]))
    },
    async snapshot(finishedSince: string) {
      // One snapshot of the database for both reads: the head and the incidents it reflects.
      return tx(pool, async (c) => {
        const seq = (await c.query<{ seq: number }>('SELECT seq FROM log_head WHERE id = 1')).rows[0]?.seq ?? 0
        const incidents = parseRows((await c.query(PG_LIVE_INCIDENTS, [finishedSince])).rows)
        return { seq, incidents }
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    },
    onCommit(listener: (changes: Change[]) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onGroup(listener: (g: GroupStats) => void) {
      groupListeners.add(listener)
      return () => groupListeners.delete(listener)
    },
    head,
    async tail() {
      const row = await one<{ t: number | null }>(pool, 'SELECT MIN(seq) AS t FROM changes')
      return row?.t ?? await head() + 1
    },
    async changesSince(since: number, limit: number) {
      // A bigint holds every seq; a larger `since` (a client's garbage) is past the head, as on SQLite.
      const after = Math.min(Math.trunc(since), Number.MAX_SAFE_INTEGER)
      return (await rows<ChangeRow>(pool, 'SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2', [after, Math.min(limit, 100_000)])).map(toChange)
    },
  } satisfies Store & { pool: pg.Pool, schema: string, settle: () => Promise<void> }
  return withProblems(store, pgProblemOf)
}

/** The PostgreSQL pool behind a store, for what every node shares beside the stores (photos, presence, the district); null for SQLite. */
export function poolOf(store: Store): pg.Pool | null {
  return store.dialect === 'postgres' && 'pool' in store && store.pool instanceof pg.Pool ? store.pool : null
}
