import type { Feature, FeatureCollection, Point } from 'geojson'
import type { DuplicateRules } from '../../shared/incident/duplicates.ts'
import type { Incident } from '../../shared/incident/schema.ts'
import { duplicateClusters } from '../../shared/incident/clusters.ts'

// The wall draws each cluster of open possible duplicates as one marker ("积水内涝 ×5"). MapLibre's own clustering
// groups by distance on screen, whatever the category; this groups by the duplicate rules, before MapLibre sees it.

export interface WallCluster {
  /** `dup:` + the oldest member's id: stable while the cluster lasts. */
  id: string
  /** Oldest first: the first is the natural master. */
  members: Incident[]
  at: [number, number]
  /** "积水内涝 ×5" */
  label: string
  /** The oldest member's grid (or community) name, for the popup. */
  place: string
  severity: number
  overdue: boolean
}

/** A category's name in the wall's language; `was`, the name the incident carries, when the catalog lacks it. */
export type CategoryName = (code: string, was?: string) => string

export interface ClusterProps { id: string, count: number, severity: number, overdue: boolean }

/** Clusters of open duplicates and the ids they hold (drawn by the cluster, not on their own). */
export function wallClusters(rules: DuplicateRules, incidents: Iterable<Incident>, now: number, nameOf: CategoryName): { clusters: WallCluster[], clustered: Set<string> } {
  const clustered = new Set<string>()
  const clusters = duplicateClusters(rules, incidents).map((members): WallCluster => {
    for (const m of members) clustered.add(m.id)
    return wallCluster(members, now, nameOf)
  })
  return { clusters, clustered }
}

/** One cluster of open duplicates (oldest first) as the wall draws it at `now`. */
export function wallCluster(members: Incident[], now: number, nameOf: CategoryName): WallCluster {
  const first = members[0]!
  const lon = members.reduce((s, m) => s + m.location.lon, 0) / members.length
  const lat = members.reduce((s, m) => s + m.location.lat, 0) / members.length
  return {
    id: `dup:${first.id}`,
    members,
    at: [lon, lat],
    // The catalog's name first: the stored label is Chinese, and the wall may be in English.
    label: `${nameOf(first.category, first.labels?.category)} ×${members.length}`,
    place: first.labels?.grid ?? first.labels?.community ?? first.address,
    severity: Math.min(...members.map(m => m.severity)),
    overdue: members.some(m => m.stageDeadline !== null && Date.parse(m.stageDeadline) < now),
  }
}

/** One point per cluster, with its count (the label is a DOM marker: the map's font holds digits only). */
export function clusterFeatures(clusters: WallCluster[]): FeatureCollection<Point, ClusterProps> {
  const features = clusters.map((c): Feature<Point, ClusterProps> => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: c.at },
    properties: { id: c.id, count: c.members.length, severity: c.severity, overdue: c.overdue },
  }))
  return { type: 'FeatureCollection', features }
}
