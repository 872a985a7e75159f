import type { MapOptions } from 'maplibre-gl'
import type { InjectionKey, Ref, ShallowRef } from 'vue'
import type { BasemapSetting } from '../../shared/territory/basemap.ts'
import { AttributionControl, Map as MapLibre, prewarm, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { inject, markRaw, onMounted, onScopeDispose, shallowRef, watch } from 'vue'
import { useBasemapLayer } from './basemap.ts'
import { wallStyle } from './style.ts'
// With the map, not in the entry: a phone that never opens its map never waits for MapLibre's stylesheet.
import 'maplibre-gl/dist/maplibre-gl.css'

// Under Vite the worker must be pointed at explicitly or the map fails with "Worker failed to load".
setWorkerUrl(workerUrl)

/** Where the map was looking, kept for a reload (quiet hours, context loss) to come back to the same view. */
const VIEW_KEY = 'onescreen.view'
/** A lost WebGL context not restored within this long is recovered by a reload to the same view. */
const RESTORE_TIMEOUT_MS = 15_000

/** Adds a feature's own sources and layers to a map; runs in the map's scope, so its watchers end with it. */
export type MapExtension = (map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>) => void
/** A page provides extensions for the maps inside it (the wall: wartime layers), without the map knowing them. */
export const MAP_EXTENSIONS: InjectionKey<readonly MapExtension[]> = Symbol('map-extensions')

export interface SavedView { center: [number, number], zoom: number }

export function savedView(): SavedView | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(VIEW_KEY) ?? 'null') as SavedView | null
    return v && Array.isArray(v.center) && typeof v.zoom === 'number' ? v : null
  }
  catch {
    return null
  }
}

export interface UseMapOptions {
  /** Initial centre [lon, lat]. Default: Cuntan. */
  center?: [number, number]
  /** Initial zoom. Default 12. */
  zoom?: number
  /** Panel scale: marks on the map grow with it. Default 1. */
  scale?: number
  /** Called when the WebGL context comes back: feature state and data must be sent again. */
  onRestored?: () => void
  /** The basemap to draw. Default: the saved setting, followed live (the admin's preview passes its draft). */
  basemap?: () => BasemapSetting
  /**
   * Holds the style back until this is true (the data the first drawing shows has arrived), or `maxMs` at most.
   * Default: the style at once. MapLibre paints a frame at each step of loading a style, and a wall painting WebGL
   * in software pays a few hundred ms for each: an empty style drawn while the geography is on its way costs
   * three or four frames before the first that shows anything (#18).
   */
  holdStyle?: { until: () => boolean, maxMs: number }
  /**
   * Draws at this pixel ratio (below the screen's) until `sharpen()` is called. Default: the screen's from the
   * start. A 1920×1080 wall painting WebGL in software spends most of each loading frame filling pixels; at 0.5 a
   * frame fills a quarter of them, and the sharp drawing follows once the wall is live (#18).
   */
  draftPixelRatio?: number
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
  /** True while the WebGL context is lost. */
  const contextLost = shallowRef(false)
  let restoreTimer: ReturnType<typeof setTimeout> | undefined

  const style = wallStyle(options.scale ?? 1)
  const hold = options.holdStyle
  let holdTimer: ReturnType<typeof setTimeout> | undefined
  let styled = !hold
  if (hold) {
    const styleNow = () => {
      if (styled || !map.value)
        return
      styled = true
      clearTimeout(holdTimer)
      map.value.setStyle(style)
    }
    watch([map, hold.until], ([, ready]) => {
      if (ready)
        styleNow()
    })
    onMounted(() => {
      holdTimer = setTimeout(styleNow, hold.maxMs)
    })
  }

  onMounted(() => {
    if (!container.value)
      return
    const view = savedView()
    if (hold)
      prewarm() // the worker starts while the style waits
    const instance = markRaw(new MapLibre({
      container: container.value,
      // A map without a style paints nothing.
      ...(hold ? {} : { style }),
      center: view?.center ?? options.center ?? [106.6, 29.6],
      zoom: view?.zoom ?? options.zoom ?? 12,
      minZoom: 8,
      maxZoom: 18,
      attributionControl: false,
      ...(options.draftPixelRatio ? { pixelRatio: Math.min(options.draftPixelRatio, devicePixelRatio) } : {}),
      ...options.map,
    }))
    instance.addControl(new AttributionControl({
      compact: true,
      customAttribution: 'Outline: ECharts 4 map data (Apache-2.0), GSHHG rivers (LGPL-3.0)',
    }))
    // Sources and layers can be added and filled from here on: all at once, before the style's first frame.
    instance.once('style.load', () => {
      loaded.value = true
    })
    instance.on('moveend', () => {
      const c = instance.getCenter()
      sessionStorage.setItem(VIEW_KEY, JSON.stringify({ center: [c.lng, c.lat], zoom: instance.getZoom() } satisfies SavedView))
    })
    // A GPU reset or driver hiccup drops the context; MapLibre rebuilds on restore, we resend our state.
    // If it never comes back, a reload (to the same view) is the recovery.
    instance.on('webglcontextlost', () => {
      contextLost.value = true
      console.warn('[map] WebGL context lost')
      restoreTimer = setTimeout(() => location.reload(), RESTORE_TIMEOUT_MS)
    })
    instance.on('webglcontextrestored', () => {
      clearTimeout(restoreTimer)
      contextLost.value = false
      options.onRestored?.()
    })
    map.value = instance
  })

  useBasemapLayer(map, loaded, options.basemap)
  for (const extend of inject(MAP_EXTENSIONS, []))
    extend(map, loaded)

  onScopeDispose(() => {
    clearTimeout(restoreTimer)
    clearTimeout(holdTimer)
    map.value?.remove()
    map.value = null
    loaded.value = false
  })

  /**
   * From the draft pixel ratio to the screen's: one frame redrawn sharp. The override is dropped (MapLibre takes
   * null for that, though its type says number), so the map follows the screen's ratio again, e.g. a browser zoom.
   */
  function sharpen(): void {
    if (options.draftPixelRatio && map.value && map.value.getPixelRatio() !== devicePixelRatio)
      map.value.setPixelRatio(null as unknown as number)
  }

  return { map, loaded, contextLost, hadSavedView: savedView() !== null, sharpen }
}
