import type { Feature, FeatureCollection, Point, Position } from 'geojson'
import type { WorkerPosition } from '../../shared/schemas/changes.ts'
import type { Incident } from '../../shared/schemas/incident.ts'
import type { Area } from '../stores/territory.ts'
import { isOpen } from '../utils/incidents.ts'

export type IncidentProps = Pick<Incident, 'id' | 'severity' | 'state' | 'category'>

export function incidentFeatures(incidents: Iterable<Incident>): FeatureCollection<Point, IncidentProps> {
  const features: Feature<Point, IncidentProps>[] = []
  for (const i of incidents) {
    if (!isOpen(i))
      continue
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
      properties: { id: i.id, severity: i.severity, state: i.state, category: i.category },
    })
  }
  return { type: 'FeatureCollection', features }
}

export function workerFeatures(positions: Iterable<WorkerPosition>): FeatureCollection<Point, { id: string }> {
  const features: Feature<Point, { id: string }>[] = []
  for (const p of positions)
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id } })
  return { type: 'FeatureCollection', features }
}

/** Open incidents per owning grid. */
export function openCountByGrid(incidents: Iterable<Incident>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const i of incidents) {
    const grid = i.owner.gridId
    if (grid !== null && isOpen(i))
      counts.set(grid, (counts.get(grid) ?? 0) + 1)
  }
  return counts
}

/** Bounding box [[west, south], [east, north]] of every vertex of an area collection. */
export function bounds(area: Area<unknown>): [[number, number], [number, number]] | null {
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  for (const [lon, lat] of vertices(area)) {
    w = Math.min(w, lon!)
    e = Math.max(e, lon!)
    s = Math.min(s, lat!)
    n = Math.max(n, lat!)
  }
  return Number.isFinite(w) ? [[w, s], [e, n]] : null
}

function* vertices(area: Area<unknown>): Generator<Position> {
  for (const f of area.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    for (const polygon of polygons)
      yield* (polygon[0] ?? [])
  }
}

/** Where to put an area's name: the centre of its bounding box, good enough for compact communities. */
export function labelPoint(feature: Area<unknown>['features'][number]): [number, number] | null {
  const b = bounds({ type: 'FeatureCollection', features: [feature] })
  return b && [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2]
}
