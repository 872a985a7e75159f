import type { Feature, FeatureCollection, Point } from 'geojson'
import type { RiskPoint } from '../../shared/territory/types.ts'
import type { Task, Warning } from '../../shared/wartime/schema.ts'
import type { Area } from '../territory/store.ts'
import type { Coverage } from './logic.ts'
import { labelPoint } from '../map/features.ts'
import { coverageByGrid, isAcknowledged, isLive } from './logic.ts'

// What the wartime layers draw, as plain GeoJSON built from the stores. Properties carry ids and states only;
// names stay in the stores and reach the screen as text.

export type ResponderStatus = 'waiting' | 'late' | 'escalated' | 'acknowledged' | 'on_scene' | 'done'
type Grids = Area<{ id: string }>
const EMPTY = { type: 'FeatureCollection', features: [] } as const
const empty = <G extends Point | Area<unknown>['features'][number]['geometry'], P>(): FeatureCollection<G, P> => ({ ...EMPTY, features: [] })

export function responderStatus(t: Task, now: number): ResponderStatus {
  if (t.state === 'done' || t.state === 'on_scene')
    return t.state
  if (isAcknowledged(t))
    return 'acknowledged'
  if (t.escalatedTo.length > 0)
    return 'escalated'
  return Date.parse(t.ackDeadline) < now ? 'late' : 'waiting'
}

/** Golden-angle spiral: the responders of one grid sit around its centre, apart, however many there are. */
const GOLDEN = Math.PI * (3 - Math.sqrt(5))
function around([lon, lat]: [number, number], i: number, step = 0.00045): [number, number] {
  const r = step * Math.sqrt(i)
  return [lon + r * Math.cos(i * GOLDEN) / Math.cos(lat * Math.PI / 180), lat + r * Math.sin(i * GOLDEN)]
}

/** One point per live task at its grid's centre (spread around it), coloured by the task's state. */
export function responderFeatures(tasks: Iterable<Task>, grids: Grids | null, now: number): FeatureCollection<Point, { id: string, status: ResponderStatus }> {
  if (!grids)
    return empty()
  const centres = new Map<string, [number, number] | null>()
  for (const f of grids.features) centres.set(f.properties.id, labelPoint(f))
  const perGrid = new Map<string, number>()
  const features: Feature<Point, { id: string, status: ResponderStatus }>[] = []
  for (const t of tasks) {
    const centre = t.gridId === null ? null : centres.get(t.gridId)
    if (!centre || !isLive(t))
      continue
    const i = perGrid.get(t.gridId!) ?? 0
    perGrid.set(t.gridId!, i + 1)
    features.push({ type: 'Feature', id: t.id, geometry: { type: 'Point', coordinates: around(centre, i) }, properties: { id: t.id, status: responderStatus(t, now) } })
  }
  return { type: 'FeatureCollection', features }
}

/** Risk points by coverage: covered once someone is on scene in their grid, pending while tasks there are open. */
export function riskFeatures(points: readonly RiskPoint[], tasks: Iterable<Task>): FeatureCollection<Point, { id: string, coverage: Coverage }> {
  const byGrid = coverageByGrid(tasks)
  return {
    type: 'FeatureCollection',
    features: points.map(p => ({
      type: 'Feature' as const,
      id: p.id,
      geometry: { type: 'Point' as const, coordinates: [p.location.lon, p.location.lat] },
      properties: { id: p.id, coverage: byGrid.get(p.gridId) ?? 'none' },
    })),
  }
}

export function riskCoverage(points: readonly RiskPoint[], tasks: Iterable<Task>): { covered: number, total: number } {
  const byGrid = coverageByGrid(tasks)
  const inPlan = points.filter(p => byGrid.has(p.gridId))
  return { covered: inPlan.filter(p => byGrid.get(p.gridId) === 'covered').length, total: inPlan.length }
}

export type GridTone = 'warning' | Coverage

/** Peacetime: the proposing warning's grids. Wartime: the grids with tasks, by coverage. */
export function gridHighlight(grids: Grids | null, warning: Warning | null, tasks: Iterable<Task> | null): Area<{ id: string, tone: GridTone }> {
  if (!grids)
    return empty()
  const tone = new Map<string, GridTone>()
  if (tasks) {
    for (const [id, c] of coverageByGrid(tasks)) tone.set(id, c)
  }
  else if (warning) {
    for (const id of warning.affectedGridIds) tone.set(id, 'warning')
  }
  return {
    type: 'FeatureCollection',
    features: grids.features.flatMap(f => tone.has(f.properties.id)
      ? [{ type: 'Feature' as const, id: f.properties.id, geometry: f.geometry, properties: { id: f.properties.id, tone: tone.get(f.properties.id)! } }]
      : []),
  }
}
