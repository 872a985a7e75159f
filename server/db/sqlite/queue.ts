import type { Database as Db } from 'better-sqlite3'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { IncidentQuery, QueueCounts } from '../store.ts'
import { OPEN_STATES, POST_WORK_STATES, TAB_STATES } from '../../../shared/desk/queue.ts'
import { parseRows } from './statements.ts'

// The desk's queue over the whole incidents table: the columns each incident row carries for it, and the SQL
// that answers shared/desk/queue.ts's tabs with indexes (tests/server/desk checks the two agree).

/** The queue's columns, in the order the insert and update statements take them. */
export const DESK_COLUMNS = ['community_id', 'grid_id', 'sector_id', 'post_id', 'helper_sectors', 'assignee_id', 'reporter_id', 'reporter_phone', 'category', 'severity', 'loop', 'channel', 'lon', 'lat', 'due', 'search_text'] as const

/** The sort key of an open incident: its stage deadline, or after every deadline when it has none. */
const NO_DEADLINE = '9999-12-31T23:59:59.999Z'

export function deskValues(inc: Incident, open: boolean): (string | number | null)[] {
  const o = inc.owner
  return [
    o.communityId,
    o.gridId,
    o.sectorId,
    o.postId,
    o.helperSectorIds.length ? `,${o.helperSectorIds.join(',')},` : null,
    o.assigneeId,
    inc.reporterId,
    inc.reporterPhone ?? null,
    inc.category,
    inc.severity,
    o.loop,
    inc.channel,
    inc.location.lon,
    inc.location.lat,
    open ? inc.stageDeadline ?? NO_DEADLINE : null,
    // What free text matches: the number, title, description and address (never personal data), and a 12345 order's
    // number (#16; server/db/sqlite/hotline.ts fills it for rows written before).
    `${inc.id}\n${inc.title}\n${inc.description}\n${inc.address}${inc.hotline ? `\n${inc.hotline.orderNo}` : ''}`.toLowerCase(),
  ]
}

/** The migration that adds the queue's columns, fills them from the stored rows and indexes them. */
export const DESK_MIGRATION = `
  ${DESK_COLUMNS.map(c => `ALTER TABLE incidents ADD COLUMN ${c} ${c === 'severity' ? 'INTEGER' : c === 'lon' || c === 'lat' ? 'REAL' : 'TEXT'};`).join('\n  ')}
  UPDATE incidents SET
    community_id = data ->> '$.owner.communityId',
    grid_id = data ->> '$.owner.gridId',
    sector_id = data ->> '$.owner.sectorId',
    post_id = data ->> '$.owner.postId',
    helper_sectors = CASE WHEN json_array_length(data, '$.owner.helperSectorIds') > 0
      THEN ',' || (SELECT group_concat(value, ',') FROM json_each(data, '$.owner.helperSectorIds')) || ',' END,
    assignee_id = data ->> '$.owner.assigneeId',
    reporter_id = data ->> '$.reporterId',
    reporter_phone = data ->> '$.reporterPhone',
    category = data ->> '$.category',
    severity = data ->> '$.severity',
    loop = data ->> '$.owner.loop',
    channel = data ->> '$.channel',
    lon = data ->> '$.location.lon',
    lat = data ->> '$.location.lat',
    due = CASE WHEN open = 1 THEN coalesce(stage_deadline, '${NO_DEADLINE}') END,
    search_text = lower(id || char(10) || (data ->> '$.title') || char(10) || (data ->> '$.description') || char(10) || (data ->> '$.address'));
  CREATE INDEX incidents_queue ON incidents (open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_community ON incidents (community_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_grid ON incidents (grid_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_sector ON incidents (sector_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_assignee ON incidents (assignee_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_reporter ON incidents (reporter_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_category_reported ON incidents (category, reported_at);
  -- Free text is matched by scanning this narrow index, never the rows with their JSON.
  CREATE INDEX incidents_search ON incidents (search_text, open, due, reported_at, id);
`

const ORDER = 'ORDER BY open DESC, due, reported_at DESC, id DESC'
/** How far a page's total is counted. */
export const TOTAL_BOUND = 10_000

type Params = Record<string, string | number>

/** Assigned to me by name, or to my post without a name while the post works it (POST_WORK_STATES). */
const ASSIGNED_TO_ME = `(assignee_id = @me OR (assignee_id IS NULL AND post_id = @mypost AND ${`state IN (${POST_WORK_STATES.map(s => `'${s}'`).join(', ')})`}))`

/** The caller's reach as SQL (`all` reaches everything), plus their own reports. */
function reachSql(q: Pick<IncidentQuery, 'reach' | 'personId'>, p: Params): string {
  const r = q.reach
  if (r.all)
    return '1'
  const parts: string[] = []
  const list = (col: string, values: string[], name: string) => {
    if (values.length === 0)
      return
    values.forEach((v, i) => (p[`${name}${i}`] = v))
    parts.push(`${col} IN (${values.map((_, i) => `@${name}${i}`).join(', ')})`)
  }
  list('sector_id', r.sectorIds, 'rs')
  r.sectorIds.forEach((v, i) => {
    p[`rh${i}`] = `,${v},`
    parts.push(`instr(helper_sectors, @rh${i}) > 0`)
  })
  list('community_id', r.communityIds, 'rc')
  list('grid_id', r.gridIds, 'rg')
  list('assignee_id', r.assigneeIds, 'ra')
  if (q.personId) {
    p.me = q.personId
    parts.push('reporter_id = @me')
  }
  return parts.length ? `(${parts.join(' OR ')})` : '0'
}

const states = (list: readonly string[]) => `state IN (${list.map(s => `'${s}'`).join(', ')})`

function tabSql(q: IncidentQuery, p: Params): string {
  const listed = TAB_STATES[q.tab]
  // Every state-based tab holds open incidents only: saying so lets the reach's index skip the finished ones.
  if (listed)
    return `open = 1 AND ${states(listed)}`
  switch (q.tab) {
    case 'overdue':
      p.now = q.now
      return `open = 1 AND due < @now`
    case 'assigned':
      p.me = q.personId ?? ''
      p.mypost = q.myPostId ?? ''
      return `open = 1 AND ${ASSIGNED_TO_ME}`
    case 'mine':
      p.me = q.personId ?? ''
      return 'reporter_id = @me'
    default:
      return '1'
  }
}

function filterSql(q: IncidentQuery, p: Params): string[] {
  const out: string[] = []
  const eq = (col: string, v: string | number | undefined) => {
    if (v === undefined || v === '')
      return
    p[col] = v
    out.push(`${col} = @${col}`)
  }
  eq('community_id', q.communityId)
  eq('grid_id', q.gridId)
  eq('post_id', q.postId)
  eq('category', q.category)
  eq('severity', q.severity)
  eq('loop', q.loop)
  eq('channel', q.channel)
  if (q.sectorId) {
    p.f_sector = q.sectorId
    p.f_helper = `,${q.sectorId},`
    out.push('(sector_id = @f_sector OR instr(helper_sectors, @f_helper) > 0)')
  }
  if (q.from) {
    p.f_from = q.from
    out.push('reported_at >= @f_from')
  }
  if (q.to) {
    p.f_to = q.to
    out.push('reported_at < @f_to')
  }
  if (q.text) {
    p.f_text = q.text.toLowerCase()
    out.push('instr(search_text, @f_text) > 0')
  }
  if (q.phone) {
    p.f_phone = q.phone
    out.push('instr(reporter_phone, @f_phone) > 0')
  }
  return out
}

export function createQueueQueries(db: Db) {
  // Statements vary with the filters given; SQLite's own cache keeps the prepared ones (better-sqlite3 does not),
  // so remember them by text.
  const prepared = new Map<string, ReturnType<Db['prepare']>>()
  const stmt = (sql: string) => {
    let s = prepared.get(sql)
    if (!s) {
      s = db.prepare(sql)
      if (prepared.size > 500)
        prepared.clear()
      prepared.set(sql, s)
    }
    return s
  }

  return {
    query(q: IncidentQuery): { items: Incident[], total: number, more: boolean } {
      const p: Params = {}
      const where = [reachSql(q, p), tabSql(q, p), ...filterSql(q, p)].join(' AND ')
      // Counted up to a bound: past it the desk says "10,000+" rather than scan the whole table for a number.
      // Free text scans the narrow search index (the planner would walk the queue order through the rows instead).
      const from = q.text ? 'incidents INDEXED BY incidents_search' : 'incidents'
      const counted = (stmt(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${TOTAL_BOUND + 1})`).get(p) as { n: number }).n
      // The page's rows are picked on the index columns alone; only those twenty rows' JSON is read.
      const items = parseRows(stmt(`SELECT data FROM incidents WHERE rowid IN (SELECT rowid FROM ${from} WHERE ${where} ${ORDER} LIMIT @limit OFFSET @offset) ${ORDER}`)
        .all({ ...p, limit: q.limit, offset: q.offset }))
      return { items, total: Math.min(counted, TOTAL_BOUND), more: counted > TOTAL_BOUND }
    },

    counts(q: Pick<IncidentQuery, 'reach' | 'personId' | 'myPostId' | 'now'>): QueueCounts {
      const p: Params = { now: q.now, me: q.personId ?? '', mypost: q.myPostId ?? '' }
      const reach = reachSql(q, p)
      const open = stmt(`SELECT state, COUNT(*) AS n, SUM(due < @now) AS late, SUM(${ASSIGNED_TO_ME}) AS mine
        FROM incidents WHERE open = 1 AND ${reach} GROUP BY state`).all(p) as { state: string, n: number, late: number, mine: number }[]
      const counts: QueueCounts = { intake: 0, handling: 0, verify: 0, feedback: 0, overdue: 0, assigned: 0 }
      for (const row of open) {
        for (const [tab, list] of Object.entries(TAB_STATES)) {
          if (list.includes(row.state as never))
            counts[tab as keyof QueueCounts] += row.n
        }
        if (OPEN_STATES.includes(row.state as never)) {
          counts.overdue += row.late
          counts.assigned += row.mine
        }
      }
      return counts
    },
  }
}
