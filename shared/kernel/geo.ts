import type { MultiPolygon, Polygon } from 'geojson'
import turfBbox from '@turf/bbox'
import turfDistance from '@turf/distance'

// Geometry on lon/lat, through turf where turf does the job. Planar is fine at subdistrict scale (a few km).

export interface LngLat { lon: number, lat: number }

/** GeoJSON polygon ring(s): [[lon, lat], ...], first ring outer, closed. */
export type PolygonRings = number[][][]

export interface BBox { minX: number, minY: number, maxX: number, maxY: number }

const polygon = (rings: PolygonRings): Polygon => ({ type: 'Polygon', coordinates: rings })

/** The bounding box of every vertex (RBush's shape). */
export function bboxOf(rings: PolygonRings): BBox {
  const [minX, minY, maxX, maxY] = turfBbox(polygon(rings))
  return { minX, minY, maxX, maxY }
}

/** The bounding box of any GeoJSON, as MapLibre's fitBounds takes it; null when it has no coordinates. */
export function boundsOf(geojson: Parameters<typeof turfBbox>[0] | { type: 'FeatureCollection', features: { type: 'Feature', geometry: Polygon | MultiPolygon }[] }): [[number, number], [number, number]] | null {
  const [w, s, e, n] = turfBbox(geojson as Parameters<typeof turfBbox>[0])
  return Number.isFinite(w) ? [[w, s], [e, n]] : null
}

/** Great-circle (haversine) distance in metres. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  return turfDistance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' })
}
