import type pg from 'pg'
import type { AfterActionReport } from '../../../shared/wartime/after-action.ts'
import type { AfterActionRow, AfterActionStore } from '../../wartime/after-action/store.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows } from './pool.ts'

// The after-action reports on PostgreSQL (server/wartime/after-action/store.ts is the SQLite side): one row per
// ended operation, the report as JSON text.

export const PG_AFTER_ACTION_DDL = `
  CREATE TABLE after_action (
    operation_id TEXT PRIMARY KEY,
    exercise INTEGER NOT NULL,
    declared_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    report TEXT NOT NULL
  );
  CREATE INDEX after_action_ended ON after_action (ended_at);
`

interface Raw { operation_id: string, created_at: string, report: string }
const rowOf = (r: Raw): AfterActionRow => ({ operationId: r.operation_id, createdAt: r.created_at, report: JSON.parse(r.report) as AfterActionReport })

export function createPgAfterActionStore(pool: pg.Pool): AfterActionStore {
  return withProblems<AfterActionStore>({
    async put({ operationId, createdAt, report }) {
      // A second report replaces the first but keeps the declared time first written, as SQLite's upsert does.
      await pool.query(`INSERT INTO after_action (operation_id, exercise, declared_at, ended_at, created_at, report) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (operation_id) DO UPDATE SET exercise = excluded.exercise, ended_at = excluded.ended_at, created_at = excluded.created_at, report = excluded.report`, [operationId, report.exercise ? 1 : 0, report.declaredAt, report.endedAt ?? createdAt, createdAt, JSON.stringify(report)])
    },
    async get(operationId) {
      const r = await one<Raw>(pool, 'SELECT operation_id, created_at, report FROM after_action WHERE operation_id = $1', [operationId])
      return r ? rowOf(r) : null
    },
    async list() {
      return (await rows<Raw>(pool, 'SELECT operation_id, created_at, report FROM after_action ORDER BY ended_at DESC, operation_id')).map(rowOf)
    },
  }, pgProblemOf)
}
