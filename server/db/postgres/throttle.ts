import type pg from 'pg'
import type { ThrottleCounters } from '../../auth/throttle.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows } from './pool.ts'

// The sign-in throttle's counts in the tenant's database, so every node counts the same attempts (#19). UNLOGGED:
// no WAL for counts that matter for minutes; a crash empties the table, which only forgives recent failures. Only
// PostgreSQL has this table: a SQLite install is one process and counts in memory. Times are ISO 8601 in UTC with
// milliseconds, which order as text as they do in time.

export const PG_THROTTLE_DDL = `
  CREATE UNLOGGED TABLE sign_in_throttle (
    key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
  );
  CREATE INDEX sign_in_throttle_window_start ON sign_in_throttle (window_start);
`

const iso = (ms: number) => new Date(ms).toISOString()

const ON_CONFLICT = 'ON CONFLICT (key, window_start) DO UPDATE SET count = sign_in_throttle.count + 1 RETURNING window_start, count'

export function createPgThrottleCounters(pool: pg.Pool): ThrottleCounters {
  return withProblems<ThrottleCounters>({
    async hit(key, at, windowMs) {
      // The window is the key's earliest live one, found in the same statement. Two nodes opening a key's first
      // window in the same instant may open two; the later one's single attempt is then not counted again.
      const r = (await one<{ window_start: string, count: number }>(pool, `INSERT INTO sign_in_throttle (key, window_start, count)
        VALUES ($1, COALESCE((SELECT min(window_start) FROM sign_in_throttle WHERE key = $1 AND window_start > $3), $2), 1) ${ON_CONFLICT}`, [key, iso(at), iso(at - windowMs)]))!
      return { start: Date.parse(r.window_start), count: r.count }
    },
    async record(key, at) {
      await pool.query(`INSERT INTO sign_in_throttle (key, window_start, count) VALUES ($1, $2, 1) ${ON_CONFLICT}`, [key, iso(at)])
    },
    events: async (key, from, limit) => (await rows<{ window_start: string, count: number }>(pool, 'SELECT window_start, count FROM sign_in_throttle WHERE key = $1 AND window_start >= $2 ORDER BY window_start DESC LIMIT $3', [key, iso(from), limit ?? null]))
      .map(r => ({ at: Date.parse(r.window_start), count: r.count })),
    async clear(key) {
      await pool.query('DELETE FROM sign_in_throttle WHERE key = $1', [key])
    },
    async sweep(before) {
      await pool.query('DELETE FROM sign_in_throttle WHERE window_start < $1', [iso(before)])
    },
  }, pgProblemOf)
}
