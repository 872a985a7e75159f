import type { Database as Db } from 'better-sqlite3'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { Params } from '../queue.ts'
import type { IncidentQuery, QueueCounts } from '../store.ts'
import { countsOf, countsSql, DESK_COLUMNS, NO_DEADLINE, ORDER, parseRows, queueWhere, TOTAL_BOUND } from '../queue.ts'

// The desk's queue on SQLite: the migration that added its columns, and the page and badge queries (server/db/queue.ts
// builds their WHERE clauses).

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
      const where = queueWhere(q, p)
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
      const p: Params = {}
      return countsOf(stmt(countsSql(q, p)).all(p) as { state: string, n: number, late: number, mine: number }[])
    },
  }
}
