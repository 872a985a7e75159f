import type { Incident } from '../incident/schema.ts'
import type { ForceUnit } from '../territory/types.ts'
import type { CategoryCount, ForceAvailability, LoopShares, PeriodFigures, SectorLoad, StatsResponse, TodayFigures, TrendPoint } from './schema.ts'
import { isOverdue } from '../incident/escalation.ts'
import { isOpen } from '../incident/lifecycle.ts'
import { dayOf, dayStart } from '../kernel/time.ts'

// The wall's figures as pure functions over incidents, shared by the server's /api/stats and the wall's
// live counters, so both say the same thing. "Today" and "this month" are Chongqing's calendar (kernel/time).

const HOUR = 3_600_000
const DAY = 24 * HOUR

const at = (iso: string | null): number => iso === null ? Number.NaN : Date.parse(iso)
const share = (n: number, of: number): number | null => of > 0 ? n / of : null
const mean = (xs: number[]): number | null => xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null

/**
 * Today's figures. `incidents` must hold every unfinished incident and every one finished today
 * (the snapshot and `listLive(startOfToday)` both do).
 */
export function todayFigures(incidents: Iterable<Incident>, now: number): TodayFigures {
  const since = dayStart(now)
  const nowDate = new Date(now)
  const f: TodayFigures = { reported: 0, accepted: 0, open: 0, inProgress: 0, overdue: 0, closed: 0 }
  for (const i of incidents) {
    if (at(i.reportedAt) >= since)
      f.reported++
    if (at(i.acceptedAt) >= since)
      f.accepted++
    if (i.state === 'closed' && at(i.closedAt) >= since)
      f.closed++
    if (!isOpen(i))
      continue
    f.open++
    if (i.state !== 'reported')
      f.inProgress++
    if (isOverdue(i, nowDate))
      f.overdue++
  }
  return f
}

/** Closure rate and mean times over incidents reported in a period. */
export function periodFigures(reported: readonly Incident[], days: number): PeriodFigures {
  let closed = 0
  let countable = 0
  const accept: number[] = []
  const resolve: number[] = []
  for (const i of reported) {
    if (i.state !== 'rejected' && i.state !== 'merged')
      countable++
    if (i.state === 'closed')
      closed++
    const t0 = at(i.reportedAt)
    if (i.acceptedAt !== null)
      accept.push((at(i.acceptedAt) - t0) / 60_000)
    if (i.resolvedAt !== null)
      resolve.push((at(i.resolvedAt) - t0) / 60_000)
  }
  return { days, reported: reported.length, closed, closureRate: share(closed, countable), avgAcceptMinutes: mean(accept), avgResolveMinutes: mean(resolve) }
}

/** Which loop closed incidents were closed at; the grid share is the 小事不出网格 rate. */
export function loopShares(incidents: Iterable<Incident>): LoopShares {
  const n = { grid: 0, community: 0, subdistrict: 0 }
  for (const i of incidents) {
    if (i.state === 'closed')
      n[i.owner.loop]++
  }
  const closed = n.grid + n.community + n.subdistrict
  return { closed, grid: share(n.grid, closed), community: share(n.community, closed), subdistrict: share(n.subdistrict, closed) }
}

/** Open and overdue work per owning sector, in `sectorIds` order, then work no sector owns (null). */
export function sectorLoad(incidents: Iterable<Incident>, sectorIds: readonly string[], now: number): SectorLoad[] {
  const rows = new Map<string | null, SectorLoad>()
  for (const id of [...sectorIds, null])
    rows.set(id, { sectorId: id, open: 0, overdue: 0 })
  const nowDate = new Date(now)
  for (const i of incidents) {
    if (!isOpen(i))
      continue
    const row = rows.get(i.owner.sectorId) ?? rows.get(null)!
    row.open++
    if (isOverdue(i, nowDate))
      row.overdue++
  }
  return [...rows.values()]
}

/** Incidents per category, most frequent first (ties by code, so the order is stable). */
export function categoryMix(incidents: Iterable<Incident>): CategoryCount[] {
  const counts = new Map<string, number>()
  for (const i of incidents)
    counts.set(i.category, (counts.get(i.category) ?? 0) + 1)
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}

function trend(incidents: Iterable<Incident>, starts: number[], width: number, label: (t: number) => string): TrendPoint[] {
  const first = starts[0]!
  const end = starts[starts.length - 1]! + width
  const points = starts.map(t => ({ at: label(t), reported: 0, closed: 0 }))
  const bucket = (t: number) => Number.isFinite(t) && t >= first && t < end ? points[Math.floor((t - first) / width)] : undefined
  for (const i of incidents) {
    const r = bucket(at(i.reportedAt))
    if (r)
      r.reported++
    const c = i.state === 'closed' ? bucket(at(i.closedAt)) : undefined
    if (c)
      c.closed++
  }
  return points
}

/** Reports and closures per hour, `hours` buckets ending with the current hour. */
export function hourlyTrend(incidents: Iterable<Incident>, now: number, hours = 24): TrendPoint[] {
  const current = Math.floor(now / HOUR) * HOUR
  const starts = Array.from({ length: hours }, (_, k) => current - (hours - 1 - k) * HOUR)
  return trend(incidents, starts, HOUR, t => new Date(t).toISOString())
}

/** Reports and closures per local day, `days` buckets ending with today. */
export function dailyTrend(incidents: Iterable<Incident>, now: number, days = 30): TrendPoint[] {
  const today = dayStart(now)
  const starts = Array.from({ length: days }, (_, k) => today - (days - 1 - k) * DAY)
  return trend(incidents, starts, DAY, dayOf)
}

/** N forces per kind: members, and how many are assigned to unfinished work. Kinds in `kinds` order. */
export function forceAvailability(units: readonly ForceUnit[], open: Iterable<Incident>, kinds: readonly string[]): ForceAvailability[] {
  const busyIds = new Set<string>()
  for (const i of open) {
    if (isOpen(i) && i.owner.assigneeId !== null)
      busyIds.add(i.owner.assigneeId)
  }
  const rows = new Map(kinds.map(kind => [kind, { kind, units: 0, total: 0, busy: 0, available: 0 }]))
  for (const u of units) {
    const row = rows.get(u.kind)
    if (!row)
      continue
    row.units++
    for (const id of u.memberIds) {
      row.total++
      if (busyIds.has(id))
        row.busy++
    }
    row.available = row.total - row.busy
  }
  return [...rows.values()]
}

/** Year-on-year change (now − before) ÷ before, to 4 decimals (0.1 % on screen); null when last year had none. */
export function yearOnYearChange(now: number, before: number): number | null {
  return before > 0 ? Math.round(((now - before) / before) * 10_000) / 10_000 : null
}

/** A share 0…1 as a percentage ('93.0%'); '—' when unknown. The one rendering of a rate on every screen. */
export function shareText(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)}%`
}

/**
 * The figures more than one screen shows (the wall, the leaders' phone, the monthly report), each defined once:
 * where in /api/stats it comes from and how it is written. A screen asks `figureText(key, stats)` and never
 * re-derives or re-formats it, so the wall and the phone cannot disagree.
 */
export const SHARED_FIGURES = {
  /** Closed ÷ reported over the last 30 local days, less rejected and merged (periodFigures). */
  closureRate: { of: (s: StatsResponse) => s.period.closureRate, digits: 1 },
  /** Of incidents closed in the 30 days, the share closed at grid level (小事不出网格). */
  gridRate: { of: (s: StatsResponse) => s.loops.grid, digits: 1 },
  communityRate: { of: (s: StatsResponse) => s.loops.community, digits: 0 },
  subdistrictRate: { of: (s: StatsResponse) => s.loops.subdistrict, digits: 0 },
} as const satisfies Record<string, { of: (s: StatsResponse) => number | null, digits: number }>
export type SharedFigure = keyof typeof SHARED_FIGURES

/** A shared figure as every screen writes it; '—' until the statistics are in. */
export function figureText(key: SharedFigure, stats: StatsResponse | null | undefined): string {
  const f = SHARED_FIGURES[key]
  return stats ? shareText(f.of(stats), f.digits) : '—'
}
