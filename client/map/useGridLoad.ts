import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { onScopeDispose, watch } from 'vue'

interface GridLoad { open: number, overdue: number }

/**
 * Colours each grid by its load through feature-state on the `grids` source: no geometry is re-sent when a
 * count changes, and only grids whose count changed are touched. `reset` paints every grid again (after a
 * WebGL context loss, once the resent grids are in).
 *
 * At most one paint per `minInterval` (default 500 ms, as the incidents source): each feature-state change makes
 * MapLibre draw a frame, and under 50 changes/s a frame per change kept a wall without a GPU painting all the
 * time (#18).
 */
export function useGridLoad(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, gridIds: () => string[] | null, load: () => Map<string, GridLoad>, minInterval = 500) {
  let shown = new Map<string, string>()
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  function paint(): void {
    const m = map.value
    const ids = gridIds()
    if (!m || !loaded.value || !ids)
      return
    const next = new Map<string, string>()
    const counts = load()
    for (const id of ids) {
      const c = counts.get(id) ?? { open: 0, overdue: 0 }
      const key = `${c.open}/${c.overdue}`
      next.set(id, key)
      if (shown.get(id) !== key)
        m.setFeatureState({ source: 'grids', id }, c)
    }
    shown = next
  }

  function flush(): void {
    timer = undefined
    last = Date.now()
    paint()
  }
  function schedule(): void {
    if (timer === undefined)
      timer = setTimeout(flush, Math.max(0, last + minInterval - Date.now()))
  }
  watch([load, loaded, gridIds], schedule, { immediate: true })
  onScopeDispose(() => clearTimeout(timer))

  function reset(): void {
    shown = new Map()
    // Feature state attaches to loaded data: paint once the resent grids are in.
    map.value?.once('idle', paint)
  }
  return { reset }
}
