import type pg from 'pg'
import type { IncidentRows, Params } from '../rows.ts'
import { DESK_COLUMNS } from '../queue.ts'

// A run of one-incident requests of a group (distinct incidents, distinct op keys) in one statement: every incident
// row (each with its version check), then the history and audit rows of those that wrote. The group's transaction
// used to make one round trip per request, and each waited for the node's event loop, busy with the callers' own
// work: most of a group's time. Column arrays through unnest keep the statement's text the same for any run.

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
export async function writeRun(c: pg.PoolClient, run: RunMember[]): Promise<Set<string>> {
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
