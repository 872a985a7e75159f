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

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error('timed out')
    await sleep(100)
  }
}

describe('demo simulator', () => {
  it('reports new incidents and moves them along through the incident service', async () => {
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'sim-test' })
    open.push({ ctx, stop: sim.stop })
    await until(async () => {
      const live = await ctx.store.listLive(new Date(0).toISOString())
      return live.length >= 3 && live.some(i => i.version > 2)
    }, 8000)
    const live = await ctx.store.listLive(new Date(0).toISOString())
    const moved = await ctx.incidents.get(live.find(i => i.version > 2)!.id)
    expect(moved!.history.map(h => h.action).slice(0, 2)).toEqual(['report', 'accept'])
    expect(moved!.history.map(h => h.actor.personId)).not.toContain('system')
  })

  it('never leaves the wall still for more than a minute, even at speed 1 at night', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    try {
      vi.setSystemTime(new Date('2025-06-14T19:00:00.000Z')) // 03:00 in Chongqing, the quietest hour
      const ctx = await context()
      const sim = startSimulator(ctx, { speed: 1, seed: 'night' })
      open.push({ ctx, stop: sim.stop })
      for (let minute = 1; minute <= 5; minute++) {
        await vi.advanceTimersByTimeAsync(61_000)
        const reports = (await ctx.store.listLive(new Date(0).toISOString())).length
        expect(reports, `after ${minute} min`).toBeGreaterThanOrEqual(minute)
      }
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('keeps every grid worker inside their own grid', async () => {
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'walk-test', walkEveryMs: 50 })
    open.push({ ctx, stop: sim.stop })
    const grids = new Map(ctx.reference.territory.grids.map(g => [g.id, g]))
    const gridOf = new Map(ctx.reference.org.rosters.map(r => [r.workerId, grids.get(r.gridId)!]))
    const first = new Map(ctx.presence.all().map(p => [p.id, p]))
    expect(first.size).toBe(ctx.reference.org.rosters.length)
    for (let round = 0; round < 10; round++) {
      await sleep(60)
      expect(ctx.presence.all().filter(p => !pointInRings(p, gridOf.get(p.id)!.polygon)).map(p => p.id), `round ${round}`).toEqual([])
    }
    // Random walks on the real clock: how many have moved varies, but most must have, or nothing was tested.
    const moved = ctx.presence.all().filter(p => p.lon !== first.get(p.id)!.lon)
    expect(moved.length).toBeGreaterThan(ctx.reference.org.rosters.length / 2)
  })

  it('stops cleanly: no reports after stop()', async () => {
    const ctx = await context()
    const sim = startSimulator(ctx, { speed: 600, seed: 'stop-test' })
    open.push({ ctx, stop: sim.stop })
    await until(async () => (await ctx.store.head()) > 0, 8000)
    sim.stop()
    await sleep(300) // let in-flight calls land
    const head = await ctx.store.head()
    await sleep(1500)
    expect(await ctx.store.head()).toBe(head)
  })
})

describe('startDemo', () => {
  it('back-fills a fresh store once, then keeps it live', async () => {
    const ctx = await context()
    const demo = await startDemo(ctx)
    let restarted: { stop: () => void } | null = null
    open.push({ ctx, stop: () => restarted?.stop() })
    const head = await ctx.store.head()
    expect(head).toBeGreaterThan(20_000)
    demo.stop()
    restarted = await startDemo(ctx)
    await until(async () => (await ctx.store.head()) > head, 8000)
    // The second start found history and only added live traffic, no second back-fill.
    expect(await ctx.store.head()).toBeLessThan(head + 5000)
  }, 30_000)
})
