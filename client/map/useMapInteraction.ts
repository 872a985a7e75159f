import type { GeoJSONSource, Map as MapLibre, MapMouseEvent } from 'maplibre-gl'
import type { ShallowRef } from 'vue'
import { watch } from 'vue'
import { LAYER } from './style.ts'

export interface MapHandlers {
  incident: (id: string) => void
  grid: (id: string) => void
  /** A cluster of possible duplicates: its members are listed. */
  duplicates?: (id: string) => void
}

const CLICKABLE = [LAYER.duplicates, LAYER.incidents, LAYER.clusters, LAYER.gridsFill]

/** Clicks on the map: an incident opens its drawer, a cluster zooms in, a grid opens its roster. */
export function useMapInteraction(map: ShallowRef<MapLibre | null>, loaded: ShallowRef<boolean>, on: MapHandlers) {
  function click(e: MapMouseEvent): void {
    const m = map.value!
    const hits = m.queryRenderedFeatures(e.point, { layers: CLICKABLE.filter(l => m.getLayoutProperty(l, 'visibility') !== 'none') })
    const dup = hits.find(f => f.layer.id === LAYER.duplicates)
    if (dup && on.duplicates) {
      on.duplicates(String(dup.properties.id))
      return
    }
    const incident = hits.find(f => f.layer.id === LAYER.incidents)
    if (incident) {
      on.incident(String(incident.properties.id))
      return
    }
    const cluster = hits.find(f => f.layer.id === LAYER.clusters)
    if (cluster && cluster.geometry.type === 'Point') {
      const source = m.getSource<GeoJSONSource>('incidents')
      void source?.getClusterExpansionZoom(cluster.properties.cluster_id as number).then((zoom) => {
        m.easeTo({ center: cluster.geometry.type === 'Point' ? cluster.geometry.coordinates as [number, number] : e.lngLat, zoom })
      })
      return
    }
    const grid = hits.find(f => f.layer.id === LAYER.gridsFill)
    if (grid)
      on.grid(String(grid.properties.id))
  }

  function hover(e: MapMouseEvent): void {
    const m = map.value!
    const over = m.queryRenderedFeatures(e.point, { layers: [LAYER.duplicates, LAYER.incidents, LAYER.clusters] }).length > 0
    m.getCanvas().style.cursor = over ? 'pointer' : ''
  }

  const stop = watch(loaded, (ready) => {
    if (!ready || !map.value)
      return
    map.value.on('click', click)
    map.value.on('mousemove', hover)
    stop()
  }, { immediate: true })
}
