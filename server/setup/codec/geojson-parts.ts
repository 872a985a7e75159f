import type { GeoParts, GeoReader } from './geojson-read.ts'
import { FILES } from './layout.ts'

// Territory and facility records out of the three collections, each recorded with its feature number.

const GRID_PROPS = { id: 'code', communityId: 'community', riskTags: 'risk_tags', households: 'households', geometry: 'geometry' }
const FACILITY_PROPS = { id: 'code', gridId: 'grid', kind: 'risk_kind', geometry: 'geometry' }
const FACILITY_KINDS = { depot: 'depots', station: 'stations', risk_point: 'riskPoints', shelter: 'shelters' } as const

export function readGeo(r: GeoReader, files: Map<string, Buffer>): GeoParts {
  const out: GeoParts = { communities: [], grids: [], depots: [], stations: [], riskPoints: [], shelters: [] }
  r.origins.columns.communities = { id: 'code', geometry: 'geometry' }
  r.origins.columns.grids = GRID_PROPS
  for (const s of Object.values(FACILITY_KINDS))
    r.origins.columns[s] = FACILITY_PROPS

  const cf = FILES.communities
  const communities = files.has(cf) ? r.collection(cf, files.get(cf)!) : null
  for (const f of communities?.features ?? []) {
    const id = r.text(cf, f, 'code')
    r.record('communities', id, cf, f)
    const polygon = r.polygon(cf, f, id, communities!.gcj)
    out.communities.push({ id, name: r.text(cf, f, 'name', id), nameEn: r.text(cf, f, 'name_en', id, false), polygon, center: r.center(cf, f, id, polygon, communities!.gcj) })
  }

  const gf = FILES.grids
  const grids = files.has(gf) ? r.collection(gf, files.get(gf)!) : null
  for (const f of grids?.features ?? []) {
    const id = r.text(gf, f, 'code')
    r.record('grids', id, gf, f)
    const polygon = r.polygon(gf, f, id, grids!.gcj)
    const tags = f.props.risk_tags
    const riskTags = Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? tags.split(/[;；]/).map(t => t.trim()).filter(Boolean) : []
    out.grids.push({ id, communityId: r.text(gf, f, 'community', id), name: r.text(gf, f, 'name', id), polygon, center: r.center(gf, f, id, polygon, grids!.gcj), riskTags, households: r.num(gf, f, 'households', id) })
  }

  const ff = FILES.facilities
  const facilities = files.has(ff) ? r.collection(ff, files.get(ff)!) : null
  for (const f of facilities?.features ?? []) {
    const id = r.text(ff, f, 'code')
    const kind = r.text(ff, f, 'kind', id)
    const section = FACILITY_KINDS[kind as keyof typeof FACILITY_KINDS]
    if (!section) {
      if (kind)
        r.problems.push({ file: ff, row: f.row, column: 'kind', id, code: 'bad_value', reason: `未知的设施类型“${kind}”（station、risk_point、shelter、depot）`, reasonEn: `unknown facility kind "${kind}" (station, risk_point, shelter, depot)` })
      continue
    }
    r.record(section, id, ff, f)
    const name = r.text(ff, f, 'name', id)
    const location = r.point(ff, f, id, facilities!.gcj)
    if (section === 'depots')
      out.depots.push({ id, name, location, items: [] })
    else if (section === 'stations')
      out.stations.push({ id, name, gridId: r.text(ff, f, 'grid', id), location })
    else if (section === 'riskPoints')
      out.riskPoints.push({ id, name, kind: r.text(ff, f, 'risk_kind', id), gridId: r.text(ff, f, 'grid', id), location })
    else
      out.shelters.push({ id, name, capacity: r.num(ff, f, 'capacity', id), location })
  }
  return out
}
