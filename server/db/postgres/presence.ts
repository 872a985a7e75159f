import type pg from 'pg'
import type { WorkerPosition } from '../../../shared/sync/schema.ts'
import type { PresenceStore } from '../../sync/shared-presence.ts'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { rows } from './pool.ts'

// Positions and who is online, shared by every node of a tenant (server/sync/shared-presence.ts beats through it).
// UNLOGGED: live state, not history; a database crash empties the tables and the next beats fill them again. Only
// PostgreSQL has these tables: a SQLite install is one process and keeps them in memory. Heartbeats are the
// database's clock, so the nodes' own clocks need not agree.

export const PG_PRESENCE_DDL = `
  CREATE UNLOGGED TABLE presence_nodes (
    node_id TEXT PRIMARY KEY,
    heartbeat_at TIMESTAMPTZ NOT NULL
  );
  -- One row per person and node holding a socket of theirs: a person on two nodes stays online while either holds one.
  CREATE UNLOGGED TABLE presence_online (
    node_id TEXT NOT NULL REFERENCES presence_nodes (node_id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    PRIMARY KEY (node_id, person_id)
  );
  -- A worker's latest position, whichever node it came through; it goes when that node is forgotten.
  CREATE UNLOGGED TABLE presence_positions (
    person_id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL REFERENCES presence_nodes (node_id) ON DELETE CASCADE,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX presence_positions_node ON presence_positions (node_id);
`

export interface PgPresenceOptions {
  /** This node's id in the shared rows (default: host, process and a random part, new at every start). */
  nodeId?: string
  /** A node silent this long is forgotten with its rows, positions included (default 10 min). */
  forgetMs?: number
}

// One statement, so a beat is all or nothing: the heartbeat, this node's online set, the positions it was told.
// The node row's foreign keys are checked at the statement's end, when the CTE has written it. Positions go in
// person order, so two nodes writing the same people lock them in the same order; an older report loses.
const BEAT = `
  WITH node AS (
    INSERT INTO presence_nodes (node_id, heartbeat_at) VALUES ($1, now())
    ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
  ), gone AS (
    DELETE FROM presence_online WHERE node_id = $1 AND NOT (person_id = ANY ($2::text[]))
  ), came AS (
    INSERT INTO presence_online (node_id, person_id) SELECT $1, p FROM unnest($2::text[]) AS p
    ON CONFLICT DO NOTHING
  )
  INSERT INTO presence_positions (person_id, node_id, lon, lat, at)
  SELECT id, $1, lon, lat, at FROM unnest($3::text[], $4::float8[], $5::float8[], $6::text[]) AS r (id, lon, lat, at) ORDER BY id
  ON CONFLICT (person_id) DO UPDATE SET node_id = excluded.node_id, lon = excluded.lon, lat = excluded.lat, at = excluded.at
  WHERE excluded.at >= presence_positions.at`

const MS = `$1::float8 * interval '1 millisecond'`

export function createPgPresenceStore(pool: pg.Pool, opts: PgPresenceOptions = {}): PresenceStore {
  const nodeId = opts.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const forgetMs = opts.forgetMs ?? 10 * 60_000
  return withProblems<PresenceStore>({
    nodeId,
    async beat(mine, staleMs) {
      const ps = [...mine.positions].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      await pool.query(BEAT, [nodeId, mine.online, ps.map(p => p.id), ps.map(p => p.lon), ps.map(p => p.lat), ps.map(p => p.at)])
      await pool.query(`DELETE FROM presence_nodes WHERE heartbeat_at < now() - ${MS} AND node_id <> $2`, [forgetMs, nodeId])
      const [positions, online] = await Promise.all([
        rows<WorkerPosition>(pool, 'SELECT person_id AS id, lon, lat, at FROM presence_positions'),
        rows<{ id: string }>(pool, `SELECT DISTINCT o.person_id AS id FROM presence_online o JOIN presence_nodes n ON n.node_id = o.node_id
          WHERE n.heartbeat_at > now() - ${MS} AND o.node_id <> $2`, [staleMs, nodeId]),
      ])
      return { positions, online: online.map(r => r.id) }
    },
    async leave() {
      await pool.query('DELETE FROM presence_online WHERE node_id = $1', [nodeId])
    },
  }, pgProblemOf)
}
