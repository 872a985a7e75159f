import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson'
import { readFileSync } from 'node:fs'

// Offline context layers copied from shared/geo (see ./geo/README.md); read relative to this module so the
// server does not depend on where the repository sits.

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./geo/${file}`, import.meta.url), 'utf8')) as T
}

let district: FeatureCollection<Polygon | MultiPolygon> | undefined
let rivers: FeatureCollection<LineString | MultiLineString> | undefined

/** 江北区 outline (echarts 4.9.0 map data, ~100 m quantisation). */
export function jiangbeiDistrict(): FeatureCollection<Polygon | MultiPolygon> {
  return district ??= load<FeatureCollection<Polygon | MultiPolygon>>('jiangbei-district.echarts4.geojson')
}

/** Yangtze and Jialing centrelines (GSHHG/WDBII), clipped to urban Chongqing. */
export function chongqingRivers(): FeatureCollection<LineString | MultiLineString> {
  return rivers ??= load<FeatureCollection<LineString | MultiLineString>>('rivers-chongqing-urban.gshhg.geojson')
}

/** The Yangtze centreline as [lon, lat] pairs. */
export function yangtzeLine(): number[][] {
  const feature = chongqingRivers().features.find(f => String(f.properties?.name ?? '').startsWith('长江'))
  if (!feature || feature.geometry.type !== 'LineString')
    throw new Error('Yangtze centreline missing from rivers-chongqing-urban.gshhg.geojson')
  return feature.geometry.coordinates
}
