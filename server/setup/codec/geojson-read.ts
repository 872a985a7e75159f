import type { PackageOrigins } from '../../../shared/setup/origins.ts'
import type { PackageProblem, SourceCrs } from '../../../shared/setup/package.ts'
import type { Community, Depot, Grid, GridStation, LngLat, PolygonRings, RiskPoint, Shelter } from '../../../shared/territory/types.ts'
import { originKey } from '../../../shared/setup/origins.ts'
import { problemAt } from './cells.ts'
import { parseCrs } from './crs.ts'
import { fromGcj02 } from './gcj02.ts'
import { centroid } from './geo-centre.ts'
import { CRS_MEMBER } from './layout.ts'

// The three GeoJSON files back into territory and facilities. Feature n is "row" n; a property is its "column".

interface Feature { row: number, props: Record<string, unknown>, geometry: { type?: unknown, coordinates?: unknown } | null }

const toPos = (p: LngLat): number[] => [p.lon, p.lat]
const isPos = (p: unknown): p is number[] => Array.isArray(p) && p.length >= 2 && p.every(n => typeof n === 'number' && Number.isFinite(n))
/** A position on the globe; a swapped [lat, lon] in China fails on its latitude. */
const onGlobe = (p: number[]): boolean => Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90
const OFF_GLOBE: [string, string] = ['坐标超出经纬度范围（经度 -180 至 180，纬度 -90 至 90）：是否把纬度写在了前面？', 'a position is off the globe (longitude -180…180, latitude -90…90): are latitude and longitude swapped?']

export class GeoReader {
  constructor(readonly problems: PackageProblem[], readonly origins: PackageOrigins, readonly crs: SourceCrs | undefined) {}

  /** The features of a FeatureCollection and whether its coordinates are GCJ-02; null when it cannot be used. */
  collection(file: string, data: Buffer): { features: Feature[], gcj: boolean } | null {
    let json: { type?: unknown, features?: unknown, [k: string]: unknown }
    try {
      json = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')) as typeof json
    }
    catch (e) {
      this.problems.push(problemAt({ file }, 'unreadable_file', `不是有效的 JSON：${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`))
      return null
    }
    if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
      this.problems.push(problemAt({ file }, 'unreadable_file', '须为 GeoJSON FeatureCollection', 'must be a GeoJSON FeatureCollection'))
      return null
    }
    let crs = this.crs
    if (json[CRS_MEMBER] !== undefined) {
      crs = parseCrs(String(json[CRS_MEMBER]))
      if (!crs)
        this.problems.push(problemAt({ file }, 'bad_value', `未知的坐标系“${String(json[CRS_MEMBER])}”`, `unknown coordinate system "${String(json[CRS_MEMBER])}"`, { column: CRS_MEMBER }))
    }
    const features = (json.features as { properties?: unknown, geometry?: unknown }[]).map((f, i) => ({
      row: i + 1,
      props: (f && typeof f.properties === 'object' && f.properties !== null ? f.properties : {}) as Record<string, unknown>,
      geometry: (f?.geometry ?? null) as Feature['geometry'],
    }))
    return { features, gcj: crs === 'GCJ02' }
  }

  text(file: string, f: Feature, prop: string, id = '', required = true): string {
    const v = f.props[prop]
    if (v === undefined || v === null || String(v).trim() === '') {
      if (required)
        this.problems.push(problemAt({ file }, 'missing_value', `缺少属性“${prop}”`, `missing property "${prop}"`, { row: f.row, column: prop, id }))
      return ''
    }
    return String(v).trim()
  }

  num(file: string, f: Feature, prop: string, id: string): number {
    const v = f.props[prop]
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0)
      return v
    this.problems.push(problemAt({ file }, v === undefined ? 'missing_value' : 'bad_value', `属性“${prop}”须为非负数`, `property "${prop}" must be a non-negative number`, { row: f.row, column: prop, id }))
    return 0
  }

  polygon(file: string, f: Feature, id: string, gcj: boolean): PolygonRings {
    const g = f.geometry
    const rings = g?.coordinates
    if (g?.type !== 'Polygon' || !Array.isArray(rings) || !rings.every(r => Array.isArray(r) && r.every(isPos))) {
      this.problems.push(problemAt({ file }, 'bad_geometry', '几何须为 Polygon（经纬度坐标数组）', 'geometry must be a Polygon of [lon, lat] positions', { row: f.row, column: 'geometry', id }))
      return []
    }
    const out = (rings as number[][][]).map(r => r.map(p => [p[0]!, p[1]!]))
    if (!out.every(r => r.every(onGlobe))) {
      this.problems.push(problemAt({ file }, 'bad_geometry', ...OFF_GLOBE, { row: f.row, column: 'geometry', id }))
      return []
    }
    return gcj ? out.map(r => r.map(([lon, lat]) => toPos(fromGcj02({ lon: lon!, lat: lat! })))) : out
  }

  point(file: string, f: Feature, id: string, gcj: boolean): LngLat {
    const c = f.geometry?.coordinates
    if (f.geometry?.type !== 'Point' || !isPos(c)) {
      this.problems.push(problemAt({ file }, 'bad_geometry', '几何须为 Point', 'geometry must be a Point', { row: f.row, column: 'geometry', id }))
      return { lon: Number.NaN, lat: Number.NaN }
    }
    if (!onGlobe(c))
      this.problems.push(problemAt({ file }, 'bad_geometry', ...OFF_GLOBE, { row: f.row, column: 'geometry', id }))
    return gcj ? fromGcj02({ lon: c[0]!, lat: c[1]! }) : { lon: c[0]!, lat: c[1]! }
  }

  /** The `center` property, else the polygon's centroid. */
  center(file: string, f: Feature, id: string, polygon: PolygonRings, gcj: boolean): LngLat {
    const c = f.props.center
    if (c === undefined || c === null)
      return centroid(polygon)
    if (!isPos(c)) {
      this.problems.push(problemAt({ file }, 'bad_value', '属性“center”须为 [经度, 纬度]', 'property "center" must be [lon, lat]', { row: f.row, column: 'center', id }))
      return centroid(polygon)
    }
    return gcj ? fromGcj02({ lon: c[0]!, lat: c[1]! }) : { lon: c[0]!, lat: c[1]! }
  }

  record(section: string, id: string, file: string, f: Feature): void {
    this.origins.records.set(originKey(section, id), { file, row: f.row })
  }
}

export interface GeoParts { communities: Community[], grids: Grid[], depots: Depot[], stations: GridStation[], riskPoints: RiskPoint[], shelters: Shelter[] }
