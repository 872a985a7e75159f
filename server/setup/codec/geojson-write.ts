import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { LngLat } from '../../../shared/territory/types.ts'
import { CRS_MEMBER } from './layout.ts'

// communities.geojson, grids.geojson and facilities.geojson: RFC 7946 FeatureCollections, snake_case properties.

const pt = (p: LngLat): [number, number] => [p.lon, p.lat]

/** One feature per line: compact, and a changed grid is a one-line diff. */
function collection(features: unknown[]): Buffer {
  const head = `{"type":"FeatureCollection","${CRS_MEMBER}":"WGS84","features":[`
  return Buffer.from(`${head}\n${features.map(f => JSON.stringify(f)).join(',\n')}\n]}\n`, 'utf8')
}

const feature = (properties: Record<string, unknown>, geometry: unknown): unknown => ({ type: 'Feature', properties, geometry })

export function writeGeojson(pkg: SubdistrictPackage): { communities: Buffer, grids: Buffer, facilities: Buffer } {
  const { territory, facilities: f } = pkg.reference
  const point = (p: LngLat) => ({ type: 'Point', coordinates: pt(p) })
  return {
    communities: collection(territory.communities.map(c =>
      feature({ code: c.id, name: c.name, name_en: c.nameEn, center: pt(c.center) }, { type: 'Polygon', coordinates: c.polygon }))),
    grids: collection(territory.grids.map(g =>
      feature({ code: g.id, name: g.name, community: g.communityId, households: g.households, risk_tags: g.riskTags, center: pt(g.center) }, { type: 'Polygon', coordinates: g.polygon }))),
    facilities: collection([
      ...f.depots.map(d => feature({ kind: 'depot', code: d.id, name: d.name }, point(d.location))),
      ...f.stations.map(s => feature({ kind: 'station', code: s.id, name: s.name, grid: s.gridId }, point(s.location))),
      ...f.riskPoints.map(r => feature({ kind: 'risk_point', code: r.id, name: r.name, grid: r.gridId, risk_kind: r.kind }, point(r.location))),
      ...f.shelters.map(s => feature({ kind: 'shelter', code: s.id, name: s.name, capacity: s.capacity }, point(s.location))),
    ]),
  }
}
