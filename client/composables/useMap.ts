import type { MapOptions } from 'maplibre-gl'
import type { Ref } from 'vue'
import { AttributionControl, Map as MapLibre, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { markRaw, onMounted, onScopeDispose, shallowRef } from 'vue'
import { wallStyle } from '../map/style.ts'

// Under Vite the worker must be pointed at explicitly or the map fails with "Worker failed to load".
setWorkerUrl(workerUrl)

export interface UseMapOptions {
  /** Initial centre [lon, lat]. Default: Cuntan. */
  center?: [number, number]
  /** Initial zoom. Default 12. */
  zoom?: number
  /** Extra MapLibre options. */
  map?: Partial<MapOptions>
}

/**
 * One long-lived MapLibre map in `container`, created on mount and removed with the scope.
 * `loaded` turns true once the style is ready for sources to be filled.
 */
export function useMap(container: Ref<HTMLElement | null>, options: UseMapOptions = {}) {
  const map = shallowRef<MapLibre | null>(null)
  const loaded = shallowRef(false)

  onMounted(() => {
    if (!container.value)
      return
    const instance = markRaw(new MapLibre({
      container: container.value,
      style: wallStyle(),
      center: options.center ?? [106.6, 29.6],
      zoom: options.zoom ?? 12,
      minZoom: 8,
      maxZoom: 18,
      attributionControl: false,
      ...options.map,
    }))
    instance.addControl(new AttributionControl({
      compact: true,
      customAttribution: 'Basemap: ECharts 4 map data (Apache-2.0), GSHHG rivers (LGPL-3.0) · Grids: demo data',
    }))
    instance.once('load', () => {
      loaded.value = true
    })
    map.value = instance
  })

  onScopeDispose(() => {
    map.value?.remove()
    map.value = null
    loaded.value = false
  })

  return { map, loaded }
}
