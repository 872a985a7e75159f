import type { ExpressionSpecification, GeoJSONSourceSpecification, StyleSpecification } from 'maplibre-gl'

// The offline wall style: every source is GeoJSON filled from our own server, no tiles, no glyphs,
// no sprites, so the map works on a closed network. Place names are HTML markers (useMapLabels)
// because symbol layers would need a glyph server.

export const SOURCES = ['district', 'rivers', 'communities', 'grids', 'workers', 'incidents'] as const
export type SourceId = typeof SOURCES[number]

export const LAYER = {
  gridsFill: 'grids-fill',
  incidents: 'incidents-circle',
} as const

/** Colour of a grid by the number of open incidents it owns (feature-state `open`). */
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

/** Severity 1 (most severe) red → 4 blue, as on the national incident scale. */
export const SEVERITY_COLORS: Record<1 | 2 | 3 | 4, string> = { 1: '#ef4444', 2: '#f97316', 3: '#facc15', 4: '#3b82f6' }
const severityColor: ExpressionSpecification = [
  'match',
  ['get', 'severity'],
  1,
  SEVERITY_COLORS[1],
  2,
  SEVERITY_COLORS[2],
  3,
  SEVERITY_COLORS[3],
  SEVERITY_COLORS[4],
]

export function wallStyle(): StyleSpecification {
  const sources = Object.fromEntries(SOURCES.map((id): [SourceId, GeoJSONSourceSpecification] => [id, {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    // Grids and incidents are addressed by our own ids (feature-state, diffs).
    ...(id === 'grids' || id === 'incidents' ? { promoteId: 'id' } : {}),
  }]))
  return {
    version: 8,
    name: 'onescreen-wall-offline',
    sources,
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#070d1a' } },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': '#0f1b33' } },
      { id: 'district-line', type: 'line', source: 'district', paint: { 'line-color': '#35598f', 'line-width': 2 } },
      {
        id: 'rivers-line',
        type: 'line',
        source: 'rivers',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#1b4f86', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 3, 14, 14] },
      },
      { id: LAYER.gridsFill, type: 'fill', source: 'grids', paint: { 'fill-color': gridLoad, 'fill-opacity': 0.55 } },
      { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#4a6ea3', 'line-width': 1, 'line-opacity': 0.8 } },
      {
        id: 'communities-line',
        type: 'line',
        source: 'communities',
        paint: { 'line-color': '#8cc4ff', 'line-width': 2.5, 'line-dasharray': [3, 2] },
      },
      {
        id: 'workers-circle',
        type: 'circle',
        source: 'workers',
        paint: { 'circle-color': '#2dd4bf', 'circle-radius': 3.5, 'circle-opacity': 0.85 },
      },
      {
        id: LAYER.incidents,
        type: 'circle',
        source: 'incidents',
        paint: {
          'circle-color': severityColor,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 12],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
    ],
  }
}
