import type { Map as MapLibre } from 'maplibre-gl'
import type { Ref } from 'vue'
import { Popup } from 'maplibre-gl'
import { onScopeDispose, watch } from 'vue'
import { useBasemapStore } from '../territory/basemap-store.ts'

/**
 * A map popup that follows a selection: open at its point while something is selected, gone when nothing is. `fill`
 * writes the selection into `body`, built by the caller (textContent only: what it shows is user input). On GCJ-02
 * tiles the point is drawn shifted: the popup points at where it is drawn.
 */
export function usePinnedPopup<T>(body: HTMLElement, opts: {
  map: () => MapLibre | null
  selected: Ref<T | null>
  offset: number
  testid: string
  at: (item: T) => [number, number]
  fill: (item: T) => void
}): void {
  const basemap = useBasemapStore()
  const popup = new Popup({ closeButton: false, closeOnClick: false, className: 'map-popup', maxWidth: 'none', offset: opts.offset })
  body.dataset.testid = opts.testid
  popup.setDOMContent(body)
  watch([opts.selected, opts.map, () => basemap.display], ([item, m, display]) => {
    if (!item || !m) {
      popup.remove()
      return
    }
    opts.fill(item)
    popup.setLngLat(display.toDisplay(opts.at(item)))
    if (!popup.isOpen())
      popup.addTo(m)
  }, { immediate: true })
  onScopeDispose(() => popup.remove())
}
