import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSensorPoller } from '../../../server/sensors/poller.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
const now = new Date('2026-07-10T12:00:00.000Z')

beforeAll(async () => {
  t = await buildTestApp({ now: () => now })
})
afterAll(() => t.close())

describe('the sensor poller', () => {
  it('puts a feed\'s JSON readings through the intake, leaving out stations the package does not know', async () => {
    const at = (m: number) => new Date(now.getTime() - m * 60_000).toISOString()
    const body = { readings: [{ stationId: 'cuntan-hydro', at: at(10), value: 180.2 }, { stationId: 'cuntan-hydro', at: at(5), value: 180.7 }, { stationId: 'somewhere-else', at: at(5), value: 1 }] }
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const stop = startSensorPoller(t.ctx, { url: 'http://feed.test/readings', everyMs: 3_600_000, fetch })
    try {
      await vi.waitFor(async () => {
        const hydro = (await t.ctx.sensors.list()).find(s => s.station.id === 'cuntan-hydro')
        expect(hydro).toMatchObject({ latest: { value: 180.7 }, level: 'yellow' })
      }, { timeout: 10_000, interval: 50 })
      expect(fetch).toHaveBeenCalledWith('http://feed.test/readings', expect.anything())
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('somewhere-else'))
      const series = await t.ctx.sensors.series('cuntan-hydro', 1)
      expect(series.ok && series.data.map(r => r.value)).toEqual([180.2, 180.7])
    }
    finally {
      stop()
      warn.mockRestore()
    }
  })
})
