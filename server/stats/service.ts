import type { Incident } from '../../shared/incident/schema.ts'
import type { StatsResponse, YearOnYear } from '../../shared/stats/schema.ts'
import type { AppContext } from '../context.ts'
import { dayOf, dayStart, monthOf, monthStart } from '../../shared/kernel/time.ts'
import { categoryMix, dailyTrend, forceAvailability, hourlyTrend, loopShares, periodFigures, sectorLoad, todayFigures, yearOnYearChange } from '../../shared/stats/figures.ts'

const DAY = 86_400_000
/** The wall's period figures (closure rate, mean times, loops, category mix, daily trend), in local days. */
export const PERIOD_DAYS = 30
/**
 * Closures are counted from incidents reported this far back. An incident reported earlier and closed within
 * the period is missed; deadlines are days, so that is rare. TODO: exact once the store can list by closed_at.
 */
const LOOKBACK_DAYS = 90

export interface StatsServiceOptions {
  /** How long one computation is served, in ms of the app clock. Default 5000. */
  ttlMs?: number
}

const iso = (t: number) => new Date(t).toISOString()

/** The wall's statistics, computed from the store and served from a short cache. */
export function createStatsService(ctx: Pick<AppContext, 'store' | 'reference' | 'catalog' | 'now'> & { live?: Pick<AppContext['live'], 'pkg'> }, opts: StatsServiceOptions = {}) {
  const ttl = opts.ttlMs ?? 5000
  let cached: { at: number, value: Promise<StatsResponse> } | null = null
  const yoyByMonth = new Map<string, Promise<YearOnYear[]>>()

  /** Latest full month vs the same month a year earlier; a past month does not change, so it is kept. */
  function yearOnYear(now: number): Promise<YearOnYear[]> {
    const month = monthOf(monthStart(now, -1))
    let held = yoyByMonth.get(month)
    if (!held) {
      held = (async () => {
        const [cur, prev] = await Promise.all([
          ctx.store.listReportedBetween(iso(monthStart(now, -1)), iso(monthStart(now, 0))),
          ctx.store.listReportedBetween(iso(monthStart(now, -13)), iso(monthStart(now, -12))),
        ])
        const lastYearMonth = monthOf(monthStart(now, -13))
        return (ctx.live?.pkg.headline ?? []).map((code) => {
          const count = cur.filter(i => i.category === code).length
          const lastYear = prev.filter(i => i.category === code).length
          return { code, month, count, lastYearMonth, lastYear, change: yearOnYearChange(count, lastYear) }
        })
      })()
      held.catch(() => yoyByMonth.delete(month))
      yoyByMonth.clear()
      yoyByMonth.set(month, held)
    }
    return held
  }

  async function compute(now: number): Promise<StatsResponse> {
    const today = dayStart(now)
    const periodStart = today - (PERIOD_DAYS - 1) * DAY
    const [live, recent, yoy] = await Promise.all([
      // Everything open, and everything finished today or in the last 24 hours.
      ctx.store.listLive(iso(Math.min(today, now - DAY))),
      ctx.store.listReportedBetween(iso(today - (LOOKBACK_DAYS - 1) * DAY), iso(now + 1)),
      yearOnYear(now),
    ])
    const all = new Map<string, Incident>(recent.map(i => [i.id, i]))
    for (const i of live)
      all.set(i.id, i)
    const reportedInPeriod = recent.filter(i => Date.parse(i.reportedAt) >= periodStart)
    const closedInPeriod = [...all.values()].filter(i => i.state === 'closed' && i.closedAt !== null && Date.parse(i.closedAt) >= periodStart)
    return {
      at: iso(now),
      day: dayOf(now),
      today: todayFigures(live, now),
      period: periodFigures(reportedInPeriod, PERIOD_DAYS),
      loops: loopShares(closedInPeriod),
      sectorLoad: sectorLoad(live, ctx.catalog.sectors.map(s => s.id), now),
      categories: categoryMix(reportedInPeriod),
      hourly: hourlyTrend(all.values(), now),
      daily: dailyTrend(all.values(), now, PERIOD_DAYS),
      yoy,
      forces: forceAvailability(ctx.reference.org.forceUnits, live, ctx.reference.org.forceKinds.map(k => k.id)),
    }
  }

  return {
    /** The current statistics; concurrent callers within the cache period share one computation. */
    get(): Promise<StatsResponse> {
      const now = ctx.now().getTime()
      if (!cached || now - cached.at >= ttl || now < cached.at) {
        const value = compute(now)
        const entry = { at: now, value }
        value.catch(() => {
          if (cached === entry)
            cached = null
        })
        cached = entry
      }
      return cached.value
    },
  }
}

export type StatsService = ReturnType<typeof createStatsService>
