import type { Actor, ReportBody } from '../../../shared/incident/schema.ts'
import type { Catalog, Category } from '../../../shared/organisation/catalog.ts'
import type { Grid, LngLat } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import type { Staff } from './staff.ts'
import { bboxOf } from '../../../shared/kernel/geo.ts'
import { dayOf } from '../../../shared/kernel/time.ts'
import { pointInRings } from '../../../shared/territory/geo.ts'
import { actorFor, gridWorker, operatorActor } from './staff.ts'

// What a simulated report looks like: where, what, and who reported it through which channel.

/** A uniformly random point strictly inside the grid polygon (rejection sampling in its bounding box). */
export function pointInGrid(rng: Rng, grid: Grid): LngLat {
  const box = bboxOf(grid.polygon)
  for (let i = 0; i < 200; i++) {
    const p = { lon: rng.float(box.minX, box.maxX), lat: rng.float(box.minY, box.maxY) }
    if (pointInRings(p, grid.polygon))
      return p
  }
  return grid.center
}

export function pickByWeight<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
  let r = rng.next() * items.reduce((s, t) => s + weight(t), 0)
  for (const t of items) {
    r -= weight(t)
    if (r < 0)
      return t
  }
  return items[items.length - 1]!
}

export function pickCategory(rng: Rng, catalog: Catalog): Category {
  return pickByWeight(rng, catalog.categories, c => c.weight)
}

/** Busier grids (more households) report more. */
export function pickGrid(rng: Rng, staff: Staff): Grid {
  return pickByWeight(rng, staff.grids, g => Math.max(g.households, 1))
}

const PLACES = ['小区门口', '楼栋下', '背街小巷', '菜市场旁', '公交站附近', '商铺门前', '小区内', '路口']

/** Who reports: the grid worker on patrol most often, then the 12345 hotline, then residents in the app. */
export function pickReporter(rng: Rng, staff: Staff, grid: Grid): { actor: Actor, channel: ReportBody['channel'] } {
  const r = rng.next()
  const worker = gridWorker(staff, grid.id)
  if (r < 0.55 && worker)
    return { actor: actorFor(worker, 'grid_worker'), channel: 'grid_worker' }
  if (r < 0.8)
    return { actor: operatorActor(staff, rng), channel: 'hotline_12345' }
  return { actor: { personId: 'open311:resident-app', role: 'integration' }, channel: 'resident' }
}

export function describe(rng: Rng, category: Category, grid: Grid): string {
  return `${grid.name}${rng.pick(PLACES)}：${category.name}，${rng.pick(['群众反映', '巡查发现', '来电反映'])}，请尽快处理。`
}

export function reportBody(rng: Rng, category: Category, grid: Grid, channel: ReportBody['channel']): ReportBody {
  return { category: category.code, description: describe(rng, category, grid), location: pointInGrid(rng, grid), channel }
}

const CALLERS = ['王女士', '李先生', '张阿姨', '刘先生', '陈女士', '杨师傅', '赵先生', '周女士']

/**
 * A live 12345 report carries its work order (#16), so the demo desk shows the 12345 panel: an order number of the
 * day (GD + date + five digits), a caller and the hotline's deadline three days on. No random draws: the live
 * simulator's sequence stays as it was.
 */
export function withHotlineOrder(body: ReportBody, now: Date, n: number): ReportBody {
  const orderNo = `GD${dayOf(now).replaceAll('-', '')}${String(n % 100_000).padStart(5, '0')}`
  const phone = `139${String((n * 7_919_213) % 100_000_000).padStart(8, '0')}`
  return { ...body, hotline: { orderNo, caller: CALLERS[n % CALLERS.length], callerPhone: phone, dueAt: new Date(now.getTime() + 3 * 86_400_000).toISOString() } }
}
