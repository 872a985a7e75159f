import type { DataDrivenPropertyValueSpecification, ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { LayerKey } from '../screens/wall/store.ts'
import digitsFont from '@fontsource/noto-sans-sc/files/noto-sans-sc-latin-700-normal.woff2?url'

// The offline wall style: every source is GeoJSON filled from our own server, no tiles, no glyph server, no
// sprites, so the map works on a closed network. Place names are HTML markers (useMapLabels); the only map
// text, cluster counts, is drawn from the bundled font's Latin subset through the style's `font-faces`.

export const SOURCES = ['district', 'rivers', 'communities', 'grids', 'heat', 'facilities', 'workers', 'incidents', 'duplicates'] as const
export type SourceId = typeof SOURCES[number]

export const LAYER = {
  gridsFill: 'grids-fill',
  incidents: 'incidents-circle',
  clusters: 'incidents-cluster',
  /** One marker per cluster of possible duplicates (client/map/duplicates.ts). */
  duplicates: 'duplicates-circle',
} as const

/** Severity 1 (most severe) red → 4 blue, as on the national incident scale. */
export const SEVERITY_COLORS: Record<1 | 2 | 3 | 4, string> = { 1: '#ef4444', 2: '#f97316', 3: '#facc15', 4: '#3b82f6' }
export const FACILITY_COLORS = { station: '#22d3ee', riskPoint: '#f43f5e', shelter: '#4ade80', depot: '#c084fc' } as const
export const WORKER_COLOR = '#2dd4bf'
export const FORCE_COLOR = '#fbbf24'
const FONT = 'Noto Sans SC Bold'

function severityOf(value: ExpressionSpecification): ExpressionSpecification {
  return ['match', value, 1, SEVERITY_COLORS[1], 2, SEVERITY_COLORS[2], 3, SEVERITY_COLORS[3], SEVERITY_COLORS[4]]
}

/** Grid colour by open incidents (feature-state `open`); a grid with overdue work gets a red outline. */
const gridLoad: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['coalesce', ['feature-state', 'open'], 0],
  0,
  '#173255',
  1,
  '#1f6f78',
  3,
  '#b7791f',
  6,
  '#c2410c',
  10,
  '#b91c1c',
]
const overdue: ExpressionSpecification = ['>', ['coalesce', ['feature-state', 'overdue'], 0], 0]

/** Which style layers each legend toggle shows and hides. */
export const TOGGLED_LAYERS: Record<LayerKey, string[]> = {
  communities: ['communities-line'],
  grids: [LAYER.gridsFill, 'grids-line', 'grids-overdue'],
  incidents: [LAYER.clusters, 'incidents-cluster-count', LAYER.incidents, 'duplicates-halo', LAYER.duplicates, 'duplicates-count'],
  heatmap: ['heat'],
  workers: ['workers-circle'],
  stations: ['facility-station'],
  riskPoints: ['facility-riskPoint'],
  shelters: ['facility-shelter'],
  depots: ['facility-depot'],
}

function facilityLayer(kind: keyof typeof FACILITY_COLORS, s: number): LayerSpecification {
  const square = kind === 'depot' || kind === 'shelter'
  return {
    id: `facility-${kind}`,
    type: 'circle',
    source: 'facilities',
    filter: ['==', ['get', 'kind'], kind],
    paint: {
      'circle-color': square ? '#0b1326' : FACILITY_COLORS[kind],
      'circle-radius': (square ? 6 : 4.5) * s,
      'circle-stroke-color': FACILITY_COLORS[kind],
      'circle-stroke-width': (square ? 3 : 1.5) * s,
    },
  }
}

/** The style for a wall whose panels are scaled by `s`: marks grow with the panels so they read from afar. */
export function wallStyle(s = 1): StyleSpecification {
  const sources = Object.fromEntries(SOURCES.map((id): [SourceId, GeoJSONSourceSpecification] => [id, {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    // Grids, workers and incidents are addressed by our own ids (feature-state, diffs).
    ...(id === 'grids' || id === 'workers' || id === 'incidents' || id === 'duplicates' ? { promoteId: 'id' } : {}),
    ...(id === 'incidents' ? { cluster: true, clusterRadius: 44, clusterMaxZoom: 14, clusterProperties: { sev: ['min', ['get', 'severity']] } } : {}),
  }]))
  const clusterRadius: DataDrivenPropertyValueSpecification<number> = ['interpolate', ['linear'], ['get', 'point_count'], 2, 13 * s, 20, 20 * s, 100, 28 * s]
  return {
    'version': 8,
    'name': 'onescreen-wall-offline',
    'font-faces': { [FONT]: [{ 'url': digitsFont, 'unicode-range': ['U+0020-007E'] }] },
    sources,
    'layers': [
      { id: 'background', type: 'background', paint: { 'background-color': '#070d1a' } },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': '#0f1b33' } },
      { id: 'district-line', type: 'line', source: 'district', paint: { 'line-color': '#35598f', 'line-width': 2 * s } },
      {
        id: 'rivers-line',
        type: 'line',
        source: 'rivers',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#1b4f86', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 3 * s, 14, 14 * s] },
      },
      { id: LAYER.gridsFill, type: 'fill', source: 'grids', paint: { 'fill-color': gridLoad, 'fill-opacity': 0.55 } },
      { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#4a6ea3', 'line-width': 1 * s, 'line-opacity': 0.8 } },
      { id: 'grids-overdue', type: 'line', source: 'grids', paint: { 'line-color': '#f87171', 'line-width': 2.5 * s, 'line-opacity': ['case', overdue, 0.95, 0] } },
      { id: 'communities-line', type: 'line', source: 'communities', paint: { 'line-color': '#8cc4ff', 'line-width': 2.5 * s, 'line-dasharray': [3, 2] } },
      {
        id: 'heat',
        type: 'heatmap',
        source: 'heat',
        layout: { visibility: 'none' },
        paint: {
          'heatmap-radius': 28 * s,
          'heatmap-intensity': 1.2,
          'heatmap-opacity': 0.75,
          'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.2, '#1d4ed8', 0.45, '#22d3ee', 0.7, '#facc15', 1, '#ef4444'],
        },
      },
      facilityLayer('station', s),
      facilityLayer('riskPoint', s),
      facilityLayer('shelter', s),
      facilityLayer('depot', s),
      {
        id: 'workers-circle',
        type: 'circle',
        source: 'workers',
        paint: {
          'circle-color': ['case', ['==', ['get', 'kind'], 'force'], FORCE_COLOR, WORKER_COLOR],
          'circle-radius': 3.5 * s,
          'circle-opacity': 0.9,
        },
      },
      {
        id: LAYER.clusters,
        type: 'circle',
        source: 'incidents',
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': severityOf(['get', 'sev']),
          'circle-opacity': 0.85,
          'circle-radius': clusterRadius,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2 * s,
        },
      },
      {
        id: 'incidents-cluster-count',
        type: 'symbol',
        source: 'incidents',
        filter: ['has', 'point_count'],
        layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-font': [FONT], 'text-size': 15 * s, 'text-allow-overlap': true },
        paint: { 'text-color': '#0b1326' },
      },
      {
        id: LAYER.incidents,
        type: 'circle',
        source: 'incidents',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': severityOf(['get', 'severity']),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 6 * s, 16, 12 * s],
          'circle-stroke-color': ['case', ['get', 'overdue'], '#ff2d2d', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'overdue'], 3 * s, 1.5 * s],
        },
      },
      // A cluster of possible duplicates: a ringed marker with its count; the name label is a DOM marker.
      {
        id: 'duplicates-halo',
        type: 'circle',
        source: 'duplicates',
        paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 20 * s, 'circle-stroke-color': severityOf(['get', 'severity']), 'circle-stroke-width': 2 * s, 'circle-stroke-opacity': 0.8 },
      },
      {
        id: LAYER.duplicates,
        type: 'circle',
        source: 'duplicates',
        paint: {
          'circle-color': severityOf(['get', 'severity']),
          'circle-radius': 14 * s,
          'circle-stroke-color': ['case', ['get', 'overdue'], '#ff2d2d', '#ffffff'],
          'circle-stroke-width': ['case', ['get', 'overdue'], 3 * s, 2 * s],
        },
      },
      {
        id: 'duplicates-count',
        type: 'symbol',
        source: 'duplicates',
        layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': [FONT], 'text-size': 16 * s, 'text-allow-overlap': true },
        paint: { 'text-color': '#0b1326' },
      },
    ],
  }
}
