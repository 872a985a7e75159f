import type { SensorState } from '../../../shared/sensors/schema.ts'
import type { Warning } from '../../../shared/wartime/schema.ts'
import { describe, expect, it } from 'vitest'
import { feedTitle } from '../../../client/screens/wall/feed-title.ts'
import { warningChip } from '../../../client/screens/wall/warning-chip.ts'

function warning(over: Partial<Warning>): Warning {
  return {
    id: 'w1',
    version: 1,
    sender: 'sensor:cuntan-hydro',
    identifier: 'x',
    sent: '2026-06-01T00:00:00Z',
    msgType: 'Alert',
    status: 'Actual',
    event: '寸滩水文站水位蓝色预警',
    headline: '寸滩水文站超设防水位',
    description: '',
    colour: 'blue',
    hazard: 'flood',
    areaDesc: '',
    affectedGridIds: [],
    state: 'active',
    expires: null,
    receivedAt: '2026-06-01T00:00:00Z',
    proposal: null,
    exercise: false,
    ...over,
  }
}
const station = { station: { id: 'cuntan-hydro', name: '寸滩水文站', nameEn: 'Cuntan hydrological station' } } as SensorState
const t = (key: string) => `«${key}»`

describe('the header\'s warning chip', () => {
  it('shows the sender\'s own headline on a Chinese wall', () => {
    expect(warningChip(warning({}), true, [station], t)).toEqual({ source: null, text: '寸滩水文站超设防水位' })
  })

  it('names a sensor warning by the station\'s English name and its level on an English wall', () => {
    expect(warningChip(warning({ colour: 'yellow' }), false, [station], t)).toEqual({ source: 'Cuntan hydrological station', text: '«warning.level.yellow»' })
  })

  it('names a CAP warning, or a station the wall does not hold, by its hazard', () => {
    expect(warningChip(warning({ sender: 'cq-met', hazard: 'rainstorm' }), false, [station], t)).toEqual({ source: '«warning.hazard.rainstorm»', text: '«warning.level.blue»' })
    expect(warningChip(warning({ sender: 'sensor:gone' }), false, [station], t).source).toBe('«warning.hazard.flood»')
  })
})

describe('the feed\'s incident heading', () => {
  const english = (code: string, was?: string) => (code === 'garbage' ? 'Dumped garbage' : was ?? code)

  it('shows the category in the wall\'s language when the title is only the category\'s Chinese name', () => {
    expect(feedTitle({ title: '垃圾乱堆', category: 'garbage' }, '垃圾乱堆', english)).toBe('Dumped garbage')
    expect(feedTitle({ title: '', category: 'garbage' }, '垃圾乱堆', english)).toBe('Dumped garbage')
    expect(feedTitle({ title: '垃圾乱堆', category: 'garbage', labels: { category: '垃圾乱堆' } }, undefined, english), 'the stored label counts as the default too').toBe('Dumped garbage')
  })

  it('keeps a title somebody wrote as written', () => {
    expect(feedTitle({ title: '菜市场后门垃圾堆积三天', category: 'garbage' }, '垃圾乱堆', english)).toBe('菜市场后门垃圾堆积三天')
  })
})
