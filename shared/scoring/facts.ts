import type { HistoryEntry, Incident } from '../incident/schema.ts'
import type { Catalog } from '../organisation/catalog.ts'
import type { Loop } from '../territory/types.ts'
import { FINISHED_STATES } from '../incident/lifecycle.ts'
import { categoryByCode, stageDeadlineFor } from '../organisation/catalog.ts'

// What one incident's recorded history says about one month, read by replaying its append-only history up to
// the month's end. Nothing here looks at the incident's current state except the fields fixed at report time
// (category, place, description, address), so a month scored late gives the same answer as one scored on time.

export interface IncidentRecord { incident: Incident, history: HistoryEntry[] }

export interface IncidentFacts {
  id: string
  gridId: string | null
  /** The category's lowest loop (where it starts), from the catalog. */
  startLoop: Loop | null
  severity: number
  /** The report, when it was recorded in the month. */
  report: HistoryEntry | null
  /** Entries recorded in the month, in order. */
  inMonth: HistoryEntry[]
  /** Closed in the month (the last closure, if several), and whether no stage before it ran past its deadline. */
  closed: { at: string, onTime: boolean, sectorId: string | null, postId: string | null } | null
  /** Not finished at the month's end, and its stage then past its deadline. */
  overdueAtEnd: boolean
  /** Resident feedback recorded in the month. */
  feedback: { satisfied: boolean, at: string }[]
  /** Owner at the month's end (for overdue work). */
  ownerAtEnd: { sectorId: string | null, postId: string | null }
}

const ms = (iso: string) => Date.parse(iso)

/** When the stage entered by history[i] began: a report's clock starts at reportedAt (a hotline call logged later). */
function stageStart(incident: Incident, history: HistoryEntry[], i: number): Date {
  const at = ms(history[i]!.at)
  return new Date(i === 0 ? Math.min(at, ms(incident.reportedAt)) : at)
}

/** Whether the stage entered by history[i] ran past its deadline by `until` (the next step, or now). */
function overran(incident: Incident, history: HistoryEntry[], i: number, until: number, catalog: Catalog): boolean {
  const state = history[i]!.to
  if (FINISHED_STATES.includes(state))
    return false
  const deadline = stageDeadlineFor(catalog, incident.category, state, stageStart(incident, history, i))
  return deadline !== null && until > ms(deadline)
}

/** Owner sector and post after the steps up to index `k`: the last assign/transfer's record, else the current row. */
function ownerAt(incident: Incident, history: HistoryEntry[], k: number): { sectorId: string | null, postId: string | null } {
  for (let i = k; i >= 0; i--) {
    const e = history[i]!
    if ((e.action === 'assign' || e.action === 'transfer') && e.data)
      return { sectorId: (e.data.sectorId as string | null | undefined) ?? null, postId: (e.data.postId as string | null | undefined) ?? null }
  }
  return { sectorId: incident.owner.sectorId, postId: incident.owner.postId }
}

/**
 * The month's facts of one incident, or null when its history has nothing before the month's end.
 * `asOf` (default `to`) is when overdue work is judged: now, for the running month.
 */
export function incidentFacts(rec: IncidentRecord, from: number, to: number, catalog: Catalog, asOf = to): IncidentFacts | null {
  const { incident } = rec
  const history = rec.history.filter(e => ms(e.at) < to)
  if (history.length === 0)
    return null
  const inMonth = history.filter(e => ms(e.at) >= from)
  const first = history[0]!
  let closed: IncidentFacts['closed'] = null
  for (let k = history.length - 1; k >= 0; k--) {
    const e = history[k]!
    if (ms(e.at) < from)
      break
    if (e.to === 'closed') {
      let late = false
      for (let i = 0; i < k && !late; i++)
        late = overran(incident, history, i, ms(history[i + 1]!.at), catalog)
      closed = { at: e.at, onTime: !late, ...ownerAt(incident, history, k) }
      break
    }
  }
  const last = history.length - 1
  const overdueAtEnd = !FINISHED_STATES.includes(history[last]!.to) && overran(incident, history, last, asOf, catalog)
  const feedback = inMonth
    .filter(e => e.action === 'feedback' && typeof e.data?.satisfied === 'boolean')
    .map(e => ({ satisfied: e.data!.satisfied as boolean, at: e.at }))
  return {
    id: incident.id,
    gridId: incident.owner.gridId,
    startLoop: categoryByCode(catalog, incident.category)?.loop ?? null,
    severity: incident.severity,
    report: first.action === 'report' && ms(first.at) >= from ? first : null,
    inMonth,
    closed,
    overdueAtEnd,
    feedback,
    ownerAtEnd: ownerAt(incident, history, last),
  }
}
