import type { SensorState } from '../../../shared/sensors/schema.ts'
import { describe, expect, it } from 'vitest'
import { lineName, staleMinutes, standing, trendOf } from '../../../client/sensors/logic.ts'

function state(value: number | null): SensorState {
  return {
    station: {
      id: 'cuntan-hydro',
      name: '寸滩水文站',
      kind: 'water_level',
      location: { lon: 106.6, lat: 29.62 },
      gridIds: ['g-1'],
      hazard: 'flood',
      thresholds: [{ level: 'blue', value: 178.5, label: '设防水位' }, { level: 'yellow', value: 180.5, label: '警戒水位' }, { level: 'orange', value: 183.5, label: '保证水位' }],
    },
    latest: value === null ? null : { stationId: 'cuntan-hydro', at: '2026-07-10T00:00:00Z', value },
    level: null,
    warningId: null,
  }
}

describe('how the wall states a reading against its lines', () => {
  it('says how far under the next line a river below 警戒水位 is', () => {
    expect(standing(state(176))).toMatchObject({ value: '176.00 m', line: { label: '设防水位' }, over: false, gap: '2.50 m' })
    expect(standing(state(180.2))).toMatchObject({ line: { label: '警戒水位' }, over: false, gap: '0.30 m' })
  })

  it('says how far over 警戒水位 or 保证水位 it is', () => {
    expect(standing(state(181.12))).toMatchObject({ line: { label: '警戒水位' }, over: true, gap: '0.62 m' })
    expect(standing(state(184))).toMatchObject({ line: { label: '保证水位' }, over: true, gap: '0.50 m' })
  })

  it('has nothing to say without a reading', () => {
    expect(standing(state(null))).toBeNull()
  })

  it('calls a change under a centimetre steady', () => {
    expect(trendOf({ kind: 'water_level' }, 180.2, 180.195)).toBe('flat')
    expect(trendOf({ kind: 'water_level' }, 180.3, 180.2)).toBe('up')
    expect(trendOf({ kind: 'ponding' }, 3, 5)).toBe('down')
  })
})

describe('a line\'s name', () => {
  const colour = (level: string) => `${level} level`
  it('is its published label, in English its English one, else its colour', () => {
    const line = { level: 'yellow', value: 180.5, label: '警戒水位', labelEn: 'warning level' } as const
    const bare = { level: 'red', value: 186.5, label: '沿江街面进水' } as const
    expect([lineName(line, colour), lineName(line, colour, false), lineName(bare, colour), lineName(bare, colour, false)])
      .toEqual(['警戒水位', 'warning level', '沿江街面进水', 'red level'])
  })
})

describe('a quiet station', () => {
  it('is called out after half an hour without a reading, in whole minutes', () => {
    const at = '2026-07-10T00:00:00Z'
    expect(staleMinutes(at, Date.parse(at) + 30 * 60_000)).toBeNull()
    expect(staleMinutes(at, Date.parse(at) + 95 * 60_000 + 30_000)).toBe(95)
  })
})
