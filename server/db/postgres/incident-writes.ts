import type pg from 'pg'
import type { IncidentRows, Params } from '../rows.ts'
import { VersionConflictError } from '../errors.ts'
import { DESK_COLUMNS } from '../queue.ts'

// How the PostgreSQL writer (writer.ts) writes incidents: one incident mutation in one statement (the row with its
// version check, then its history and audit rows only if that wrote), and a run of one-incident requests of a group
// (distinct incidents, distinct op keys) in one statement over unnest column arrays. The group's transaction used to
// make one round trip per request, and each waited for the node's event loop, busy with the callers' own work: most
// of a group's time. Column arrays keep the run statement's text the same for any run.

const cols = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')
const INSERT = `INSERT INTO incidents (id, version, state, open, stage_deadline, reported_at, finished_at, data, ${DESK_COLUMNS.join(', ')})
    VALUES (${cols(8 + DESK_COLUMNS.length)}) ON CONFLICT (id) DO NOTHING`
const UPDATE = `UPDATE incidents SET version = $1, state = $2, open = $3, stage_deadline = $4, finished_at = $5, data = $6,
    ${DESK_COLUMNS.map((c, i) => `${c} = $${i + 7}`).join(', ')}
    WHERE id = $${7 + DESK_COLUMNS.length} AND version = $${8 + DESK_COLUMNS.length}`

/** One incident mutation, its audit row optional, in one statement (`insert`: its first version). */
function incidentStatement(insert: boolean, audit: boolean): string {
  const n = 8 + DESK_COLUMNS.length
  const h = (k: number) => `$${n + k}`
  const a = (k: number) => `$${n + 7 + k}`
  return `WITH inc AS (${insert ? INSERT : UPDATE} RETURNING id),
    hist AS (INSERT INTO incident_history (incident_id, version, at, action, actor_id, actor_role, data)
      SELECT ${h(1)}, ${h(2)}::int, ${h(3)}, ${h(4)}, ${h(5)}, ${h(6)}, ${h(7)} FROM inc)${audit
        ? `,
    aud AS (INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail)
      SELECT ${Array.from({ length: 10 }, (_, k) => a(k + 1)).join(', ')} FROM inc)`
        : ''}
    SELECT COUNT(*)::int AS wrote FROM inc`
}
const INCIDENT_STATEMENTS = new Map([true, false].flatMap(v1 => [true, false].map(au => [`${v1}:${au}`, incidentStatement(v1, au)])))

/** Writes one incident mutation and its audit row; false when its version check failed (nothing written). */
export async function writeIncident(c: pg.PoolClient, r: IncidentRows, audit: Params | null): Promise<boolean> {
  const text = INCIDENT_STATEMENTS.get(`${r.version === 1}:${audit !== null}`)!
  const done = await c.query<{ wrote: number }>(text, [...r.row, ...r.history, ...(audit ?? [])])
  return done.rows[0]!.wrote === 1
}

/** The conflict of an incident mutation that did not write, with the version stored now. */
export async function incidentConflict(c: pg.PoolClient, r: IncidentRows): Promise<VersionConflictError> {
  const current = (await c.query<{ version: number }>('SELECT version FROM incidents WHERE id = $1', [r.id])).rows[0]
  return new VersionConflictError(r.id, current?.version ?? 0, r.version)
}

/** An incident request of a run: its rows and, if any, its audit row. */
export interface RunMember { rows: IncidentRows, audit: Params | null }

type Desk = typeof DESK_COLUMNS[number]
const DESK_TYPES: Record<Desk, string> = {
  community_id: 'text',
  grid_id: 'text',
  sector_id: 'text',
  post_id: 'text',
  helper_sectors: 'text',
  assignee_id: 'text',
  reporter_id: 'text',
  reporter_phone: 'text',
  category: 'text',
  severity: 'int',
  loop: 'text',
  channel: 'text',
  lon: 'float8',
  lat: 'float8',
  due: 'text',
  search_text: 'text',
}
const TYPES: Record<string, string> = { id: 'text', version: 'int', state: 'text', open: 'int', stage_deadline: 'text', reported_at: 'text', finished_at: 'text', data: 'text', prev: 'int', ...DESK_TYPES }

/** The columns of rows.ts's insertIncident and updateIncident parameters, in their order. */
const INSERTED = ['id', 'version', 'state', 'open', 'stage_deadline', 'reported_at', 'finished_at', 'data', ...DESK_COLUMNS]
const UPDATED = ['version', 'state', 'open', 'stage_deadline', 'finished_at', 'data', ...DESK_COLUMNS, 'id', 'prev']
const HISTORY = ['incident_id', 'version', 'at', 'action', 'actor_id', 'actor_role', 'data']
const AUDIT = ['at', 'actor_kind', 'actor_id', 'role', 'ip', 'via', 'action', 'target', 'result', 'detail']

function runStatement(): string {
  let n = 0
  const arrays = (cols: string[], type = (c: string) => TYPES[c]!) => cols.map(c => `$${++n}::${type(c)}[]`).join(', ')
  const ins = `INSERT INTO incidents (${INSERTED.join(', ')}) SELECT * FROM unnest(${arrays(INSERTED)})
    ON CONFLICT (id) DO NOTHING RETURNING id`
  const upd = `UPDATE incidents i SET ${UPDATED.slice(0, -2).map(c => `${c} = v.${c}`).join(', ')}
    FROM unnest(${arrays(UPDATED)}) AS v(${UPDATED.join(', ')}) WHERE i.id = v.id AND i.version = v.prev RETURNING i.id`
  const hist = `INSERT INTO incident_history (${HISTORY.join(', ')}) SELECT ${HISTORY.map(c => `h.${c}`).join(', ')}
    FROM unnest(${arrays(HISTORY, c => c === 'version' ? 'int' : 'text')}) AS h(${HISTORY.join(', ')}) WHERE h.incident_id IN (SELECT id FROM w)`
  // In the requests' order: the audit trail's ids follow it, as when each request wrote its own row.
  const aud = `INSERT INTO audit (${AUDIT.join(', ')}) SELECT ${AUDIT.map(c => `a.${c}`).join(', ')}
    FROM unnest(${arrays([...AUDIT, 'incident_id'], () => 'text')}) WITH ORDINALITY AS a(${AUDIT.join(', ')}, incident_id, ord)
    WHERE a.incident_id IN (SELECT id FROM w) ORDER BY a.ord`
  return `WITH ins AS (${ins}), upd AS (${upd}), w AS (SELECT id FROM ins UNION ALL SELECT id FROM upd),
    hist AS (${hist}), aud AS (${aud}) SELECT id FROM w`
}
const RUN_SQL = runStatement()

/** Rows as column arrays (unnest's parameters). */
function columns(rows: Params[], width: number): Params[] {
  return Array.from({ length: width }, (_, k) => rows.map(r => r[k]!))
}

/** Writes a run; answers the ids of the incidents that wrote (the others failed their version check and wrote nothing). */
async function writeRun(c: pg.PoolClient, run: RunMember[]): Promise<Set<string>> {
  const inserted = run.filter(m => m.rows.version === 1).map(m => m.rows.row)
  const updated = run.filter(m => m.rows.version !== 1).map(m => m.rows.row)
  const audited = run.filter(m => m.audit !== null).map(m => [...m.audit!, m.rows.id])
  const values = [
    ...columns(inserted, INSERTED.length),
    ...columns(updated, UPDATED.length),
    ...columns(run.map(m => m.rows.history), HISTORY.length),
    ...columns(audited, AUDIT.length + 1),
  ]
  const got = await c.query<{ id: string }>(RUN_SQL, values)
  return new Set(got.rows.map(r => r.id))
}

/**
 * Writes the incident requests of a run: the incidents that wrote, and the version stored now of each that did not
 * (its version check failed). A run of one (a light load; the one-per-transaction baseline) takes the smaller
 * statement, cheaper to plan.
 */
export async function writeIncidents(c: pg.PoolClient, run: RunMember[]): Promise<{ written: Set<string>, current: Map<string, number> }> {
  const one = run.length === 1 ? run[0]! : null
  const written = one ? new Set(await writeIncident(c, one.rows, one.audit) ? [one.rows.id] : []) : await writeRun(c, run)
  const refused = run.filter(m => !written.has(m.rows.id)).map(m => m.rows.id)
  const current = new Map<string, number>()
  if (refused.length > 0) {
    for (const r of (await c.query<{ id: string, version: number }>('SELECT id, version FROM incidents WHERE id = ANY($1::text[])', [refused])).rows)
      current.set(r.id, r.version)
  }
  return { written, current }
}
