import type { Catalog, Category } from '../../../shared/organisation/catalog.ts'
import type { Rng } from '../../kernel/random.ts'
import { fromLocal, localParts } from '../../../shared/kernel/time.ts'
import { sampleReportTime } from './rhythm.ts'

// How many reports of each kind arrive per month. Most categories follow the catalog's weights around a steady
// volume (~3,150 closed a year, as the source reports); property disputes and petitions trend down so the wall's
// year-on-year figures resemble the source's −32.2% and −40.5%.

/** Reports per full month across the categories without a scripted trend. */
export const STEADY_PER_MONTH = 240

/**
 * Scripted monthly counts: [same month a year earlier, latest full month]; months between are interpolated.
 * 31 → 21 is −32.3%, 10 → 6 is −40.0% (the closest small whole numbers to the source's figures).
 */
export const TRENDS: Record<string, readonly [number, number]> = {
  property_dispute: [31, 21],
  petition: [10, 6],
}

/** Rainy-season boost (Chongqing's storms peak June–August). */
function seasonal(code: string, month0: number): number {
  const summer = month0 >= 5 && month0 <= 7
  if (code === 'waterlogging')
    return summer ? 3 : 0.6
  if (code === 'fallen_tree' || code === 'geological_hazard')
    return summer ? 2 : 0.8
  return 1
}

/** Knuth's method: exact and quick for the small means used here. */
export function poisson(rng: Rng, mean: number): number {
  if (mean > 60)
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * (rng.next() + rng.next() + rng.next() - 1.5) * 2))
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng.next()
  while (p > limit) {
    k++
    p *= rng.next()
  }
  return k
}

export interface Arrival { at: number, category: Category }

/**
 * Arrivals from the start of the local month `months` before the current one up to `now`, so the latest full
 * month and the same month a year earlier are both complete. Deterministic for a given rng.
 */
export function monthPlan(rng: Rng, catalog: Catalog, now: number, months: number): Arrival[] {
  const { year, month0 } = localParts(now)
  const steady = catalog.categories.filter(c => !TRENDS[c.code])
  const steadyWeight = steady.reduce((s, c) => s + c.weight, 0)
  const out: Arrival[] = []
  for (let k = 0; k <= months; k++) {
    const from = fromLocal(year, month0 - months + k)
    const fullTo = fromLocal(year, month0 - months + k + 1)
    const to = Math.min(fullTo, now)
    if (to <= from)
      continue
    const share = (to - from) / (fullTo - from)
    const localMonth = (((month0 - months + k) % 12) + 12) % 12
    const add = (category: Category, n: number): void => {
      for (let i = 0; i < n; i++)
        out.push({ at: sampleReportTime(rng, from, to), category })
    }
    for (const c of steady)
      add(c, poisson(rng, STEADY_PER_MONTH * c.weight / steadyWeight * seasonal(c.code, localMonth) * share))
    for (const c of catalog.categories) {
      const trend = TRENDS[c.code]
      if (!trend)
        continue
      // k = 0 is the year-ago month, k = months - 1 the latest full month: both exact, months between ±1.
      const span = Math.max(months - 1, 1)
      const exact = trend[0] + (trend[1] - trend[0]) * Math.min(k, span) / span
      const n = k === 0 || k === months - 1 ? Math.round(exact) : k === months ? poisson(rng, exact * share) : Math.round(exact + rng.float(-1, 1))
      add(c, n)
    }
  }
  return out
}
