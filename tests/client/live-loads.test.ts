import type { DutyDay, DutyRoster } from '../../shared/duty/schema.ts'
import type { DepotStock } from '../../shared/resources/schema.ts'
import type { SensorState } from '../../shared/sensors/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useDutyStore } from '../../client/duty/store.ts'
import { useResourcesStore } from '../../client/resources/store.ts'
import { useSensorsStore } from '../../client/sensors/store.ts'

// A screen loads the duty roster, the sensors and the resources over HTTP and keeps them live from the socket. An answer read
// before a live change and arriving after it must not undo the change (a wall would show the old duty all day).

/** fetch stubbed: each call waits until the test answers it with a JSON body. */
function slowFetch() {
  const waiting: ((body: unknown) => void)[] = []
  vi.stubGlobal('fetch', () => new Promise(resolve => waiting.push(body => resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })))))
  return { answer: (body: unknown) => waiting.shift()!(body), pending: () => waiting.length }
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0))
function day(id: string, version: number, leader: string | null): DutyDay {
  return { id, version, leader: leader ? { id: leader, name: leader } : null, operators: [], updatedAt: '2026-12-08T02:00:00.000Z', updatedBy: null }
}
const dutyChange = (d: DutyDay): Change => ({ seq: 1, at: d.updatedAt, kind: 'duty', id: d.id, action: 'edit', data: d }) as Change

describe('the duty roster on a screen', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('keeps a day changed live while the roster was on its way, and takes the rest of the answer', async () => {
    const http = slowFetch()
    const duty = useDutyStore()
    const loading = duty.load('2026-12-08', 2)
    await tick()
    expect(http.pending()).toBe(1)
    duty.apply([dutyChange(day('2026-12-08', 2, 'ld-03'))])
    const roster: DutyRoster = { days: [day('2026-12-08', 1, null), day('2026-12-09', 1, 'ld-01')], candidates: { leaders: [], operators: [] } }
    http.answer(roster)
    await loading
    expect([...duty.days.values()].map(d => [d.id, d.version, d.leader?.id ?? null])).toEqual([
      ['2026-12-08', 2, 'ld-03'],
      ['2026-12-09', 1, 'ld-01'],
    ])
  })

  it('takes a newer day from the answer over the one it holds', async () => {
    const http = slowFetch()
    const duty = useDutyStore()
    duty.apply([dutyChange(day('2026-12-08', 1, 'ld-01'))])
    const loading = duty.load('2026-12-08', 1)
    await tick()
    http.answer({ days: [day('2026-12-08', 3, null)], candidates: { leaders: [], operators: [] } })
    await loading
    expect(duty.days.get('2026-12-08')?.version).toBe(3)
  })
})

describe('the sensors on a screen', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  const station = (latest: SensorState['latest'], level: SensorState['level']): SensorState => ({
    station: { id: 'cuntan-hydro', name: '寸滩水文站', kind: 'water_level', location: { lon: 106.6, lat: 29.62 }, gridIds: ['g-1'], hazard: 'flood', thresholds: [{ level: 'yellow', value: 180.5 }] },
    latest,
    level,
    warningId: null,
  })

  it('keeps a reading that arrived live while the stations were on their way', async () => {
    const http = slowFetch()
    const sensors = useSensorsStore()
    const first = sensors.load()
    await tick()
    http.answer([station({ stationId: 'cuntan-hydro', at: '2026-12-08T01:00:00.000Z', value: 179 }, null)])
    await first
    const again = sensors.load() // a reconnect
    await tick()
    sensors.receive([station({ stationId: 'cuntan-hydro', at: '2026-12-08T02:00:00.000Z', value: 180.8 }, 'yellow')])
    http.answer([station({ stationId: 'cuntan-hydro', at: '2026-12-08T01:00:00.000Z', value: 179 }, null)])
    await again
    expect(sensors.stations.map(s => [s.latest?.value, s.level])).toEqual([[180.8, 'yellow']])
    expect(sensors.previous.get('cuntan-hydro')).toBe(179)
  })
})

describe('the resources on a screen', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  const depot = (id: string, version: number, qty: number): DepotStock => ({ id, version, items: [{ kind: 'sandbag', qty }], last: null, updatedAt: null })

  it('keeps a depot\'s stock moved live while the state was on its way, and drops what the answer no longer has', async () => {
    const http = slowFetch()
    const resources = useResourcesStore()
    const first = resources.load()
    await tick()
    http.answer({ depots: [depot('d-1', 1, 100), depot('d-old', 1, 5)], shelters: [], evacuation: [] })
    await first
    const again = resources.load()
    await tick()
    resources.apply([{ seq: 9, at: '2026-12-08T02:00:00.000Z', kind: 'stock', id: 'd-1', action: 'issue', data: depot('d-1', 2, 60) } as Change])
    http.answer({ depots: [depot('d-1', 1, 100), depot('d-2', 1, 40)], shelters: [], evacuation: [] })
    await again
    expect([...resources.depots.values()].map(d => [d.id, d.version, d.items[0]!.qty])).toEqual([['d-1', 2, 60], ['d-2', 1, 40]])
  })
})
