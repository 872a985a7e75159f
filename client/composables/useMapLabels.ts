import type { Map as MapLibre } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { Marker } from 'maplibre-gl'
import { onScopeDispose, watch } from 'vue'

export interface MapLabel { id: string, text: string, at: [number, number] }

/**
 * Place names as HTML markers: the browser draws CJK text with the page's bundled font, so the
 * map needs no glyph server. Fine for tens of labels (communities), not for thousands.
 */
export function useMapLabels(map: ShallowRef<MapLibre | null>, labels: () => MapLabel[], className: string) {
  const markers = new Map<string, Marker>()

  function sync(): void {
    const m = map.value
    if (!m)
      return
    const wanted = new Map(labels().map(l => [l.id, l]))
    for (const [id, marker] of markers) {
      if (!wanted.has(id)) {
        marker.remove()
        markers.delete(id)
      }
    }
    for (const label of wanted.values()) {
      const held = markers.get(label.id)
      if (held) {
        held.setLngLat(label.at)
        held.getElement().textContent = label.text
        continue
      }
      const el = document.createElement('div')
      el.className = className
      el.textContent = label.text
      markers.set(label.id, new Marker({ element: el }).setLngLat(label.at).addTo(m))
    }
  }

  watch([map, labels], sync, { immediate: true })
  onScopeDispose(() => {
    for (const marker of markers.values())
      marker.remove()
    markers.clear()
  })
}
