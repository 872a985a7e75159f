import type { LedgerOp } from '../../../shared/scoring/ledger.ts'
import type { Patrol } from '../../../shared/scoring/schema.ts'
import type { AppContext } from '../../context.ts'
import { addMonths, dayOf, monthOf, monthRange } from '../../../shared/kernel/time.ts'
import { isVolunteer } from '../../../shared/scoring/ledger.ts'
import { createRng } from '../../kernel/random.ts'
import { pointInGrid } from './reports.ts'

// The demo's patrol check-ins and volunteer points for the back-filled months, so the horse race has a
// history to score. Each grid worker has a seeded diligence that drifts month to month, so tiers spread and
// rankings move; volunteers earn points for activities and now and then redeem them.

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ACTIVITIES = ['社区环境整治志愿服务', '防汛值守', '独居老人探访', '文明交通劝导', '反诈宣传进小区', '垃圾分类督导', '助老助残上门服务']
const REWARDS = ['爱心超市兑换 大米 5kg', '爱心超市兑换 食用油', '兑换 洗衣液 2 瓶', '兑换 理发服务券', '兑换 体检套餐']

export interface ActivityOptions { now: Date, months: number, seed: string }

/** Patrols of every grid worker from the start of the back-filled months up to `now`. */
export function buildPatrols(ctx: Pick<AppContext, 'reference'>, opts: ActivityOptions): Patrol[] {
  const rng = createRng(`${opts.seed}:patrols`)
  const now = opts.now.getTime()
  const first = addMonths(monthOf(now), -opts.months)
  const grids = new Map(ctx.reference.territory.grids.map(g => [g.id, g]))
  const out: Patrol[] = []
  for (const roster of ctx.reference.org.rosters) {
    const grid = grids.get(roster.gridId)
    if (!grid)
      continue
    const diligence = rng.float(0.3, 1)
    let month = ''
    let m = diligence
    for (let day = monthRange(first).from; day < now; day += DAY) {
      if (monthOf(day) !== month) {
        month = monthOf(day)
        m = Math.min(1, Math.max(0.15, diligence + rng.float(-0.2, 0.2)))
      }
      const weekday = new Date(day + 8 * HOUR).getUTCDay()
      const works = rng.chance((weekday === 0 || weekday === 6 ? 0.35 : 0.95) * (0.45 + 0.55 * m))
      const rounds = works ? 1 + (rng.chance(m) ? 1 : 0) + (rng.chance(m * 0.4) ? 1 : 0) : 0
      for (let k = 0; k < rounds; k++) {
        // Local 08:30–17:30: the day starts at local midnight (`day`), so the offset is local time.
        const at = day + Math.round(rng.float(8.5, 17.5) * HOUR)
        if (at >= now)
          continue
        out.push({ id: `pt_${dayOf(at).replace(/-/g, '')}_${roster.workerId}_${k}`, personId: roster.workerId, gridId: grid.id, at: new Date(at).toISOString(), location: pointInGrid(rng, grid), note: null, device: 'onescreen-field/android', recordedAt: new Date(at).toISOString() })
      }
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/** Volunteer points: a few activities a month, a reward now and then; awarded by their community's staff. */
export function buildPoints(ctx: Pick<AppContext, 'reference'>, opts: ActivityOptions): { op: LedgerOp, actorId: string, at: string }[] {
  const rng = createRng(`${opts.seed}:points`)
  const now = opts.now.getTime()
  const people = ctx.reference.org.people
  const desk = (communityId: string | undefined) => people.find(p => p.roles.includes('community_staff') && p.communityId === communityId)?.id ?? 'system'
  const rows: { op: LedgerOp, actorId: string, at: string }[] = []
  for (const v of people.filter(isVolunteer)) {
    const keen = rng.float(0.2, 1)
    let balance = 0
    for (let m = addMonths(monthOf(now), -opts.months); m <= monthOf(now); m = addMonths(m, 1)) {
      const { from, to } = monthRange(m)
      for (let n = rng.int(0, Math.round(5 * keen)); n > 0; n--) {
        const at = from + rng.float(0, to - from)
        if (at >= now)
          continue
        const points = rng.int(1, 6) * 5
        balance += points
        rows.push({ op: { opId: `demo-earn-${v.id}-${Math.round(at)}`, personId: v.id, kind: 'earn', points, reason: rng.pick(ACTIVITIES) }, actorId: desk(v.communityId), at: new Date(at).toISOString() })
      }
      if (balance >= 60 && rng.chance(0.3)) {
        const at = Math.min(to - HOUR, now - HOUR)
        const points = Math.min(balance, rng.int(4, 10) * 5)
        balance -= points
        rows.push({ op: { opId: `demo-redeem-${v.id}-${m}`, personId: v.id, kind: 'redeem', points, reason: rng.pick(REWARDS) }, actorId: desk(v.communityId), at: new Date(at).toISOString() })
      }
    }
  }
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/** Called once, on a fresh demo store, after the incident back-fill. */
export async function backfillActivity(ctx: Pick<AppContext, 'reference' | 'store'>, opts: ActivityOptions): Promise<void> {
  const started = performance.now()
  const patrols = buildPatrols(ctx, opts)
  await ctx.store.scoring.importPatrols(patrols)
  const points = buildPoints(ctx, opts)
  const refused = await ctx.store.scoring.importLedger(points)
  console.log(`demo: back-filled ${patrols.length} patrol check-ins and ${points.length - refused} volunteer point entries in ${Math.round(performance.now() - started)} ms`)
}
