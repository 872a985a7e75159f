import type { Database as Db, Statement } from 'better-sqlite3'
import type { EvacuationCheck, VulnerablePerson } from '../../shared/resources/schema.ts'

// The register of vulnerable people and the evacuation check-offs (#17): personal data, kept in tables of their own
// and never in the change log (the log carries only counts per grid, `evacuation` entities).

export const REGISTER_MIGRATION = `
  CREATE TABLE vulnerable_people (
    id TEXT PRIMARY KEY,
    grid_id TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX vulnerable_people_grid ON vulnerable_people (grid_id);
  CREATE TABLE evacuation_checks (
    operation_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (operation_id, person_id)
  ) WITHOUT ROWID;
`

export interface RegisterStore {
  /** Everyone on the register, or one grid's. */
  list: (gridId?: string) => Promise<VulnerablePerson[]>
  get: (id: string) => Promise<VulnerablePerson | null>
  /** Inserts or replaces these people, all in one transaction. */
  save: (people: VulnerablePerson[]) => Promise<void>
  remove: (id: string) => Promise<boolean>
  checks: (operationId: string, gridId?: string) => Promise<EvacuationCheck[]>
  /** One person's check-off in an operation (the latest replaces the earlier). */
  check: (c: EvacuationCheck) => Promise<void>
}

export function createSqliteRegisterStore(db: Db): RegisterStore {
  let prepared: Record<string, Statement> | null = null
  const q = () => (prepared ??= {
    all: db.prepare('SELECT data FROM vulnerable_people ORDER BY grid_id, id'),
    grid: db.prepare('SELECT data FROM vulnerable_people WHERE grid_id = ? ORDER BY id'),
    get: db.prepare('SELECT data FROM vulnerable_people WHERE id = ?'),
    put: db.prepare('INSERT OR REPLACE INTO vulnerable_people (id, grid_id, data, updated_at) VALUES (?, ?, ?, ?)'),
    remove: db.prepare('DELETE FROM vulnerable_people WHERE id = ?'),
    checks: db.prepare('SELECT data FROM evacuation_checks WHERE operation_id = ? ORDER BY grid_id, person_id'),
    gridChecks: db.prepare('SELECT data FROM evacuation_checks WHERE operation_id = ? AND grid_id = ? ORDER BY person_id'),
    check: db.prepare('INSERT OR REPLACE INTO evacuation_checks (operation_id, person_id, grid_id, data) VALUES (?, ?, ?, ?)'),
  })
  const parse = <T>(rows: unknown[]) => (rows as { data: string }[]).map(r => JSON.parse(r.data) as T)
  const save = db.transaction((people: VulnerablePerson[]) => {
    for (const p of people) q().put!.run(p.id, p.gridId, JSON.stringify(p), p.updatedAt)
  })
  return {
    async list(gridId) {
      return parse<VulnerablePerson>(gridId === undefined ? q().all!.all() : q().grid!.all(gridId))
    },
    async get(id) {
      const r = q().get!.get(id) as { data: string } | undefined
      return r ? JSON.parse(r.data) as VulnerablePerson : null
    },
    async save(people) {
      save(people)
    },
    async remove(id) {
      return q().remove!.run(id).changes === 1
    },
    async checks(operationId, gridId) {
      return parse<EvacuationCheck>(gridId === undefined ? q().checks!.all(operationId) : q().gridChecks!.all(operationId, gridId))
    },
    async check(c) {
      q().check!.run(c.operationId, c.personId, c.gridId, JSON.stringify(c))
    },
  }
}
