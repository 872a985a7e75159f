import type { Incident } from '../../shared/incident/schema.ts'
import type { IncidentQuery, QueueCounts } from './store.ts'
import { OPEN_STATES, POST_WORK_STATES, TAB_STATES } from '../../shared/desk/queue.ts'

// The desk's queue over the whole incidents table, for every dialect: the columns each incident row carries for it,
// and the WHERE clauses that answer shared/desk/queue.ts's tabs (tests/server/desk checks the two agree). Parameters
// are named (`@name`); each dialect's queue file runs them.

/** The queue's columns, in the order the insert and update statements take them. */
export const DESK_COLUMNS = ['community_id', 'grid_id', 'sector_id', 'post_id', 'helper_sectors', 'assignee_id', 'reporter_id', 'reporter_phone', 'category', 'severity', 'loop', 'channel', 'lon', 'lat', 'due', 'search_text'] as const

/** The sort key of an open incident: its stage deadline, or after every deadline when it has none. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z'

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

export const ORDER = 'ORDER BY open DESC, due, reported_at DESC, id DESC'
/** How far a page's total is counted. */
export const TOTAL_BOUND = 10_000

export type Params = Record<string, string | number>

/** Assigned to me by name, or to my post without a name while the post works it (POST_WORK_STATES). */
export const ASSIGNED_TO_ME = `(assignee_id = @me OR (assignee_id IS NULL AND post_id = @mypost AND ${`state IN (${POST_WORK_STATES.map(s => `'${s}'`).join(', ')})`}))`

/** The caller's reach as SQL (`all` reaches everything), plus their own reports. */
export function reachSql(q: Pick<IncidentQuery, 'reach' | 'personId'>, p: Params): string {
  const r = q.reach
  if (r.all)
    return 'TRUE'
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
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE'
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
      return 'TRUE'
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

/** The WHERE clause of a queue page: the caller's reach, the tab and the filters. */
export function queueWhere(q: IncidentQuery, p: Params): string {
  return [reachSql(q, p), tabSql(q, p), ...filterSql(q, p)].join(' AND ')
}

/** Per open state within a reach: how many, how many late, how many assigned to the caller (the desk's badges). */
export function countsSql(q: Pick<IncidentQuery, 'reach' | 'personId' | 'myPostId' | 'now'>, p: Params): string {
  p.now = q.now
  p.me = q.personId ?? ''
  p.mypost = q.myPostId ?? ''
  return `SELECT state, COUNT(*) AS n, SUM(CASE WHEN due < @now THEN 1 ELSE 0 END) AS late,
    SUM(CASE WHEN ${ASSIGNED_TO_ME} THEN 1 ELSE 0 END) AS mine
    FROM incidents WHERE open = 1 AND ${reachSql(q, p)} GROUP BY state`
}

/** The badges from countsSql's rows. */
export function countsOf(rows: { state: string, n: number, late: number, mine: number }[]): QueueCounts {
  const counts: QueueCounts = { intake: 0, handling: 0, verify: 0, feedback: 0, overdue: 0, assigned: 0 }
  for (const row of rows) {
    for (const [tab, list] of Object.entries(TAB_STATES)) {
      if (list.includes(row.state as never))
        counts[tab as keyof QueueCounts] += Number(row.n)
    }
    if (OPEN_STATES.includes(row.state as never)) {
      counts.overdue += Number(row.late)
      counts.assigned += Number(row.mine)
    }
  }
  return counts
}

export function parseRows(rows: unknown[]): Incident[] {
  return (rows as { data: string }[]).map(r => JSON.parse(r.data) as Incident)
}
