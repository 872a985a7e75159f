import type { Incident } from '../../shared/incident/schema.ts'
import type { TodayFigures, TrendPoint } from '../../shared/stats/schema.ts'
import type { IncidentTracker } from '../incident/store.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'
import { dayStart } from '../../shared/kernel/time.ts'
import { OverdueClock } from './overdue-clock.ts'

// The wall's live figures kept change by change (#18): each answers exactly what its full recount in
// shared/stats/figures.ts or client/map/features.ts answers over the same incidents at the same `now`
// (tests/client/wall/tallies.test.ts replays random changes against both).

const HOUR = 3_600_000

/** Counts under a key, dropping keys that reach zero so a week of changes holds what an hour does. */
class Counts<K> extends Map<K, number> {
  bump(key: K, by: number): void {
    const n = (this.get(key) ?? 0) + by
    if (n === 0)
      this.delete(key)
    else
      this.set(key, n)
  }
}

export interface GroupLoad { open: number, overdue: number }

/** Open and overdue incidents per group (`loadByGrid` when the group is the owning grid). */
export class OpenTally implements IncidentTracker {
  private readonly clock = new OverdueClock()
  private readonly groups = new Map<string, GroupLoad>()

  constructor(private readonly groupOf: (i: Incident) => string | null) {}

  reset(incidents: Iterable<Incident>): void {
    this.clock.clear()
    this.groups.clear()
    for (const i of incidents) this.update(undefined, i)
  }

  update(before: Incident | undefined, after: Incident | undefined): void {
    if (before)
      this.count(before, -1)
    if (after)
      this.count(after, 1)
  }

  /** Every group with open work at `now`, as `loadByGrid` answers it (a copy). */
  load(now: number): Map<string, GroupLoad> {
    for (const i of this.clock.advance(now)) this.groups.get(this.groupOf(i)!)!.overdue++
    return new Map([...this.groups].map(([k, v]) => [k, { ...v }]))
  }

  private count(i: Incident, by: 1 | -1): void {
    const key = this.groupOf(i)
    if (key === null || !isOpen(i))
      return
    const overdue = by > 0 ? this.clock.add(i) : this.clock.remove(i)
    const g = this.groups.get(key) ?? { open: 0, overdue: 0 }
    g.open += by
    if (overdue)
      g.overdue += by
    if (g.open === 0)
      this.groups.delete(key)
    else
      this.groups.set(key, g)
  }
}

/** `todayFigures`, kept: the day's counts by the local day they fell on, open work and its overdue clock. */
export class TodayTally implements IncidentTracker {
  private readonly reported = new Counts<number>()
  private readonly accepted = new Counts<number>()
  private readonly closed = new Counts<number>()
  private readonly open = new OpenTally(() => '')
  private inProgress = 0

  reset(incidents: Iterable<Incident>): void {
    this.reported.clear()
    this.accepted.clear()
    this.closed.clear()
    this.inProgress = 0
    const all = [...incidents]
    this.open.reset(all)
    for (const i of all) this.count(i, 1)
  }

  update(before: Incident | undefined, after: Incident | undefined): void {
    this.open.update(before, after)
    if (before)
      this.count(before, -1)
    if (after)
      this.count(after, 1)
  }

  figures(now: number): TodayFigures {
    const since = dayStart(now)
    const from = (c: Counts<number>) => {
      let n = 0
      for (const [day, k] of c) {
        if (day >= since)
          n += k
      }
      return n
    }
    const open = this.open.load(now).get('') ?? { open: 0, overdue: 0 }
    return { reported: from(this.reported), accepted: from(this.accepted), open: open.open, inProgress: this.inProgress, overdue: open.overdue, closed: from(this.closed) }
  }

  private count(i: Incident, by: 1 | -1): void {
    // By the day each happened on: "today" is read at `now`, so midnight needs no recount.
    const day = (iso: string | null) => iso === null || Number.isNaN(Date.parse(iso)) ? null : dayStart(iso)
    const r = day(i.reportedAt)
    if (r !== null)
      this.reported.bump(r, by)
    const a = day(i.acceptedAt)
    if (a !== null)
      this.accepted.bump(a, by)
    const c = i.state === 'closed' ? day(i.closedAt) : null
    if (c !== null)
      this.closed.bump(c, by)
    if (isOpen(i) && i.state !== 'reported')
      this.inProgress += by
  }
}

interface HourBucket { reported: number, closed: number, members: Set<Incident>, latest: Incident | undefined, stale: boolean }

/** `hourlyTrend` and the latest report of each hour (the trend chart's tooltip), kept by the hour. */
export class HourTally implements IncidentTracker {
  private readonly hours = new Map<number, HourBucket>()

  reset(incidents: Iterable<Incident>): void {
    this.hours.clear()
    for (const i of incidents) this.update(undefined, i)
  }

  update(before: Incident | undefined, after: Incident | undefined): void {
    if (before) {
      const b = this.hours.get(hourOf(before.reportedAt))
      if (b) {
        b.reported--
        b.members.delete(before)
        if (b.latest === before) {
          // The same report's next version keeps its place; anything else finds the latest again when read.
          b.latest = after && after.id === before.id && after.reportedAt === before.reportedAt ? after : undefined
          b.stale = b.latest === undefined
        }
      }
      if (before.state === 'closed')
        this.bucket(hourOf(before.closedAt)).closed--
    }
    if (after) {
      const b = this.bucket(hourOf(after.reportedAt))
      b.reported++
      b.members.add(after)
      if (!b.stale && b.latest !== after && (!b.latest || b.latest.reportedAt < after.reportedAt))
        b.latest = after
      if (after.state === 'closed')
        this.bucket(hourOf(after.closedAt)).closed++
    }
    if (before)
      this.drop(hourOf(before.reportedAt))
    if (before?.state === 'closed')
      this.drop(hourOf(before.closedAt))
  }

  /** The `hours` buckets ending with the hour of `now`, as `hourlyTrend` answers them, and each one's latest report. */
  trend(now: number, hours = 24): { points: TrendPoint[], latest: (Incident | undefined)[] } {
    const current = Math.floor(now / HOUR) * HOUR
    const points: TrendPoint[] = []
    const latest: (Incident | undefined)[] = []
    for (let k = hours - 1; k >= 0; k--) {
      const t = current - k * HOUR
      const b = this.hours.get(t)
      points.push({ at: new Date(t).toISOString(), reported: b?.reported ?? 0, closed: b?.closed ?? 0 })
      if (b?.stale) {
        b.latest = undefined
        for (const i of b.members) {
          if (!b.latest || b.latest.reportedAt < i.reportedAt)
            b.latest = i
        }
        b.stale = false
      }
      latest.push(b?.latest)
    }
    return { points, latest }
  }

  private bucket(hour: number): HourBucket {
    let b = this.hours.get(hour)
    if (!b) {
      b = { reported: 0, closed: 0, members: new Set(), latest: undefined, stale: false }
      this.hours.set(hour, b)
    }
    return b
  }

  private drop(hour: number): void {
    const b = this.hours.get(hour)
    if (b && b.reported === 0 && b.closed === 0 && b.members.size === 0)
      this.hours.delete(hour)
  }
}

/** The start of the hour of an ISO time; NaN (no bucket) for none. */
function hourOf(iso: string | null): number {
  return iso === null ? Number.NaN : Math.floor(Date.parse(iso) / HOUR) * HOUR
}
