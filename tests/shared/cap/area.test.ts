import type { CapArea } from '../../../shared/cap/types.ts'
import type { Grid } from '../../../shared/territory/types.ts'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { affectedGrids } from '../../../shared/cap/area.ts'
import { parseCap } from '../../../shared/cap/parse.ts'

// Four 0.01° squares (about 1 km) on Jiangbei's river bank:
//   29.62 ┌──────┬──────┐
//         │  nw  │  ne  │
//   29.61 ├──────┼──────┤
//         │  sw  │  se  │
//   29.60 └──────┴──────┘
//     106.60  106.61  106.62
function square(minX: number, minY: number, maxX: number, maxY: number): number[][] {
  return [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY], [minX, minY]]
}

function grid(id: string, x: number, y: number): Grid {
  return { id, communityId: 'c', name: id, polygon: [square(x, y, x + 0.01, y + 0.01)], center: { lon: x + 0.005, lat: y + 0.005 }, riskTags: [], households: 100 }
}

const GRIDS = [grid('sw', 106.60, 29.60), grid('se', 106.61, 29.60), grid('nw', 106.60, 29.61), grid('ne', 106.61, 29.61)]

function area(over: Partial<CapArea>): CapArea {
  return { areaDesc: '某地', polygons: [], circles: [], geocodes: {}, ...over }
}

describe('affectedGrids', () => {
  it('finds the two grids a polygon overlaps', () => {
    const band = area({ polygons: [square(106.595, 29.595, 106.625, 29.605)] })
    expect(affectedGrids([band], GRIDS)).toEqual(['sw', 'se'])
  })

  it('finds the one grid a small circle touches', () => {
    const c = area({ circles: [{ center: { lon: 106.615, lat: 29.615 }, radiusKm: 0.3 }] })
    expect(affectedGrids([c], GRIDS)).toEqual(['ne'])
    // 0.52 km reaches nw (its edge is 0.48 km west of the centre) but not the southern row (0.56 km south).
    const wider = area({ circles: [{ center: { lon: 106.615, lat: 29.615 }, radiusKm: 0.52 }] })
    expect(affectedGrids([wider], GRIDS)).toEqual(['nw', 'ne'])
  })

  it('treats a zero-radius circle as a point', () => {
    expect(affectedGrids([area({ circles: [{ center: { lon: 106.605, lat: 29.605 }, radiusKm: 0 }] })], GRIDS)).toEqual(['sw'])
  })

  it('finds nothing for an area far away (the OASIS thunderstorm in California)', () => {
    const r = parseCap(readFileSync(new URL('../../fixtures/cap/oasis-example2-thunderstorm.xml', import.meta.url), 'utf8'))
    if (!r.ok)
      throw new Error(r.error)
    expect(affectedGrids(r.alert.infos[0]!.areas, GRIDS)).toEqual([])
  })

  it('unions several areas and polygons, in the grids\' order', () => {
    const a = area({ polygons: [square(106.612, 29.612, 106.613, 29.613), square(106.601, 29.601, 106.602, 29.602)] })
    expect(affectedGrids([a], GRIDS)).toEqual(['sw', 'ne'])
  })

  it('puts every grid in a geocode-only area that names Jiangbei, Cuntan or Chongqing as a whole', () => {
    const all = ['sw', 'se', 'nw', 'ne']
    expect(affectedGrids([area({ geocodes: { 'GB/T 2260': ['500105'] } })], GRIDS)).toEqual(all)
    expect(affectedGrids([area({ geocodes: { 行政区划代码: ['500000'] } })], GRIDS)).toEqual(all)
    expect(affectedGrids([area({ geocodes: { code: ['500105005000'] } })], GRIDS)).toEqual(all) // 寸滩街道, zero-padded
    expect(affectedGrids([area({ areaDesc: '重庆市江北区' })], GRIDS)).toEqual(all)
    expect(affectedGrids([area({ areaDesc: '重庆市' })], GRIDS)).toEqual(all)
  })

  it('puts no grid in a geocode-only area elsewhere, even next door', () => {
    expect(affectedGrids([area({ geocodes: { 'GB/T 2260': ['500103'] } })], GRIDS)).toEqual([]) // 渝中区
    expect(affectedGrids([area({ geocodes: { 'GB/T 2260': ['500105001'] } })], GRIDS)).toEqual([]) // 华新街街道
    expect(affectedGrids([area({ areaDesc: '重庆市渝中区' })], GRIDS)).toEqual([])
    expect(affectedGrids([area({ geocodes: { SAME: ['006037'] } })], GRIDS)).toEqual([])
  })

  it('lets geometry decide when an area has both geometry and a home geocode', () => {
    const elsewhere = area({ polygons: [square(106.70, 29.70, 106.71, 29.71)], geocodes: { 'GB/T 2260': ['500105'] } })
    expect(affectedGrids([elsewhere], GRIDS)).toEqual([])
  })
})
