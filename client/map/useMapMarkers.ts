import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { Marker } from 'maplibre-gl'
import { onScopeDispose, watch } from 'vue'
import { mapDisplay } from './basemap.ts'
import { declutter } from './declutter.ts'

export interface MapMark { id: string, at: [number, number], className: string, text?: string }

export interface MarkerOptions {
  /** Keep these markers from covering each other and the elements this selector finds (place names). */
  declutter?: { avoid: string }
}

/**
 * DOM markers for the few things that need them (place names in the bundled font, pulsing alarms), keyed by id.
 * Text goes in as textContent, never as HTML. Fine for tens of markers, not for thousands.
 */
export function useMapMarkers(map: ShallowRef<MapLibre | null>, marks: () => MapMark[], visible: () => boolean = () => true, options: MarkerOptions = {}) {
  const markers = new Map<string, Marker>()
  const display = mapDisplay(map)

  // Tags are laid out again when the map comes to rest, not on every frame of a move.
  let frame = 0
  function spread(): void {
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => {
      const m = map.value
      if (!m || !options.declutter || markers.size === 0)
        return
      const held = [...markers.values()]
      const boxes = held.map((marker) => {
        const r = marker.getElement().getBoundingClientRect()
        const { x, y } = marker.getOffset()
        return { left: r.left - x, right: r.right - x, top: r.top - y, bottom: r.bottom - y }
      })
      const fixed = [...m.getContainer().querySelectorAll(options.declutter.avoid)].map(e => e.getBoundingClientRect())
      declutter(boxes, fixed).forEach(([dx, dy], n) => {
        const was = held[n]!.getOffset()
        if (was.x !== dx || was.y !== dy)
          held[n]!.setOffset([dx, dy])
      })
    })
  }

  function sync(): void {
    const m = map.value
    if (!m)
      return
    const { toDisplay } = display.value
    const wanted = new Map(visible() ? marks().map(l => [l.id, { ...l, at: toDisplay(l.at) }]) : [])
    for (const [id, marker] of markers) {
      if (!wanted.has(id)) {
        marker.remove()
        markers.delete(id)
      }
    }
    for (const mark of wanted.values()) {
      const held = markers.get(mark.id)
      if (held) {
        // Moving a marker writes its style: only the ones that moved (a wall may hold hundreds).
        const was = held.getLngLat()
        if (was.lng !== mark.at[0] || was.lat !== mark.at[1])
          held.setLngLat(mark.at)
        const el = held.getElement()
        if (el.textContent !== (mark.text ?? ''))
          el.textContent = mark.text ?? ''
        continue
      }
      const el = document.createElement('div')
      el.className = mark.className
      el.textContent = mark.text ?? ''
      markers.set(mark.id, new Marker({ element: el }).setLngLat(mark.at).addTo(m))
    }
    spread()
  }

  watch([map, marks, visible, display], sync, { immediate: true })
  const events = ['moveend', 'resize'] as const
  watch(map, (m, was) => {
    for (const e of events) {
      was?.off(e, spread)
      m?.on(e, spread)
    }
  }, { immediate: true })
  onScopeDispose(() => {
    cancelAnimationFrame(frame)
    for (const e of events)
      map.value?.off(e, spread)
    for (const marker of markers.values())
      marker.remove()
    markers.clear()
  })
}
