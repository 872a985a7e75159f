import type { SensorStore } from '../../../../server/sensors/store.ts'
import type { TestSchema } from '../../../helpers/pg.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { PG_CORE_DDL } from '../../../../server/db/postgres/core-schema.ts'
import { createPgSensorStore, PG_SENSOR_DDL } from '../../../../server/db/postgres/sensors.ts'
import { createSqliteStore } from '../../../../server/db/sqlite/store.ts'
import { freshSchema } from '../../../helpers/pg.ts'

interface Made { store: SensorStore, close: () => Promise<void>, pg?: TestSchema }

const dialects: [string, () => Promise<Made>][] = [
  ['sqlite', async () => {
    const s = createSqliteStore({ file: ':memory:' })
    await s.migrate()
    return { store: s.sensors, close: () => s.close() }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_CORE_DDL + PG_SENSOR_DDL)
    return { store: createPgSensorStore(t.pool), close: () => t.drop(), pg: t }
  }],
]

const at = (minute: number) => new Date(Date.UTC(2025, 6, 1, 8, minute)).toISOString()

describe.each(dialects)('sensor store on %s', (_, make) => {
  let m: Made
  afterEach(async () => m.close())

  it('counts only the readings it did not hold, a resend and a repeat in one batch included', async () => {
    m = await make()
    expect(await m.store.insert([], at(0))).toBe(0)
    expect(await m.store.insert([{ stationId: 'w1', at: at(0), value: 1.5 }, { stationId: 'w1', at: at(10), value: 2.25 }], at(11))).toBe(2)
    const again = [{ stationId: 'w1', at: at(10), value: 9 }, { stationId: 'w2', at: at(5), value: -3 }, { stationId: 'w2', at: at(5), value: 7 }]
    expect(await m.store.insert(again, at(12))).toBe(1)
    // The first reading of a time is kept: a resend with another value changes nothing.
    expect(await m.store.series('w1', at(0), at(60), 10)).toEqual([{ stationId: 'w1', at: at(0), value: 1.5 }, { stationId: 'w1', at: at(10), value: 2.25 }])
    expect(await m.store.series('w2', at(0), at(60), 10)).toEqual([{ stationId: 'w2', at: at(5), value: -3 }])
  })

  it('answers the newest reading of each station, with its own value', async () => {
    m = await make()
    expect(await m.store.latest()).toEqual([])
    await m.store.insert([
      { stationId: 'w2', at: at(30), value: 4 },
      { stationId: 'w1', at: at(20), value: 8 },
      { stationId: 'w1', at: at(40), value: 0.125 },
      { stationId: 'w1', at: at(30), value: 6 },
      { stationId: 'w2', at: at(10), value: 1 },
    ], at(41))
    expect(await m.store.latest()).toEqual([{ stationId: 'w1', at: at(40), value: 0.125 }, { stationId: 'w2', at: at(30), value: 4 }])
  })

  it('gives a series in [from, to), oldest first, at most the limit', async () => {
    m = await make()
    await m.store.insert([50, 10, 30, 20, 40].map(min => ({ stationId: 'w1', at: at(min), value: min })), at(55))
    await m.store.insert([{ stationId: 'w9', at: at(20), value: 99 }], at(55))
    expect((await m.store.series('w1', at(10), at(40), 10)).map(r => r.value)).toEqual([10, 20, 30])
    expect((await m.store.series('w1', at(10), at(59), 2)).map(r => r.value)).toEqual([10, 20])
    expect(await m.store.series('w1', at(51), at(59), 10)).toEqual([])
    expect(await m.store.series('nobody', at(0), at(59), 10)).toEqual([])
  })

  it('trims the readings measured before a time and answers how many', async () => {
    m = await make()
    await m.store.insert([10, 20, 30].map(min => ({ stationId: 'w1', at: at(min), value: min })), at(31))
    await m.store.insert([{ stationId: 'w2', at: at(15), value: 1 }], at(31))
    expect(await m.store.trim(at(20))).toBe(2)
    expect(await m.store.trim(at(20))).toBe(0)
    expect(await m.store.latest()).toEqual([{ stationId: 'w1', at: at(30), value: 30 }])
    expect((await m.store.series('w1', at(0), at(59), 10)).map(r => r.at)).toEqual([at(20), at(30)])
  })
})
