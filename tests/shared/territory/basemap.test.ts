import { describe, expect, it } from 'vitest'
import { basemapOrigin, basemapProblem, xyzTemplate } from '../../../shared/territory/basemap.ts'

const zooms = { minZoom: 0, maxZoom: 18 }

describe('basemapProblem', () => {
  it.each([
    ['pmtiles', 'cuntan.pmtiles'],
    ['mbtiles', '寸滩-2026.mbtiles'],
    ['pmtiles', 'Cuntan 2026 (z16).pmtiles'],
    ['xyz', 'https://tiles.local/{z}/{x}/{y}.png'],
    ['wmts', 'http://t0.local/wmts?TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}'],
    ['wmts', 'http://t0.local/wmts/{z}/{y}/{x}'],
    ['bundled', ''],
  ] as const)('accepts %s %s', (kind, source) => {
    expect(basemapProblem({ kind, source, ...zooms })).toBeNull()
  })

  it.each([
    ['pmtiles', '../x.pmtiles'],
    ['pmtiles', 'sub/x.pmtiles'],
    ['mbtiles', '..\\x.mbtiles'],
    ['mbtiles', '.hidden.mbtiles'],
    ['mbtiles', 'x.pmtiles'],
    ['xyz', 'ftp://tiles.local/{z}/{x}/{y}'],
    ['xyz', 'https://tiles.local/{z}/{x}'],
    ['bundled', 'x'],
  ] as const)('refuses %s %s, naming the source', (kind, source) => {
    expect(basemapProblem({ kind, source, ...zooms })?.field).toBe('source')
  })
})

describe('xyzTemplate and basemapOrigin', () => {
  it('maps WMTS placeholders whatever their case and finds the origin to allow', () => {
    expect(xyzTemplate('h?tilematrix={tilematrix}&r={TILEROW}&c={TileCol}')).toBe('h?tilematrix={z}&r={y}&c={x}')
    expect(basemapOrigin({ kind: 'xyz', source: 'https://t.local:8443/a/{z}/{x}/{y}' })).toBe('https://t.local:8443')
    expect(basemapOrigin({ kind: 'mbtiles', source: 'a.mbtiles' })).toBeNull()
  })
})
