import type { AppContext } from '../../../server/context.ts'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { fillDutyRota } from '../../../server/demo/sim/duty.ts'
import { backfillSensors, startSensorFeed, yangtzeLevel } from '../../../server/demo/sim/sensors.ts'
import { testConfig } from '../../helpers/app.ts'

const HOUR = 3_600_000
let ctx: AppContext
let now = new Date('2026-07-10T02:00:00.000Z')

beforeAll(async () => {
  ctx = await createContext(testConfig({ demo: true }), { store: createSqliteStore({ file: ':memory:' }), now: () => now })
})
afterAll(async () => {
  ctx.presence.close()
  await ctx.store.close()
})

describe('the demo\'s Yangtze at 寸滩', () => {
  it('rises through a flood season: under 警戒水位 at the start, over 保证水位 some hours later, back down in two days', () => {
    expect(yangtzeLevel(-72)).toBeLessThan(173)
    expect(yangtzeLevel(0)).toBeLessThan(180.5)
    expect(yangtzeLevel(2)).toBeGreaterThan(180.5)
    expect(Math.max(...Array.from({ length: 48 }, (_, h) => yangtzeLevel(h)))).toBeGreaterThan(183.8)
    expect(yangtzeLevel(48)).toBeLessThan(178)
    // Under 0.8 m an hour, as the Yangtze rises at 寸滩 in a big flood.
    for (let h = -72; h < 72; h++)
      expect(Math.abs(yangtzeLevel(h + 1) - yangtzeLevel(h)), `hour ${h}`).toBeLessThan(0.8)
  })

  it('back-fills three days hourly once, then the feed crosses the warning level and proposes the flood plan', async () => {
    const anchor = await backfillSensors(ctx)
    expect(anchor).toBe(now.getTime())
    expect(await backfillSensors(ctx), 'a second start keeps the first anchor').toBe(anchor)
    const series = await ctx.sensors.series('cuntan-hydro', 80)
    expect(series.ok && series.data.length).toBe(73)
    const hydro = () => ctx.sensors.list().then(all => all.find(s => s.station.id === 'cuntan-hydro')!)
    expect((await hydro()).level).toBe('blue') // past 设防水位 in the last days, under 警戒水位
    now = new Date(anchor + 10 * HOUR)
    startSensorFeed(ctx, { speed: 1, anchor }).stop()
    await vi.waitFor(async () => expect((await hydro()).level).toBe('orange'))
    const { warningId } = await hydro()
    const w = (await ctx.warnings.list()).find(x => x.id === warningId)
    expect(w).toMatchObject({ state: 'active', colour: 'orange', proposal: { planId: 'rainstorm-red' } })
  })

  it('writes a duty rota around today, leaving edited days alone', async () => {
    expect(await fillDutyRota(ctx)).toBe(15)
    expect(await fillDutyRota(ctx)).toBe(0)
    const today = await ctx.duty.lastResort()
    expect(today).toHaveLength(3)
    expect(today[0]).toMatch(/^ld-/)
  })
})
