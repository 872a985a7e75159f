import type pg from 'pg'
import type { Writer } from '../group-commit.ts'
import type { BatchReply, EncodedRequest, IncidentRows, MutationRows, OpRow, Outcome, StoredOp } from '../rows.ts'
import { VersionConflictError } from '../errors.ts'
import { storedOp, toWire } from '../rows.ts'
import { incidentConflict, writeIncident, writeIncidents } from './incident-writes.ts'
import { tx } from './pool.ts'

// The group commit's writer on PostgreSQL: a group of encoded requests (server/db/rows.ts) in one transaction on one
// connection. Each op key is claimed first (INSERT … ON CONFLICT DO NOTHING: a retry through another node waits for
// the first to commit, then reads its answer); then the rows (consecutive one-incident requests as one run, incident-writes.ts);
// then, last, the tenant's counter row gives the group's changes their seqs and the changes are written in one
// statement. The counter row's lock is held only from there to COMMIT, so writers of several nodes serialise on a
// few statements, and seqs are gap-free and in commit order.

const SQL = {
  claimOp: 'INSERT INTO ops (key, status, body, fingerprint, at, seq) VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (key) DO NOTHING',
  dropOp: 'DELETE FROM ops WHERE key = $1',
  dropOps: 'DELETE FROM ops WHERE key = ANY($1::text[])',
  readOp: 'SELECT o.status, o.body, o.fingerprint, o.seq, c.data FROM ops o LEFT JOIN changes c ON c.seq = o.seq WHERE o.key = $1',
  insertEntity: 'INSERT INTO entities (kind, id, version, updated_at, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, id) DO NOTHING',
  updateEntity: 'UPDATE entities SET version = $1, updated_at = $2, data = $3 WHERE kind = $4 AND id = $5 AND version = $6',
  entityVersion: 'SELECT version FROM entities WHERE kind = $1 AND id = $2',
  insertReferenceVersion: 'INSERT INTO reference_versions (version, at, meta, data) VALUES ($1, $2, $3, $4)',
  upsertMeta: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  insertAudit: 'INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
  claimOps: `INSERT INTO ops (key, status, body, fingerprint, at, seq)
    SELECT k, s, b, f, a, NULL FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) AS v(k, s, b, f, a)
    ON CONFLICT (key) DO NOTHING RETURNING key`,
  readOps: 'SELECT o.key, o.status, o.body, o.fingerprint, o.seq, c.data FROM ops o LEFT JOIN changes c ON c.seq = o.seq WHERE o.key = ANY($1::text[])',
  // The counter row, the group's changes after it and the seqs of the op keys that refer to one, in one statement:
  // `n` is a change's place in the group (1-based), its seq the new head - count + n.
  log: `WITH head AS (UPDATE log_head SET seq = seq + $1 WHERE id = 1 RETURNING seq),
    log AS (INSERT INTO changes (seq, at, kind, entity_id, action, data)
      SELECT head.seq - $1 + c.n, c.at, c.kind, c.entity_id, c.action, c.data
      FROM head, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS c(at, kind, entity_id, action, data, n)),
    refs AS (UPDATE ops SET seq = head.seq - $1 + r.n FROM head, unnest($7::text[], $8::bigint[]) AS r(key, n) WHERE ops.key = r.key)
    SELECT seq FROM head`,
}

/** A request failed after writing part of its rows: the group is undone and run again with a savepoint each. */
class PartialWrite extends Error {}

/** Writes a mutation's rows (its version check first: a conflict writes nothing); answers its change row without seq. */
async function writeMutation(c: pg.PoolClient, r: MutationRows, progress: { wrote: boolean }): Promise<void> {
  if (r.t === 'entity') {
    const done = await c.query(r.version === 1 ? SQL.insertEntity : SQL.updateEntity, r.row)
    if (done.rowCount !== 1) {
      const current = (await c.query<{ version: number }>(SQL.entityVersion, [r.kind, r.id])).rows[0]
      throw new VersionConflictError(`${r.kind}:${r.id}`, current?.version ?? 0, r.version)
    }
    progress.wrote = true
    if (r.blob !== null)
      await c.query(SQL.insertReferenceVersion, [r.version, r.change[0], r.change[4], r.blob])
    return
  }
  if (!await writeIncident(c, r, null))
    throw await incidentConflict(c, r)
  progress.wrote = true
}

/** Writes a request of one incident mutation and its audit row; a version conflict writes nothing. */
async function writeIncidentRequest(c: pg.PoolClient, req: EncodedRequest): Promise<void> {
  const r = req.rows[0] as IncidentRows
  if (!await writeIncident(c, r, req.audit))
    throw await incidentConflict(c, r)
}

/** The op keys of a group claimed in one statement (the first request with each key), and the answers of the others. */
async function claimAll(c: pg.PoolClient, batch: EncodedRequest[]): Promise<{ claimed: Set<string>, stored: Map<string, StoredOp> }> {
  const first = new Map<string, NonNullable<EncodedRequest['op']>>()
  for (const req of batch) {
    if (req.op && !first.has(req.op.key))
      first.set(req.op.key, req.op)
  }
  if (first.size === 0)
    return { claimed: new Set(), stored: new Map() }
  const ops = [...first.values()]
  const got = await c.query<{ key: string }>(SQL.claimOps, [ops.map(o => o.key), ops.map(o => o.status), ops.map(o => o.body), ops.map(o => o.fingerprint), ops.map(o => o.at)])
  const claimed = new Set(got.rows.map(r => r.key))
  const others = ops.filter(o => !claimed.has(o.key)).map(o => o.key)
  const stored = new Map<string, StoredOp>()
  if (others.length > 0) {
    const rows = (await c.query<OpRow & { key: string }>(SQL.readOps, [others])).rows
    for (const row of rows) stored.set(row.key, storedOp(row))
  }
  return { claimed, stored }
}

async function readStored(c: pg.PoolClient, key: string): Promise<StoredOp | null> {
  const row = (await c.query<OpRow>(SQL.readOp, [key])).rows[0]
  return row ? storedOp(row) : null
}

/** One group in the open transaction; `isolate` gives each request a savepoint. Answers each request's outcome. */
async function runGroup(c: pg.PoolClient, batch: EncodedRequest[], isolate: boolean): Promise<Outcome[]> {
  const outcomes: (Outcome | { pending: number[] })[] = Array.from({ length: batch.length })
  /** The group's change rows in order, and which request each belongs to. */
  const changes: { req: number, row: (string | number | null)[] }[] = []
  /** Op keys this group wrote: a second request with the key inside the group is answered from here. */
  const claimed = new Map<string, { req: number, stored: StoredOp }>()
  // The fast path claims every key of the group at once; with savepoints each request claims its own.
  const pre = isolate ? null : await claimAll(c, batch)
  /** A request written: its changes take the next places in the group's log, its op key answers later retries. */
  function wrote(i: number, req: EncodedRequest): void {
    const mine: number[] = []
    for (const r of req.rows) {
      mine.push(changes.length)
      changes.push({ req: i, row: r.change })
    }
    const op = req.op
    if (op) {
      const body = op.ref === null ? op.body : req.rows[op.ref]!.change[4] as string
      claimed.set(op.key, { req: i, stored: { status: op.status, body, fingerprint: op.fingerprint } })
    }
    outcomes[i] = { pending: mine }
  }
  // The fast path gathers consecutive one-incident requests into a run written in one statement (incident-writes.ts).
  const run: { i: number, req: EncodedRequest, rows: IncidentRows }[] = []
  /** Writes the run; any error of PostgreSQL in it aborts the transaction: the group runs again, a savepoint each. */
  async function flushRun(): Promise<void> {
    try {
      await writeMembers(run.splice(0))
    }
    catch (e) {
      throw new PartialWrite('partial run', { cause: e })
    }
  }
  async function writeMembers(members: typeof run): Promise<void> {
    const { written, current } = await writeIncidents(c, members.map(m => ({ rows: m.rows, audit: m.req.audit })))
    // Nothing of the refused written but their claims: dropped, so the keys stay free for a retry.
    const keys = members.flatMap(m => m.req.op && !written.has(m.rows.id) ? [m.req.op.key] : [])
    if (keys.length > 0)
      await c.query(SQL.dropOps, [keys])
    for (const m of members) {
      if (written.has(m.rows.id))
        wrote(m.i, m.req)
      else
        outcomes[m.i] = { error: toWire(new VersionConflictError(m.rows.id, current.get(m.rows.id) ?? 0, m.rows.version)) }
    }
  }
  for (const [i, req] of batch.entries()) {
    const op = req.op
    const only = req.rows[0]
    const incident = req.rows.length === 1 && only?.t === 'incident' ? only : null
    /** A request the run can take: one incident mutation, no settings, in the fast path. */
    const runnable = !isolate && req.meta === null ? incident : null
    // What the run touches (an incident, an op key) is read or written next only after the run is.
    if (run.length > 0 && (!runnable || run.some(m => m.rows.id === runnable.id || (op && m.req.op?.key === op.key))))
      await flushRun()
    if (op) {
      const earlier = claimed.get(op.key)
      if (earlier) {
        outcomes[i] = { replay: earlier.stored }
        continue
      }
    }
    const progress = { wrote: false }
    if (isolate)
      await c.query('SAVEPOINT request')
    try {
      const replay = pre && op && pre.stored.get(op.key)
      if (replay) {
        outcomes[i] = { replay }
        continue
      }
      // Claimed above (used once: a later request with the key whose first failed claims it again), or claimed now.
      if (op && !pre?.claimed.delete(op.key)) {
        const claim = await c.query(SQL.claimOp, [op.key, op.status, op.body, op.fingerprint, op.at])
        if (claim.rowCount !== 1) {
          const stored = await readStored(c, op.key)
          if (isolate)
            await c.query('RELEASE SAVEPOINT request')
          outcomes[i] = stored ? { replay: stored } : { error: toWire(new Error(`op ${op.key} vanished`)) }
          continue
        }
      }
      if (runnable) {
        run.push({ i, req, rows: runnable })
        continue
      }
      try {
        if (incident) {
          await writeIncidentRequest(c, req)
        }
        else {
          for (const r of req.rows) await writeMutation(c, r, progress)
        }
      }
      catch (e) {
        // Nothing of the request written but its claim: drop the claim, so the key stays free for a retry.
        if (!progress.wrote && e instanceof VersionConflictError && op)
          await c.query(SQL.dropOp, [op.key])
        throw e
      }
      if (req.audit && !incident)
        await c.query(SQL.insertAudit, req.audit)
      for (const [key, value] of req.meta ?? []) await c.query(SQL.upsertMeta, [key, value])
      wrote(i, req)
      if (isolate)
        await c.query('RELEASE SAVEPOINT request')
    }
    catch (e) {
      // In the fast path a failure that wrote something, or any error of PostgreSQL itself (it aborts the whole
      // transaction), undoes the group so it can be run again with savepoints.
      if (!isolate && (progress.wrote || !(e instanceof VersionConflictError)))
        throw new PartialWrite('partial request', { cause: e })
      if (isolate)
        await c.query('ROLLBACK TO SAVEPOINT request')
      outcomes[i] = { error: toWire(e) }
    }
  }
  if (run.length > 0)
    await flushRun()
  // A group with no change (requests of only an audit row or settings, replays, refusals) takes no seq.
  if (changes.length === 0)
    return outcomes.map(o => 'pending' in o ? { seqs: [] } : o)
  // Last: the counter row (its lock is held until COMMIT), every change of the group and the op keys' seqs.
  const refs = batch.flatMap((req, i) => {
    const o = outcomes[i]!
    return req.op && req.op.ref !== null && 'pending' in o ? [[req.op.key, o.pending[req.op.ref]! + 1] as const] : []
  })
  const column = (k: number) => changes.map(ch => ch.row[k])
  const last = (await c.query<{ seq: number }>(SQL.log, [changes.length, column(0), column(1), column(2), column(3), column(4), refs.map(r => r[0]), refs.map(r => r[1])])).rows[0]!.seq
  const first = last - changes.length + 1
  return outcomes.map(o => 'pending' in o ? { seqs: o.pending.map(k => first + k) } : o)
}

/** The writer of a PostgreSQL store: one group at a time, each on a connection of the pool, in one transaction. */
export function pgWriter(pool: pg.Pool): Writer {
  const attempt = (batch: EncodedRequest[], isolate: boolean): Promise<Outcome[]> => tx(pool, c => runGroup(c, batch, isolate))
  return {
    async write(batch): Promise<BatchReply> {
      const started = performance.now()
      try {
        let outcomes: Outcome[]
        try {
          outcomes = await attempt(batch, false)
        }
        catch (e) {
          if (!(e instanceof PartialWrite))
            throw e
          outcomes = await attempt(batch, true)
        }
        return { seconds: (performance.now() - started) / 1000, outcomes }
      }
      catch (e) {
        return { seconds: (performance.now() - started) / 1000, failed: toWire(e) }
      }
    },
    async close() {},
  }
}
