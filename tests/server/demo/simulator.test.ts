import type { AppContext } from '../../../server/context.ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { startDemo } from '../../../server/demo/index.ts'
import { startSimulator } from '../../../server/demo/sim/simulator.ts'
import { pointInRings } from '../../../shared/territory/geo.ts'
import { testConfig } from '../../helpers/app.ts'

const config = testConfig({ demo: true, simSpeed: 600 })

let open: { ctx: AppContext, stop: () => void }[] = []

async function context(): Promise<AppContext> {
  return createContext(config, { store: createSqliteStore({ file: ':memory:' }) })
}

afterEach(async () => {
  for (const { ctx, stop } of open) {
    stop()
    ctx.presence.close()
    await ctx.store.close()
  }
  open = []
})

/** The simulator's timers and clock, faked: minutes of simulation in milliseconds, the same run every time. */
function fakeClock(at = '2025-06-15T02:30:00.000Z'): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(new Date(at))
}

afterEach(() => {
  vi.useRealTimers()
})

/** Moves the fake clock on in 100 ms steps until `check` holds, for at most `ms`. */
async function advanceUntil(check: () => Promise<boolean>, ms: number): Promise<void> {
  for (let waited = 0; !(await check()); waited += 100) {
    if (waited >= ms)
      throw new Error(`not within ${ms} ms`)
    await vi.advanceTimersByTimeAsync(100)
  }
}

describe('demo simulator', () => {
  it('reports new incidents and moves them along through the incident service', async () => {
    fakeClock()
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'sim-test' })
    open.push({ ctx, stop: sim.stop })
    await advanceUntil(async () => {
      const live = await ctx.store.listLive(new Date(0).toISOString())
      return live.length >= 3 && live.some(i => i.version > 2)
    }, 8000)
    const live = await ctx.store.listLive(new Date(0).toISOString())
    const moved = await ctx.incidents.get(live.find(i => i.version > 2)!.id)
    expect(moved!.history.map(h => h.action).slice(0, 2)).toEqual(['report', 'accept'])
    expect(moved!.history.map(h => h.actor.personId)).not.toContain('system')
  })

  it('never leaves the wall still for more than a minute, even at speed 1 at night', async () => {
    fakeClock('2025-06-14T19:00:00.000Z') // 03:00 in Chongqing, the quietest hour
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 1, seed: 'night' })
    open.push({ ctx, stop: sim.stop })
    for (let minute = 1; minute <= 5; minute++) {
      await vi.advanceTimersByTimeAsync(61_000)
      const reports = (await ctx.store.listLive(new Date(0).toISOString())).length
      expect(reports, `after ${minute} min`).toBeGreaterThanOrEqual(minute)
    }
  })

  it('keeps every grid worker inside their own grid', async () => {
    fakeClock()
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'walk-test', walkEveryMs: 50 })
    open.push({ ctx, stop: sim.stop })
    const grids = new Map(ctx.reference.territory.grids.map(g => [g.id, g]))
    const gridOf = new Map(ctx.reference.org.rosters.map(r => [r.workerId, grids.get(r.gridId)!]))
    const first = new Map(ctx.presence.all().map(p => [p.id, p]))
    expect(first.size).toBe(ctx.reference.org.rosters.length)
    for (let round = 0; round < 10; round++) {
      await vi.advanceTimersByTimeAsync(60)
      expect(ctx.presence.all().filter(p => !pointInRings(p, gridOf.get(p.id)!.polygon)).map(p => p.id), `round ${round}`).toEqual([])
    }
    // Ten steps of a seeded random walk: most workers have moved, or nothing was tested.
    const moved = ctx.presence.all().filter(p => p.lon !== first.get(p.id)!.lon)
    expect(moved.length).toBeGreaterThan(ctx.reference.org.rosters.length / 2)
  })

  it('stops cleanly: no reports after stop()', async () => {
    fakeClock()
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'stop-test' })
    open.push({ ctx, stop: sim.stop })
    // The log starts with the seeded plan library: wait for the simulator's own first change.
    const seeded = await ctx.store.head()
    await advanceUntil(async () => (await ctx.store.head()) > seeded, 8000)
    sim.stop()
    await vi.advanceTimersByTimeAsync(300) // let in-flight calls land
    const head = await ctx.store.head()
    // An hour of simulated time at this speed, with nothing running.
    await vi.advanceTimersByTimeAsync(6000)
    expect(await ctx.store.head()).toBe(head)
  })
})

describe('startDemo', () => {
  it('back-fills a fresh store once, then keeps it live', async () => {
    fakeClock()
    const ctx = await context()
    const demo = await startDemo(ctx)
    let restarted: { stop: () => void } | null = null
    open.push({ ctx, stop: () => restarted?.stop() })
    const head = await ctx.store.head()
    expect(head).toBeGreaterThan(20_000)
    demo.stop()
    restarted = await startDemo(ctx)
    await advanceUntil(async () => (await ctx.store.head()) > head, 8000)
    // The second start found history and only added live traffic, no second back-fill.
    expect(await ctx.store.head()).toBeLessThan(head + 5000)
  }, 30_000)
})
