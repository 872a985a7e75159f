import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { watch } from 'vue'
import { debugHooks } from '../modules/debug.ts'

/** Points the read-only debug hooks (browser tests, DevTools) at the wall's map. */
export function useMapDebugHooks(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, incidentAt: (id: string) => [number, number] | null): void {
  const project = (at: [number, number] | null) => {
    const p = at && map.value?.project(at)
    return p ? { x: p.x, y: p.y } : null
  }
  watch(map, m => m?.on('render', () => debugHooks.mapFrames++), { immediate: true })
  debugHooks.renderedFeatureCount = layer => map.value && loaded.value ? map.value.queryRenderedFeatures({ layers: [layer] }).length : -1
  debugHooks.mapIdle = () => !!map.value && loaded.value && map.value.loaded() && !map.value.isMoving()
  debugHooks.incidentPoint = id => project(incidentAt(id))
  debugHooks.project = (lon, lat) => project([lon, lat])
  debugHooks.loseMapContext = () => {
    const gl = map.value?.getCanvas().getContext('webgl2')
    const ext = gl?.getExtension('WEBGL_lose_context')
    if (!ext)
      return false
    ext.loseContext()
    setTimeout(() => ext.restoreContext(), 300)
    return true
  }
}
