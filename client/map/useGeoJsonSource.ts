import type { FeatureCollection } from 'geojson'
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { onScopeDispose, ReactiveEffect, watch } from 'vue'
import { projectCollection } from '../../shared/territory/crs.ts'
import { mapDisplay } from './basemap.ts'

export interface UseGeoJsonSourceOptions {
  /** Minimum time between two `setData` calls, in ms: bursts of changes coalesce. Default 500. */
  minInterval?: number
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
  let sent: { fc: FeatureCollection, display: unknown } | null = null
  const display = mapDisplay(map)
  // `data` runs when its result is sent, not on every change it depends on: a watch would rebuild the features
  // per change (on the wall, 50 a second over every open incident) to draw at most two of them a second (#18).
  const build = new ReactiveEffect(data)
  build.scheduler = schedule

  function flush(): void {
    timer = undefined
    const source = map.value?.getSource<GeoJSONSource>(sourceId)
    if (!source)
      return
    const fc = build.run()
    const d = display.value
    if (!fc || (sent?.fc === fc && sent.display === d))
      return
    last = Date.now()
    sent = { fc, display: d }
    source.setData(d.shifted ? projectCollection(fc, d.toDisplay) : fc)
  }

  function schedule(): void {
    if (timer !== undefined || !loaded.value)
      return
    timer = setTimeout(flush, Math.max(0, last + minInterval - Date.now()))
  }

  build.run()
  // A basemap in another datum redraws the source shifted onto it.
  watch([loaded, display], schedule, { immediate: true })
  onScopeDispose(() => {
    clearTimeout(timer)
    build.stop()
  })
  return {
    /** Sends the current data again (after a WebGL context loss). */
    reset(): void {
      sent = null
      schedule()
    },
  }
}
