import type { FeatureCollection } from 'geojson'
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { onScopeDispose, watch } from 'vue'
import { projectCollection } from '../../shared/territory/crs.ts'
import { mapDisplay } from './basemap.ts'

/** How soon a source still tiling its previous data is asked again. */
const SETTLE_RETRY_MS = 50

export interface UseGeoJsonSourceOptions {
  /** Minimum time between two `setData` calls, in ms: bursts of changes coalesce. Default 500. */
  minInterval?: number
  /**
   * A cheap signal that the data changed (a version counter). When given, the source follows it and calls `data()`
   * only when it sends, at most once per `minInterval`, instead of on every change: for big collections.
   */
  changed?: () => unknown
}

/**
 * Keeps a GeoJSON source of a long-lived map in step with `data`, calling `setData` at most once
 * per `minInterval`. Layers are never removed or re-added.
 */
export function useGeoJsonSource(
  map: ShallowRef<MapLibre | null>,
  loaded: ShallowRef<boolean>,
  sourceId: string,
  data: () => FeatureCollection | null,
  options: UseGeoJsonSourceOptions = {},
) {
  const minInterval = options.minInterval ?? 500
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest: FeatureCollection | null = null
  const display = mapDisplay(map)

  const lazy = options.changed
  function flush(): void {
    timer = undefined
    const m = map.value
    const source = m?.getSource<GeoJSONSource>(sourceId)
    if (!m || !source)
      return
    // Data sent while the source is still tiling the previous data can be lost: a clustered source sent 300
    // points and then, 0.7 s later, none (the duplicates had been paired) kept drawing the 300 as clusters. The
    // next data waits until the source has settled.
    if (!m.isSourceLoaded(sourceId)) {
      timer = setTimeout(flush, SETTLE_RETRY_MS)
      return
    }
    const fc = lazy ? data() : latest
    if (!fc)
      return
    last = Date.now()
    const { shifted, toDisplay } = display.value
    source.setData(shifted ? projectCollection(fc, toDisplay) : fc)
  }

  function schedule(): void {
    if (timer !== undefined || !loaded.value)
      return
    timer = setTimeout(flush, Math.max(0, last + minInterval - Date.now()))
  }

  // A basemap in another datum redraws the source shifted onto it.
  if (lazy) {
    watch([lazy, loaded, display], schedule, { immediate: true })
  }
  else {
    watch([data, loaded, display], ([fc]) => {
      latest = fc
      schedule()
    }, { immediate: true })
  }
  onScopeDispose(() => clearTimeout(timer))
  return {
    /** Sends the current data again (after a WebGL context loss). */
    reset(): void {
      if (!lazy)
        latest = data()
      schedule()
    },
  }
}
