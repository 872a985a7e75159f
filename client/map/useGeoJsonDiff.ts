import type { Feature, Geometry } from 'geojson'
import type { GeoJSONSource, Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import type { Held } from './diff.ts'
import { onScopeDispose, watch } from 'vue'
import { projectFeature } from '../../shared/territory/crs.ts'
import { mapDisplay } from './basemap.ts'
import { diffFeatures } from './diff.ts'

export interface UseGeoJsonDiffOptions {
  /** Minimum time between two updates, in ms. Default 250. */
  minInterval?: number
}

/**
 * Keeps a GeoJSON source (with `promoteId: 'id'`) in step with `features` through `updateData` diffs keyed by id,
 * at a bounded rate. Returns `reset()`, which resends everything (after a WebGL context loss).
 */
export function useGeoJsonDiff(
  map: ShallowRef<MapLibre | null>,
  loaded: ShallowRef<boolean>,
  sourceId: string,
  features: () => Feature<Geometry, { id: string }>[],
  options: UseGeoJsonDiffOptions = {},
) {
  const minInterval = options.minInterval ?? 250
  let held: Held | null = null
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let dirty = false
  const display = mapDisplay(map)

  function flush(): void {
    timer = undefined
    const source = map.value?.getSource<GeoJSONSource>(sourceId)
    if (!source || !dirty)
      return
    dirty = false
    last = Date.now()
    const { shifted, toDisplay } = display.value
    const next = shifted ? features().map(f => projectFeature(f, toDisplay)) : features()
    if (held === null) {
      held = diffFeatures(new Map(), next).held
      source.setData({ type: 'FeatureCollection', features: next })
      return
    }
    const { diff, held: now } = diffFeatures(held, next)
    held = now
    if (diff)
      void source.updateData(diff)
  }

  function schedule(): void {
    dirty = true
    if (timer !== undefined || !loaded.value)
      return
    timer = setTimeout(flush, Math.max(0, last + minInterval - Date.now()))
  }

  watch([features, loaded], schedule, { immediate: true })
  // A basemap in another datum moves every feature: send them all again.
  watch(display, () => {
    held = null
    schedule()
  })
  onScopeDispose(() => clearTimeout(timer))
  return {
    reset(): void {
      held = null
      schedule()
    },
  }
}
