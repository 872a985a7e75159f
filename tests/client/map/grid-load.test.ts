import type { Map as MapLibre } from 'maplibre-gl'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useGridLoad } from '../../../client/map/useGridLoad.ts'

// The wall colours grids by load through feature-state; under a burst of changes it paints at most twice a
// second, with the latest counts, and only the grids whose counts changed.

type Load = Map<string, { open: number, overdue: number }>

function setup() {
  const calls: [string, { open: number, overdue: number }][] = []
  const fake = { setFeatureState: (f: { id: string }, s: { open: number, overdue: number }) => calls.push([f.id, s]), once: () => {} }
  const map = shallowRef(fake as unknown as MapLibre)
  const loaded = shallowRef(true)
  const load = shallowRef<Load>(new Map())
  const scope = effectScope()
  scope.run(() => useGridLoad(map, loaded, () => ['g1', 'g2'], () => load.value))
  return { calls, load, scope }
}

describe('grid load on the wall map', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('paints a burst of changes once, with the last counts', async () => {
    const { calls, load, scope } = setup()
    await vi.advanceTimersByTimeAsync(0)
    calls.length = 0
    for (let i = 1; i <= 20; i++) {
      load.value = new Map([['g1', { open: i, overdue: 0 }]])
      await nextTick()
    }
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(500)
    expect(calls).toEqual([['g1', { open: 20, overdue: 0 }]])
    scope.stop()
  })

  it('leaves grids whose counts did not change alone', async () => {
    const { calls, load, scope } = setup()
    load.value = new Map([['g1', { open: 1, overdue: 0 }], ['g2', { open: 2, overdue: 1 }]])
    await vi.advanceTimersByTimeAsync(600)
    calls.length = 0
    load.value = new Map([['g1', { open: 1, overdue: 0 }], ['g2', { open: 3, overdue: 1 }]])
    await vi.advanceTimersByTimeAsync(600)
    expect(calls).toEqual([['g2', { open: 3, overdue: 1 }]])
    scope.stop()
  })

  it('paints nothing after its scope ends', async () => {
    const { calls, load, scope } = setup()
    await vi.advanceTimersByTimeAsync(600)
    calls.length = 0
    load.value = new Map([['g1', { open: 5, overdue: 0 }]])
    await nextTick()
    scope.stop()
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toEqual([])
  })
})
