import type { FeatureCollection } from 'geojson'
import type { Map as MapLibre } from 'maplibre-gl'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useGeoJsonSource } from '../../../client/map/useGeoJsonSource.ts'

// A map source follows its data at a bounded rate: a burst of changes builds the features once, when they are
// sent, and the map receives the latest.

const collection = (n: number): FeatureCollection => ({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', id: i, properties: {}, geometry: { type: 'Point', coordinates: [106.6, 29.6] } })) })

function setup() {
  const sent: FeatureCollection[] = []
  const source = { setData: (fc: FeatureCollection) => sent.push(fc) }
  const map = shallowRef({ getSource: () => source } as unknown as MapLibre)
  const loaded = shallowRef(true)
  const count = shallowRef(1)
  let builds = 0
  const scope = effectScope()
  scope.run(() => useGeoJsonSource(map, loaded, 'incidents', () => {
    builds++
    return collection(count.value)
  }))
  return { sent, count, scope, builds: () => builds }
}

describe('geojson source on a long-lived map', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('builds a burst of changes once and sends the latest', async () => {
    const { sent, count, scope, builds } = setup()
    await vi.advanceTimersByTimeAsync(600)
    expect(sent.map(fc => fc.features.length)).toEqual([1])
    const before = builds()
    for (let i = 2; i <= 30; i++) {
      count.value = i
      await nextTick()
    }
    expect(builds()).toBe(before)
    await vi.advanceTimersByTimeAsync(600)
    expect(sent.map(fc => fc.features.length)).toEqual([1, 30])
    expect(builds()).toBe(before + 1)
    scope.stop()
  })

  it('sends nothing once its scope has ended', async () => {
    const { sent, count, scope } = setup()
    await vi.advanceTimersByTimeAsync(600)
    count.value = 5
    await nextTick()
    scope.stop()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent.map(fc => fc.features.length)).toEqual([1])
  })
})
