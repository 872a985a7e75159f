import type { Change } from '../../../shared/sync/schema.ts'
import type { BasemapSetting } from '../../../shared/territory/basemap.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { basemapStyle } from '../../../client/map/basemap.ts'
import { displayOf, useBasemapStore } from '../../../client/territory/basemap-store.ts'
import { BUNDLED_BASEMAP } from '../../../shared/territory/basemap.ts'

const setting = (over: Partial<BasemapSetting>): BasemapSetting => ({ ...BUNDLED_BASEMAP, ...over })
const change = (seq: number, data: BasemapSetting) => ({ seq, at: data.updatedAt, kind: 'basemap', action: 'update', id: 'basemap', data }) as Change

describe('the basemap store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('follows the last basemap change of a batch and ignores other kinds', () => {
    const store = useBasemapStore()
    const a = setting({ version: 2, kind: 'xyz', source: 'https://a.example/{z}/{x}/{y}' })
    const b = setting({ version: 3, kind: 'mbtiles', source: 'c.mbtiles', crs: 'GCJ02' })
    store.apply([change(1, a), { seq: 2, kind: 'plan' } as unknown as Change, change(3, b)])
    expect(store.setting).toEqual(b)
    expect(store.display.shifted).toBe(true)
  })
})

describe('displayOf', () => {
  it('shifts only onto GCJ-02 tiles, never the bundled outline', () => {
    expect(displayOf({ kind: 'xyz', crs: 'GCJ02' }).shifted).toBe(true)
    expect(displayOf({ kind: 'bundled', crs: 'GCJ02' }).shifted).toBe(false)
    expect(displayOf({ kind: 'wmts', crs: 'CGCS2000' }).toDisplay([106.58, 29.61])).toEqual([106.58, 29.61])
  })
})

describe('basemapStyle', () => {
  it('draws nothing over the bundled outline', () => {
    expect(basemapStyle(BUNDLED_BASEMAP)).toBeNull()
  })

  it('turns a WMTS template into XYZ tiles', () => {
    const style = basemapStyle(setting({ kind: 'wmts', source: 'http://t0.local/wmts?TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}', attribution: '天地图' }))
    expect(style?.source).toMatchObject({ type: 'raster', tiles: ['http://t0.local/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}'], attribution: '天地图' })
    expect(style?.layers.map(l => l.type)).toEqual(['raster'])
  })

  it('serves a package from our own tiles, versioned, or named in the admin\'s preview', () => {
    vi.stubGlobal('location', { origin: 'http://wall.local' })
    const s = setting({ kind: 'pmtiles', source: '寸滩 2026.pmtiles', version: 7, tileType: 'vector' })
    expect(basemapStyle(s)?.source).toMatchObject({ type: 'vector', tiles: ['http://wall.local/api/tiles/{z}/{x}/{y}?v=7'] })
    expect(basemapStyle(s, true)?.source).toMatchObject({ tiles: [`http://wall.local/api/tiles/{z}/{x}/{y}?file=${encodeURIComponent('寸滩 2026.pmtiles')}`] })
    expect(basemapStyle(s)?.layers.some(l => l.type === 'symbol')).toBe(false) // no glyphs offline
    vi.unstubAllGlobals()
  })
})
