// Which grids a warning's areas touch. Geometry is tested exactly (turf, planar on lon/lat: fine at city scale);
// an area without geometry counts only when its geocodes or description name our district or city as a whole.
import type { Geometry } from 'geojson'
import type { BBox } from '../kernel/geo.ts'
import type { Grid } from '../territory/types.ts'
import type { CapArea } from './types.ts'
import { booleanIntersects } from '@turf/boolean-intersects'
import { circle } from '@turf/circle'
import { bboxOf } from '../kernel/geo.ts'

/**
 * Division codes that mean "all of us": Cuntan subdistrict (寸滩街道, 500105005), Jiangbei district (GB/T 2260
 * 500105), Chongqing's city districts (500100) and Chongqing city (500000).
 */
export const HOME_DIVISION_CODES: readonly string[] = ['500105005', '500105', '500100', '500000']

/** Area descriptions that name the district, or the whole city and nothing narrower. */
const HOME_AREA_DESC = /江北区|江北區|Jiangbei|^\s*(?:重庆市?|重慶市?|Chongqing(?: City| Municipality)?)\s*$/i

export interface AffectedGridsOptions {
  /** Division codes that put every grid in the warning; default HOME_DIVISION_CODES. */
  divisionCodes?: readonly string[]
  /**
   * Names that mean the whole territory (the subdistrict's package: its district, its city). An areaDesc made only
   * of these names (重庆市江北区) counts; one that names something narrower as well (重庆市渝中区) does not.
   * Default: Jiangbei and Chongqing.
   */
  areaNames?: readonly string[]
}

/** Zero padding names the level above: 500105000000 is Jiangbei, 500105005000 Cuntan. */
function divisionOf(code: string): string | null {
  let c = code.trim()
  if (!/^\d{6}(?:\d{3}){0,2}$/.test(c))
    return null
  while (c.length > 6 && c.endsWith('000'))
    c = c.slice(0, -3)
  return c
}

/** Whether the description is made of the territory's names only (and at least one), whatever the separators. */
function onlyNames(desc: string, names: readonly string[]): boolean {
  let rest = desc
  let found = false
  for (const name of [...names].filter(n => n.trim()).sort((a, b) => b.length - a.length)) {
    if (rest.includes(name)) {
      found = true
      rest = rest.split(name).join(' ')
    }
  }
  return found && /^[\s,，、;；/·.()（）-]*$/.test(rest)
}

function namesHome(area: CapArea, codes: readonly string[], names?: readonly string[]): boolean {
  const byCode = Object.values(area.geocodes).flat().some((v) => {
    const division = divisionOf(v)
    return division !== null && codes.includes(division)
  })
  return byCode || (names ? onlyNames(area.areaDesc, names) : HOME_AREA_DESC.test(area.areaDesc))
}

interface Shape { geometry: Geometry, bbox: BBox }

function shapesOf(area: CapArea): Shape[] {
  const shapes: Shape[] = area.polygons.map(ring => ({ geometry: { type: 'Polygon', coordinates: [ring] }, bbox: bboxOf([ring]) }))
  for (const c of area.circles) {
    const center = [c.center.lon, c.center.lat]
    // A zero radius (the OASIS earthquake example) is a point; turf would draw a degenerate ring.
    const geometry: Geometry = c.radiusKm > 0
      ? circle(center, c.radiusKm, { steps: 64, units: 'kilometers' }).geometry
      : { type: 'Point', coordinates: center }
    const ring = geometry.type === 'Polygon' ? geometry.coordinates : [[center]]
    shapes.push({ geometry, bbox: bboxOf(ring) })
  }
  return shapes
}

function overlaps(a: BBox, b: BBox): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY
}

/**
 * Ids of the grids any area touches, in the grids' order. Areas with polygons or circles are tested by geometry
 * (bbox first, then turf's booleanIntersects, so touching counts); an area with no geometry affects every grid
 * when a geocode is one of `divisionCodes` (GB/T 2260) or its areaDesc names Jiangbei or Chongqing as a whole,
 * and none otherwise — a county-wide warning without a polygon is still ours to act on.
 */
export function affectedGrids(areas: readonly CapArea[], grids: readonly Grid[], options: AffectedGridsOptions = {}): string[] {
  const codes = options.divisionCodes ?? HOME_DIVISION_CODES
  const shapes: Shape[] = []
  for (const area of areas) {
    if (area.polygons.length === 0 && area.circles.length === 0) {
      if (namesHome(area, codes, options.areaNames))
        return grids.map(g => g.id)
      continue
    }
    shapes.push(...shapesOf(area))
  }
  return grids.filter((grid) => {
    const box = bboxOf(grid.polygon)
    const geometry: Geometry = { type: 'Polygon', coordinates: grid.polygon }
    return shapes.some(s => overlaps(s.bbox, box) && booleanIntersects(s.geometry, geometry))
  }).map(g => g.id)
}
