import type { Grid } from '../../../shared/territory/types.ts'
import { describe, expect, it } from 'vitest'
import { affectedGrids } from '../../../shared/cap/area.ts'
import { hazardOf, parseGbtIdentifier, warningColour } from '../../../shared/cap/gbt35965.ts'
import { applyAlert, mayProposeWartime } from '../../../shared/cap/lifecycle.ts'
import { parseCap } from '../../../shared/cap/parse.ts'
import { julyRainstormCap } from '../../../shared/cap/samples.ts'

const NOW = new Date('2024-07-09T21:30:00.000Z') // 05:30 on 10 July, Beijing time

function square(minX: number, minY: number, maxX: number, maxY: number): number[][] {
  return [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]]
}
const grid = (id: string, ring: number[][]): Grid => ({ id, communityId: 'c', name: id, polygon: [ring], center: { lon: ring[0]![0]!, lat: ring[0]![1]! }, riskTags: [], households: 1 })

describe('julyRainstormCap', () => {
  const r = parseCap(julyRainstormCap(NOW))
  if (!r.ok)
    throw new Error(r.error)
  const alert = r.alert
  const info = alert.infos[0]!

  it('is a valid CAP 1.2 alert with a GB/T 35965.1 identifier for Jiangbei, sent at now in Beijing time', () => {
    expect(alert).toMatchObject({ sender: '重庆市江北区气象台', sent: NOW.toISOString(), status: 'Actual', msgType: 'Alert', scope: 'Public' })
    expect(alert.identifier).toBe('50010541600000_20240710053000')
    expect(parseGbtIdentifier(alert.identifier)).toMatchObject({ divisionCode: '500105', departmentCode: '416', issuedAt: NOW.toISOString() })
    expect(info.expires).toBe('2024-07-10T09:30:00.000Z')
  })

  it('is a red rainstorm warning', () => {
    expect(info.event).toBe('暴雨红色预警')
    expect(warningColour(info)).toBe('red')
    expect(hazardOf(info)).toBe('rainstorm')
  })

  it('covers the north bank around Cuntan and not the south bank', () => {
    const grids = [
      grid('cuntan-port', square(106.625, 29.615, 106.635, 29.625)),
      grid('guanyinqiao', square(106.595, 29.625, 106.605, 29.635)),
      grid('nan-an', square(106.60, 29.55, 106.61, 29.56)),
    ]
    expect(affectedGrids(info.areas, grids)).toEqual(['cuntan-port', 'guanyinqiao'])
  })

  it('is stored active and may propose wartime', () => {
    const { warnings, effect } = applyAlert([], alert, { now: NOW })
    expect(effect).toBe('new')
    expect(mayProposeWartime(warnings[0]!)).toBe(true)
  })

  it('gives a new identifier each time it is sent', () => {
    const later = parseCap(julyRainstormCap(new Date(NOW.getTime() + 1000)))
    expect(later).toMatchObject({ ok: true, alert: { identifier: '50010541600000_20240710053001' } })
  })
})
