import type { LayerSpecification, Map as MapLibre, SourceSpecification } from 'maplibre-gl'
import type { ComputedRef, ShallowRef } from 'vue'
import type { BasemapSetting } from '../../shared/territory/basemap.ts'
import { computed, watch } from 'vue'
import { xyzTemplate } from '../../shared/territory/basemap.ts'
import { displayOf, useBasemapStore } from '../territory/basemap-store.ts'
import { LAYER } from './style.ts'

// The admin's basemap (an offline package served by OneScreen, or a tile service on the hall's network) drawn
// under the territory and above the bundled outline, which stays as the fallback where tiles are missing.

export type Display = ReturnType<typeof displayOf>
const SOURCE = 'basemap'
const PREFIX = 'basemap-'

/**
 * The tile URL MapLibre fetches: our own tiles carry the setting's version, so a new package is new URLs; the
 * admin's preview names the package it shows before it is saved.
 */
export function tileUrl(s: BasemapSetting, preview = false): string {
  if (s.kind === 'pmtiles' || s.kind === 'mbtiles')
    return `${location.origin}/api/tiles/{z}/{x}/{y}?${preview ? `file=${encodeURIComponent(s.source)}` : `v=${s.version}`}`
  return xyzTemplate(s.source)
}

/** A readable dark style for an OpenMapTiles-schema vector package, without labels (no glyph server offline). */
function vectorLayers(): LayerSpecification[] {
  const v = { source: SOURCE } as const
  const line = (id: string, classes: string[], color: string, width: number): LayerSpecification => ({
    'id': `${PREFIX}${id}`,
    'type': 'line',
    ...v,
    'source-layer': 'transportation',
    'filter': ['in', ['get', 'class'], ['literal', classes]],
    'layout': { 'line-cap': 'round', 'line-join': 'round' },
    'paint': { 'line-color': color, 'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 10, width / 3, 16, width * 3] },
  })
  return [
    { 'id': `${PREFIX}land`, 'type': 'fill', ...v, 'source-layer': 'landuse', 'paint': { 'fill-color': '#111d33' } },
    { 'id': `${PREFIX}park`, 'type': 'fill', ...v, 'source-layer': 'park', 'paint': { 'fill-color': '#10291f' } },
    { 'id': `${PREFIX}cover`, 'type': 'fill', ...v, 'source-layer': 'landcover', 'paint': { 'fill-color': '#0f2620', 'fill-opacity': 0.7 } },
    { 'id': `${PREFIX}water`, 'type': 'fill', ...v, 'source-layer': 'water', 'paint': { 'fill-color': '#0d3357' } },
    { 'id': `${PREFIX}waterway`, 'type': 'line', ...v, 'source-layer': 'waterway', 'paint': { 'line-color': '#0d3357', 'line-width': 1.5 } },
    { 'id': `${PREFIX}building`, 'type': 'fill', ...v, 'source-layer': 'building', 'minzoom': 14, 'paint': { 'fill-color': '#1a2742', 'fill-outline-color': '#24355a' } },
    line('minor', ['minor', 'service', 'track', 'path'], '#1f2d4a', 1),
    line('major', ['primary', 'secondary', 'tertiary'], '#34507a', 1.6),
    line('motorway', ['motorway', 'trunk'], '#52709e', 2.2),
  ]
}

/** The source and layers of a setting; none for the bundled outline. */
export function basemapStyle(s: BasemapSetting, preview = false): { source: SourceSpecification, layers: LayerSpecification[] } | null {
  if (s.kind === 'bundled' || s.source === '')
    return null
  const common = { tiles: [tileUrl(s, preview)], minzoom: s.minZoom, maxzoom: s.maxZoom, attribution: s.attribution || undefined }
  if (s.tileType === 'vector')
    return { source: { type: 'vector', ...common }, layers: vectorLayers() }
  return {
    source: { type: 'raster', tileSize: 256, ...common },
    layers: [{ id: `${PREFIX}raster`, type: 'raster', source: SOURCE, paint: { 'raster-opacity': 0.9, 'raster-fade-duration': 0 } }],
  }
}

/** Replaces the basemap of a loaded map: a rare admin action, so its layers are removed and added anew. */
export function applyBasemap(m: MapLibre, s: BasemapSetting, preview = false): void {
  for (const layer of m.getStyle().layers) {
    if (layer.id.startsWith(PREFIX))
      m.removeLayer(layer.id)
  }
  if (m.getSource(SOURCE))
    m.removeSource(SOURCE)
  const style = basemapStyle(s, preview)
  if (!style)
    return
  m.addSource(SOURCE, style.source)
  const before = m.getLayer(LAYER.gridsFill) ? LAYER.gridsFill : undefined
  for (const layer of style.layers) m.addLayer(layer, before)
}

const displays = new WeakMap<ShallowRef<MapLibre | null>, ComputedRef<Display>>()

/** How a map draws our WGS84 data: the basemap it shows decides (GCJ-02 tiles shift everything onto them). */
export function mapDisplay(map: ShallowRef<MapLibre | null>): ComputedRef<Display> {
  const known = displays.get(map)
  if (known)
    return known
  const store = useBasemapStore()
  return computed(() => store.display)
}

/**
 * Keeps a map's basemap in step with `setting` (the saved one by default, or the admin's unsaved draft)
 * and registers how the map's sources are to be drawn.
 */
export function useBasemapLayer(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, setting?: () => BasemapSetting): void {
  const store = useBasemapStore()
  const current = setting ?? (() => store.setting)
  if (!setting)
    void store.load().catch((err: unknown) => console.warn('[map] basemap setting not available', err))
  // The same object while the datum stays: the saved setting arriving (bundled → bundled) must not send every
  // source to the map a second time.
  displays.set(map, computed((before?: Display) => {
    const now = displayOf(current())
    return before?.shifted === now.shifted ? before : now
  }))
  watch([current, loaded], ([s, ready]) => {
    if (ready && map.value)
      applyBasemap(map.value, s, setting !== undefined)
  }, { immediate: true })
}
