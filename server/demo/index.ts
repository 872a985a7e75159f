import type { AppContext } from '../context.ts'
import { buildBackfill } from './sim/backfill.ts'
import { fillDutyRota, startDutyRota } from './sim/duty.ts'
import { fillRegister } from './sim/register.ts'
import { backfillSensors, startSensorFeed } from './sim/sensors.ts'
import { startSimulator } from './sim/simulator.ts'

/** Full local months of history before the current one: the latest full month and its year-ago twin. */
const BACKFILL_MONTHS = 13

/**
 * The live Cuntan demo: on a fresh store, 13 months of history and a register of vulnerable people; then the simulator, at `config.simSpeed`.
 * A store that already holds data is left as it is (a restart continues the same demo).
 */
export async function startDemo(ctx: AppContext, opts: { seed?: string } = {}): Promise<{ stop: () => void }> {
  const seed = opts.seed ?? 'cuntan'
  if (await ctx.store.countIncidents() === 0) {
    const started = performance.now()
    const mutations = buildBackfill(ctx.reference, ctx.catalog, { now: ctx.now(), months: BACKFILL_MONTHS, seed })
    const built = performance.now()
    await ctx.store.importMutations(mutations)
    const incidents = new Set(mutations.map(m => m.incident.id)).size
    console.log(`demo: back-filled ${incidents} incidents (${mutations.length} steps) in ${Math.round(built - started)} ms + ${Math.round(performance.now() - built)} ms import`)
    await (await import('./sim/activity.ts')).backfillActivity(ctx, { now: ctx.now(), months: BACKFILL_MONTHS, seed })
    console.log(`demo: ${await fillRegister(ctx, seed)} people on the register of vulnerable people`)
  }
  // #17: the duty rota around today, and the sensors' last days (the Yangtze rising at 寸滩), then their live feed.
  await fillDutyRota(ctx)
  const anchor = await backfillSensors(ctx)
  const parts = [
    startSimulator(ctx, { speed: ctx.config.simSpeed, seed: `${seed}:live:${Date.now()}` }),
    startSensorFeed(ctx, { speed: ctx.config.simSpeed, anchor }),
    startDutyRota(ctx),
  ]
  return { stop: () => parts.forEach(p => p.stop()) }
}
