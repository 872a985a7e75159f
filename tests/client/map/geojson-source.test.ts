import type { FeatureCollection } from 'geojson'
import type { Map as MapLibre } from 'maplibre-gl'
import type { BasemapSetting } from '../../../shared/territory/basemap.ts'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useBasemapLayer } from '../../../client/map/basemap.ts'
import { useGeoJsonSource } from '../../../client/map/useGeoJsonSource.ts'
import { BUNDLED_BASEMAP } from '../../../shared/territory/basemap.ts'

function collection(n: number): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: { id: String(i) }, geometry: { type: 'Point', coordinates: [106.6, 29.6] } })),
  }
}

/** The part of a MapLibre map the source and the basemap layer touch: one GeoJSON source, tiled or not yet. */
function fakeMap() {
  const sent: number[] = []
  const state = { settled: true }
  const source = { setData: (fc: FeatureCollection) => sent.push(fc.features.length) }
  const map = {
    getSource: (id: string) => id === 'incidents' ? source : undefined,
    isSourceLoaded: () => state.settled,
    getStyle: () => ({ layers: [] }),
    getLayer: () => undefined,
    addSource: () => {},
    addLayer: () => {},
  } as unknown as MapLibre
  return { map, sent, state }
}

describe('useGeoJsonSource', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('sends new data only once the source has tiled the last, and then the newest', async () => {
    const { map, sent, state } = fakeMap()
    const data = shallowRef(collection(300))
    const scope = effectScope()
    scope.run(() => useGeoJsonSource(shallowRef(map), shallowRef(true), 'incidents', () => data.value, { minInterval: 500 }))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([300])

    // The 300 are still being tiled when the duplicates are paired and the points leave the layer.
    state.settled = false
    data.value = collection(0)
    await nextTick()
    await vi.advanceTimersByTimeAsync(2000)
    expect(sent).toEqual([300])

    state.settled = true
    await vi.advanceTimersByTimeAsync(100)
    expect(sent).toEqual([300, 0])
    scope.stop()
  })

  it('does not send its data again when the saved setting arrives in the same datum', async () => {
    const { map, sent } = fakeMap()
    const setting = shallowRef<BasemapSetting>(BUNDLED_BASEMAP)
    const mapRef = shallowRef(map)
    const loaded = shallowRef(true)
    const scope = effectScope()
    scope.run(() => {
      useBasemapLayer(mapRef, loaded, () => setting.value)
      useGeoJsonSource(mapRef, loaded, 'incidents', () => collection(3), { minInterval: 0, changed: () => 1 })
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([3])

    setting.value = { ...BUNDLED_BASEMAP, version: 2 }
    await nextTick()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual([3])

    // Onto GCJ-02 tiles the data is drawn shifted: sent again.
    setting.value = { ...BUNDLED_BASEMAP, version: 3, kind: 'xyz', source: 'https://t.example/{z}/{x}/{y}', crs: 'GCJ02' }
    await nextTick()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual([3, 3])
    scope.stop()
  })
})
