import type pg from 'pg'
import type { EvacuationCheck, VulnerablePerson } from '../../../shared/resources/schema.ts'
import type { RegisterStore } from '../../resources/store.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows } from './pool.ts'

// The register of vulnerable people and the evacuation check-offs on PostgreSQL (server/resources/store.ts is the
// SQLite side): personal data in tables of their own, never in the change log.

export const PG_REGISTER_DDL = `
  CREATE TABLE vulnerable_people (
    id TEXT PRIMARY KEY,
    grid_id TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX vulnerable_people_grid ON vulnerable_people (grid_id);
  CREATE TABLE evacuation_checks (
    operation_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (operation_id, person_id)
  );
`

const parse = <T>(list: { data: string }[]) => list.map(r => JSON.parse(r.data) as T)

export function createPgRegisterStore(pool: pg.Pool): RegisterStore {
  return withProblems<RegisterStore>({
    async list(gridId) {
      return parse<VulnerablePerson>(gridId === undefined
        ? await rows(pool, 'SELECT data FROM vulnerable_people ORDER BY grid_id, id')
        : await rows(pool, 'SELECT data FROM vulnerable_people WHERE grid_id = $1 ORDER BY id', [gridId]))
    },
    async get(id) {
      const r = await one<{ data: string }>(pool, 'SELECT data FROM vulnerable_people WHERE id = $1', [id])
      return r ? JSON.parse(r.data) as VulnerablePerson : null
    },
    async save(people) {
      if (!people.length)
        return
      // One statement, so all or nothing like SQLite's transaction (an import is thousands of rows: no round trip
      // each). A person twice in one call: the last one given wins, as row-by-row INSERT OR REPLACE leaves it; an
      // upsert may not touch one row twice, hence DISTINCT ON over the position.
      await pool.query(`INSERT INTO vulnerable_people (id, grid_id, data, updated_at)
        SELECT DISTINCT ON (id) id, grid_id, data, updated_at
          FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS p (id, grid_id, data, updated_at, i)
          ORDER BY id, i DESC
        ON CONFLICT (id) DO UPDATE SET grid_id = excluded.grid_id, data = excluded.data, updated_at = excluded.updated_at`, [people.map(p => p.id), people.map(p => p.gridId), people.map(p => JSON.stringify(p)), people.map(p => p.updatedAt)])
    },
    async remove(id) {
      return (await pool.query('DELETE FROM vulnerable_people WHERE id = $1', [id])).rowCount === 1
    },
    async checks(operationId, gridId) {
      return parse<EvacuationCheck>(gridId === undefined
        ? await rows(pool, 'SELECT data FROM evacuation_checks WHERE operation_id = $1 ORDER BY grid_id, person_id', [operationId])
        : await rows(pool, 'SELECT data FROM evacuation_checks WHERE operation_id = $1 AND grid_id = $2 ORDER BY person_id', [operationId, gridId]))
    },
    async check(c) {
      await pool.query(`INSERT INTO evacuation_checks (operation_id, person_id, grid_id, data) VALUES ($1, $2, $3, $4)
        ON CONFLICT (operation_id, person_id) DO UPDATE SET grid_id = excluded.grid_id, data = excluded.data`, [c.operationId, c.personId, c.gridId, JSON.stringify(c)])
    },
  }, pgProblemOf)
}
