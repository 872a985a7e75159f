import type { SensorStation } from '../../../shared/sensors/schema.ts'
import { describe, expect, it } from 'vitest'
import { nextLevel, thresholdProblems } from '../../../shared/sensors/levels.ts'

const river: Pick<SensorStation, 'kind' | 'hysteresis' | 'thresholds'> = {
  kind: 'water_level',
  hysteresis: 0.3,
  thresholds: [{ level: 'orange', value: 183.5 }, { level: 'blue', value: 178.5 }, { level: 'yellow', value: 180.5 }],
}

describe('a station\'s level', () => {
  it('rises at once to the highest line reached, whatever the order the lines are given in', () => {
    expect(nextLevel(river, null, 178.49)).toBeNull()
    expect(nextLevel(river, null, 178.5)).toBe('blue')
    expect(nextLevel(river, 'blue', 184)).toBe('orange')
  })

  it('falls only once the reading is the hysteresis under the line it stands at', () => {
    expect(nextLevel(river, 'orange', 183.21)).toBe('orange')
    expect(nextLevel(river, 'orange', 183.19)).toBe('yellow')
    expect(nextLevel(river, 'orange', 180.0)).toBe('blue') // 0.5 under yellow: past both lines' hysteresis
    expect(nextLevel(river, 'blue', 178.2)).toBe('blue')
    expect(nextLevel(river, 'blue', 178.19)).toBeNull()
  })

  it('never rises within the hysteresis of a line it has not reached', () => {
    expect(nextLevel(river, 'blue', 180.4)).toBe('blue')
    expect(nextLevel(river, null, 178.4)).toBeNull()
  })

  it('takes the default hysteresis of its kind when the station gives none', () => {
    const street = { kind: 'ponding' as const, thresholds: [{ level: 'yellow' as const, value: 20 }] }
    expect(nextLevel(street, 'yellow', 15.5)).toBe('yellow')
    expect(nextLevel(street, 'yellow', 14.9)).toBeNull()
  })
})

describe('thresholdProblems', () => {
  it('names a colour given twice and lines that do not rise with the colour', () => {
    expect(thresholdProblems(river.thresholds)).toEqual([])
    expect(thresholdProblems([{ level: 'yellow', value: 2 }, { level: 'yellow', value: 3 }])).toEqual(['level yellow is given twice'])
    expect(thresholdProblems([{ level: 'red', value: 2 }, { level: 'blue', value: 3 }])).toEqual(['red (2) must be above blue (3)'])
  })
})
