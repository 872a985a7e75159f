import type { Database as Db } from 'better-sqlite3'
import type { AfterActionReport } from '../../../shared/wartime/after-action.ts'

// The after-action reports, one row per ended operation (#17): the figures as the server built them when the
// operation ended, kept so that a later package or a pruned change log cannot change a past report. The HTML and
// XLSX are rendered from this row at each download (small, and always the current rendering).

export const AFTER_ACTION_MIGRATION = `
  CREATE TABLE after_action (
    operation_id TEXT PRIMARY KEY,
    exercise INTEGER NOT NULL,
    declared_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    report TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX after_action_ended ON after_action (ended_at);
`

export interface AfterActionRow { operationId: string, createdAt: string, report: AfterActionReport }

export interface AfterActionStore {
  /** Keeps the report of an operation (a second report of the same operation replaces the first). */
  put: (row: AfterActionRow) => Promise<void>
  get: (operationId: string) => Promise<AfterActionRow | null>
  /** Every kept report, the latest ended first. */
  list: () => Promise<AfterActionRow[]>
}

interface Raw { operation_id: string, created_at: string, report: string }
const rowOf = (r: Raw): AfterActionRow => ({ operationId: r.operation_id, createdAt: r.created_at, report: JSON.parse(r.report) as AfterActionReport })

export function createSqliteAfterActionStore(db: Db): AfterActionStore {
  return {
    async put({ operationId, createdAt, report }) {
      db.prepare(`INSERT INTO after_action (operation_id, exercise, declared_at, ended_at, created_at, report) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (operation_id) DO UPDATE SET exercise = excluded.exercise, ended_at = excluded.ended_at, created_at = excluded.created_at, report = excluded.report`)
        .run(operationId, report.exercise ? 1 : 0, report.declaredAt, report.endedAt ?? createdAt, createdAt, JSON.stringify(report))
    },
    async get(operationId) {
      const r = db.prepare('SELECT operation_id, created_at, report FROM after_action WHERE operation_id = ?').get(operationId) as Raw | undefined
      return r ? rowOf(r) : null
    },
    async list() {
      return (db.prepare('SELECT operation_id, created_at, report FROM after_action ORDER BY ended_at DESC, operation_id').all() as Raw[]).map(rowOf)
    },
  }
}
