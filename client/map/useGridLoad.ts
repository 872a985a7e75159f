import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { watch } from 'vue'

interface GridLoad { open: number, overdue: number }

/**
 * Colours each grid by its load through feature-state on the `grids` source: no geometry is re-sent when a
 * count changes, and only grids whose count changed are touched. `reset` paints every grid again (after a
 * WebGL context loss, once the resent grids are in).
 */
export function useGridLoad(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, gridIds: () => string[] | null, load: () => Map<string, GridLoad>) {
  let shown = new Map<string, string>()

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
  watch([load, loaded, gridIds], paint, { immediate: true })

  function reset(): void {
    shown = new Map()
    // Feature state attaches to loaded data: paint once the resent grids are in.
    map.value?.once('idle', paint)
  }
  return { reset }
}
