import type { Feature, FeatureCollection, Point } from 'geojson'
import type { Incident } from '../../shared/incident/schema.ts'
import type { WorkerPosition } from '../../shared/sync/schema.ts'
import type { Facilities } from '../../shared/territory/types.ts'
import type { Area } from '../territory/store.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'
import { boundsOf } from '../../shared/kernel/geo.ts'

export type IncidentProps = Pick<Incident, 'id' | 'severity' | 'state' | 'category'> & { overdue: boolean }

const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] })
const overdueAt = (i: Incident, now: number) => i.stageDeadline !== null && Date.parse(i.stageDeadline) < now

/**
 * Open incidents as points (merged ones are finished, so never drawn); those in `skip` are drawn by their duplicate
 * cluster. Properties carry no incident text: popups read it from the store as text.
 */
export function incidentFeatures(incidents: Iterable<Incident>, now = Date.now(), skip?: ReadonlySet<string>): FeatureCollection<Point, IncidentProps> {
  const features: Feature<Point, IncidentProps>[] = []
  for (const i of incidents) {
    if (!isOpen(i) || skip?.has(i.id))
      continue
    features.push({
      type: 'Feature',
      geometry: point(i.location.lon, i.location.lat),
      properties: { id: i.id, severity: i.severity, state: i.state, category: i.category, overdue: overdueAt(i, now) },
    })
  }
  return { type: 'FeatureCollection', features }
}

/** Every report of the last `windowMs` (open or not), for the heatmap. */
export function heatFeatures(incidents: Iterable<Incident>, now: number, windowMs = 24 * 3600_000): FeatureCollection<Point> {
  const features: Feature<Point>[] = []
  for (const i of incidents) {
    if (now - Date.parse(i.reportedAt) <= windowMs)
      features.push({ type: 'Feature', geometry: point(i.location.lon, i.location.lat), properties: {} })
  }
  return { type: 'FeatureCollection', features }
}

export interface WorkerProps { id: string, kind: 'worker' | 'force' }

/** Live positions; N-force members (ids fm-*) are drawn apart from grid workers. */
export function workerFeatures(positions: Iterable<WorkerPosition>): Feature<Point, WorkerProps>[] {
  const features: Feature<Point, WorkerProps>[] = []
  for (const p of positions)
    features.push({ type: 'Feature', geometry: point(p.lon, p.lat), properties: { id: p.id, kind: p.id.startsWith('fm-') ? 'force' : 'worker' } })
  return features
}

export type FacilityKind = 'station' | 'riskPoint' | 'shelter' | 'depot'

/** Stations, risk points, shelters and depots as one collection, told apart by `kind`. */
export function facilityFeatures(f: Facilities): FeatureCollection<Point, { id: string, kind: FacilityKind, name: string }> {
  const rows: [FacilityKind, { id: string, name: string, location: { lon: number, lat: number } }[]][] = [
    ['station', f.stations],
    ['riskPoint', f.riskPoints],
    ['shelter', f.shelters],
    ['depot', f.depots],
  ]
  return {
    type: 'FeatureCollection',
    features: rows.flatMap(([kind, items]) => items.map(x => ({
      type: 'Feature' as const,
      geometry: point(x.location.lon, x.location.lat),
      properties: { id: x.id, kind, name: x.name },
    }))),
  }
}

/** Open and overdue incidents per owning grid. */
export function loadByGrid(incidents: Iterable<Incident>, now = Date.now()): Map<string, { open: number, overdue: number }> {
  const counts = new Map<string, { open: number, overdue: number }>()
  for (const i of incidents) {
    const grid = i.owner.gridId
    if (grid === null || !isOpen(i))
      continue
    const c = counts.get(grid) ?? { open: 0, overdue: 0 }
    c.open++
    if (overdueAt(i, now))
      c.overdue++
    counts.set(grid, c)
  }
  return counts
}

/** Bounding box [[west, south], [east, north]] of every vertex of an area collection. */
export const bounds = (area: Area<unknown>) => boundsOf(area)

/** Where to put an area's name: the centre of its bounding box, good enough for compact communities. */
export function labelPoint(feature: Area<unknown>['features'][number]): [number, number] | null {
  const b = bounds({ type: 'FeatureCollection', features: [feature] })
  return b && [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2]
}
