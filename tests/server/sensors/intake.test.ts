import type { Warning } from '../../../shared/wartime/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'

// The 寸滩 station of Cuntan's package: blue 178.5, yellow (警戒) 180.5, orange (保证) 183.5, red 186.5; hysteresis 0.3 m.
let t: TestApp
let now = new Date('2026-07-10T00:00:00.000Z')
let minute = 0
const STATION = 'cuntan-hydro'

beforeAll(async () => {
  t = await buildTestApp({ now: () => now })
})
afterAll(() => t.close())

/** A reading at the next minute, as the duty desk posts it. */
async function level(value: number) {
  now = new Date(Date.parse('2026-07-10T00:00:00.000Z') + ++minute * 60_000)
  const res = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers: await t.as('operator'), payload: { stationId: STATION, value, at: now.toISOString() } })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json() as { accepted: number, duplicates: number, warnings: string[] }
}
const mine = async (): Promise<Warning[]> => (await t.ctx.warnings.list()).filter(w => w.sender === `sensor:${STATION}`)

describe('sensor crossings propose a plan as a CAP warning does', () => {
  it('opens no warning while the Yangtze stays under every line', async () => {
    await level(176.2)
    await level(178.1)
    expect(await mine()).toEqual([])
  })

  it('opens a warning with the station\'s grids when the level crosses 警戒水位 upward', async () => {
    await level(179.0) // blue: a warning, no plan (the plans start at orange for floods)
    const res = await level(180.62)
    expect(res.warnings).toHaveLength(1)
    const [w] = await mine()
    expect(w).toMatchObject({ colour: 'yellow', hazard: 'flood', state: 'active', proposal: null, exercise: false })
    expect(w!.headline).toContain('警戒水位')
    const station = t.ctx.live.pkg.sensors!.find(s => s.id === STATION)!
    expect(w!.affectedGridIds).toEqual(station.gridIds)
  })

  it('proposes the flood plan at 保证水位, on the same warning', async () => {
    const res = await level(183.6)
    expect(res.warnings).toHaveLength(1)
    const all = await mine()
    expect(all, 'one warning per episode').toHaveLength(1)
    expect(all[0]).toMatchObject({ colour: 'orange', state: 'active', proposal: { planId: 'rainstorm-red' } })
    // The wall's wartime state carries it, as it carries a CAP warning; nothing is declared.
    const state = await t.app.inject({ method: 'GET', url: '/api/wartime', headers: await t.as('commander') })
    expect(state.json().warnings.map((x: Warning) => x.id)).toContain(all[0]!.id)
    expect(await t.ctx.wartime.active()).toBeNull()
  })

  it('does not duplicate or re-version the warning while the level stays above the line', async () => {
    const before = (await mine())[0]!.version
    for (const v of [183.9, 184.2, 183.7])
      expect((await level(v)).warnings).toEqual([])
    const all = await mine()
    expect(all).toHaveLength(1)
    expect(all[0]!.version).toBe(before)
  })

  it('holds the level within the hysteresis under the line (no flapping)', async () => {
    expect((await level(183.3)).warnings).toEqual([]) // 0.2 m under 183.5: still orange
    expect((await mine())[0]).toMatchObject({ colour: 'orange', proposal: { planId: 'rainstorm-red' } })
    expect((await level(183.1)).warnings).toHaveLength(1) // 0.4 m under: yellow, no plan for a yellow flood
    expect((await mine())[0]).toMatchObject({ colour: 'yellow', proposal: null })
  })

  it('expires the warning once the level falls under every line by the hysteresis', async () => {
    await level(179.0) // blue
    expect((await level(178.3)).warnings).toEqual([]) // 0.2 under blue: held
    expect((await mine())[0]!.state).toBe('active')
    const res = await level(178.1)
    expect(res.warnings).toHaveLength(1)
    expect((await mine())[0]).toMatchObject({ state: 'expired', proposal: null })
    const wall = await t.app.inject({ method: 'GET', url: '/api/sensors', headers: await t.as('wall') })
    expect(wall.json().find((s: { station: { id: string } }) => s.station.id === STATION)).toMatchObject({ level: null, warningId: null, latest: { value: 178.1 } })
  })

  it('opens a new warning for the next episode', async () => {
    await level(181)
    const all = await mine()
    expect(all).toHaveLength(2)
    expect(all.filter(w => w.state === 'active')).toHaveLength(1)
  })

  it('takes a batch, stores a resent reading once and ignores a late one for the level', async () => {
    const at = new Date(now.getTime() - 30 * 60_000).toISOString()
    const body = { readings: [{ stationId: 'ponding-cuntan-07', value: 3, at }, { stationId: STATION, value: 170, at }] }
    const headers = await t.as('operator')
    const first = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers, payload: body })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ accepted: 2, duplicates: 0, warnings: [] })
    const again = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers, payload: body })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2 })
    // 170 m half an hour ago is history: the station stays yellow on its newest reading.
    expect((await mine()).find(w => w.state === 'active')?.colour).toBe('yellow')
  })

  it('refuses an unknown station or a reading from the future, naming the field', async () => {
    const headers = await t.as('operator')
    const unknown = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers, payload: { readings: [{ stationId: STATION, value: 1 }, { stationId: 'nope', value: 1 }] } })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().field).toBe('readings[1].stationId')
    const future = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers, payload: { stationId: STATION, value: 1, at: '2030-01-01T00:00:00Z' } })
    expect(future.statusCode).toBe(400)
    expect(future.json().field).toBe('reading.at')
  })
})

describe('who may report readings', () => {
  async function key(scopes: string[]): Promise<Record<string, string>> {
    const res = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: await t.as('admin'), payload: { name: `sensors ${scopes.join(',')}`, scopes } })
    expect(res.statusCode, res.body).toBe(201)
    return { authorization: `Bearer ${res.json().token}` }
  }
  const reading = () => ({ stationId: 'ponding-heishizi-14', value: 2, at: now.toISOString() })

  it('takes readings from an API key with the sensors:report scope', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers: await key(['sensors:report']), payload: reading() })
    expect(res.statusCode, res.body).toBe(201)
  })

  it('refuses a key without the scope, and people whose role may not report', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers: await key(['warnings:submit']), payload: reading() })
    expect(res.statusCode).toBe(403)
    expect(res.json().message).toContain('sensors:report')
    for (const who of ['grid_worker', 'leader', 'wall']) {
      const r = await t.app.inject({ method: 'POST', url: '/api/sensors/readings', headers: await t.as(who), payload: reading() })
      expect(r.statusCode, who).toBe(403)
    }
  })
})
