import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { onScopeDispose, shallowRef, watch } from 'vue'

export interface UseAfterFirstFrameOptions {
  /** The geography source whose features must be on the map first. Default 'grids'. */
  source?: string
  /** Whatever happens, ready this long after `live` (an install without grids). Default 5000 ms. */
  fallbackMs?: number
}

/**
 * Turns true once `live` holds (the panels have live figures), the map has drawn `source` and gone idle, and the
 * browser has an idle moment: what the map adds after that (thousands of incident points) no longer holds up the
 * wall's first live frame on a machine that paints WebGL in software.
 */
export function useAfterFirstFrame(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, live: () => boolean, options: UseAfterFirstFrameOptions = {}): Readonly<ShallowRef<boolean>> {
  const source = options.source ?? 'grids'
  const ready = shallowRef(false)
  let fallback: ReturnType<typeof setTimeout> | undefined
  let waiting: MapLibre | null = null

  function go(): void {
    if (ready.value)
      return
    clearTimeout(fallback)
    waiting?.off('idle', onIdle)
    waiting = null
    // Two frames with the map at rest first: the frame that shows the live figures over the drawn geography is
    // painted (and seen) before anything new is sent to the map; then the browser's next idle moment.
    let done = false
    const fill = () => {
      if (done)
        return
      done = true
      const idle = globalThis.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 1))
      idle(() => {
        ready.value = true
      }, { timeout: 500 })
    }
    requestAnimationFrame(() => requestAnimationFrame(fill))
    setTimeout(fill, 1000) // frames stop in a hidden tab
  }

  function onIdle(): void {
    const m = waiting
    if (m && m.getSource(source) && m.querySourceFeatures(source).length > 0)
      go()
  }

  const stop = watch([map, loaded, live], ([m, isLoaded, isLive]) => {
    if (!m || !isLoaded || !isLive || waiting || ready.value)
      return
    waiting = m
    m.on('idle', onIdle)
    m.triggerRepaint()
    fallback = setTimeout(go, options.fallbackMs ?? 5000)
  }, { immediate: true })
  watch(ready, (r) => {
    if (r)
      stop()
  })
  onScopeDispose(() => {
    clearTimeout(fallback)
    waiting?.off('idle', onIdle)
  })
  return ready
}
