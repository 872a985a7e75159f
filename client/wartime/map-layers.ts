import type { LayerSpecification, Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import type { MapExtension } from '../map/useMap.ts'
import { shallowRef, watch } from 'vue'
import { bounds } from '../map/features.ts'
import { useGeoJsonSource } from '../map/useGeoJsonSource.ts'
import { useReferenceStore } from '../territory/reference-store.ts'
import { useTerritoryStore } from '../territory/store.ts'
import { stageLayout } from '../ui/stage.ts'
import { useClock } from '../ui/useClock.ts'
import { gridHighlight, responderFeatures, riskFeatures } from './map-features.ts'
import { useWartimeStore } from './store.ts'

// The wartime layers of the wall map: the proposing warning's grids in peacetime; in wartime the task grids
// by coverage, risk points covered/pending and each responder at their grid, coloured by task state. Sources
// and layers are added once; empty data hides them; data is sent at most once a second.

export const WARTIME_COLORS = {
  warning: '#f97316',
  covered: '#22c55e',
  pending: '#ef4444',
  none: '#64748b',
  waiting: '#fbbf24',
  late: '#f97316',
  escalated: '#ef4444',
  acknowledged: '#60a5fa',
  on_scene: '#22c55e',
  done: '#94a3b8',
} as const

export const WARTIME_LAYERS = ['wartime-grids-fill', 'wartime-grids-line', 'wartime-risk', 'wartime-responders'] as const
const EMPTY = { type: 'FeatureCollection' as const, features: [] }

function layers(s: number): LayerSpecification[] {
  const c = WARTIME_COLORS
  return [
    { id: 'wartime-grids-fill', type: 'fill', source: 'wartime-grids', paint: { 'fill-color': ['match', ['get', 'tone'], 'covered', c.covered, 'pending', c.pending, c.warning], 'fill-opacity': 0.28 } },
    { id: 'wartime-grids-line', type: 'line', source: 'wartime-grids', paint: { 'line-color': ['match', ['get', 'tone'], 'covered', c.covered, 'pending', c.pending, c.warning], 'line-width': 2.5 * s } },
    {
      id: 'wartime-risk',
      type: 'circle',
      source: 'wartime-risk',
      paint: {
        'circle-color': '#0b1326',
        'circle-radius': 7 * s,
        'circle-stroke-color': ['match', ['get', 'coverage'], 'covered', c.covered, 'pending', c.pending, c.none],
        'circle-stroke-width': 4 * s,
      },
    },
    {
      id: 'wartime-responders',
      type: 'circle',
      source: 'wartime-responders',
      paint: {
        'circle-color': ['match', ['get', 'status'], 'waiting', c.waiting, 'late', c.late, 'escalated', c.escalated, 'acknowledged', c.acknowledged, 'on_scene', c.on_scene, c.done],
        'circle-radius': 5 * s,
        'circle-stroke-color': ['case', ['==', ['get', 'status'], 'escalated'], '#ffffff', '#0b1326'],
        'circle-stroke-width': ['case', ['==', ['get', 'status'], 'escalated'], 2.5 * s, 1 * s],
      },
    },
  ]
}

function install(m: MapLibre, s: number): void {
  for (const id of ['wartime-grids', 'wartime-risk', 'wartime-responders']) {
    if (!m.getSource(id))
      m.addSource(id, { type: 'geojson', data: EMPTY, promoteId: 'id' })
  }
  // Under the incidents, above the grid colouring: an incident stays clickable over a highlighted grid.
  const before = m.getLayer('incidents-cluster') ? 'incidents-cluster' : undefined
  for (const layer of layers(s)) {
    if (!m.getLayer(layer.id))
      m.addLayer(layer, layer.id.startsWith('wartime-grids') ? (m.getLayer('grids-line') ? 'grids-line' : before) : before)
  }
}

/** The map extension the wall provides to its map (see MAP_EXTENSIONS in useMap). */
export const wartimeLayers: MapExtension = (map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>) => {
  const wartime = useWartimeStore()
  const territory = useTerritoryStore()
  const reference = useReferenceStore()
  const now = useClock({ interval: 5000 })
  const scale = stageLayout(window.innerWidth, window.innerHeight).scale
  const ready = installedWhenLoaded(loaded, map, scale)
  const tasks = () => wartime.active ? wartime.opTasks : null
  const sources = [
    useGeoJsonSource(map, ready, 'wartime-grids', () => gridHighlight(territory.territory?.grids ?? null, wartime.active ? null : wartime.proposal, tasks()), { minInterval: 1000 }),
    useGeoJsonSource(map, ready, 'wartime-risk', () => wartime.active ? riskFeatures(reference.facilities?.riskPoints ?? [], wartime.opTasks) : EMPTY, { minInterval: 1000 }),
    useGeoJsonSource(map, ready, 'wartime-responders', () => wartime.active ? responderFeatures(wartime.opTasks, territory.territory?.grids ?? null, now.value) : EMPTY, { minInterval: 1000 }),
  ]
  watch(map, m => m?.on('webglcontextrestored', () => sources.forEach(s => s.reset())))
  frameForWartime(map, ready, scale)
}

/** Design-canvas pixels the emergency layout covers around the map: its columns, the command bar, the timeline. */
const WAR_PADDING = { top: 300, bottom: 360, left: 590, right: 590 }

/**
 * The emergency layout covers more of the map than the peacetime one: frame the subdistrict in the open middle
 * while wartime lasts, and give the wall its peacetime view back after. After the map's own first framing
 * (hence on the next idle), so a wall loaded in wartime ends up framed for it too.
 */
function frameForWartime(map: ShallowRef<MapLibre | null>, ready: ShallowRef<boolean>, scale: number): void {
  const wartime = useWartimeStore()
  const territory = useTerritoryStore()
  let before: { center: [number, number], zoom: number } | null = null
  watch([() => wartime.active, ready, () => territory.territory], ([active, ok, t]) => {
    const m = map.value
    if (!m || !ok || !t)
      return
    if (active && !before) {
      const c = m.getCenter()
      before = { center: [c.lng, c.lat], zoom: m.getZoom() }
      const b = bounds(t.grids)
      const pad = { top: WAR_PADDING.top * scale, bottom: WAR_PADDING.bottom * scale, left: WAR_PADDING.left * scale, right: WAR_PADDING.right * scale }
      if (b) {
        m.once('idle', () => m.fitBounds(b, { padding: pad, animate: false }))
        m.triggerRepaint()
      }
    }
    else if (!active && before) {
      m.jumpTo(before)
      before = null
    }
  }, { immediate: true })
}

/** `loaded` that turns true only after our sources and layers are on the map. */
function installedWhenLoaded(loaded: ShallowRef<boolean>, map: ShallowRef<MapLibre | null>, scale: number): ShallowRef<boolean> {
  const ready = shallowRef(false)
  watch(loaded, (ok) => {
    if (ok && map.value)
      install(map.value, scale)
    ready.value = ok
  }, { immediate: true })
  return ready
}
