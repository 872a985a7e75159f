import type { Static } from 'typebox'
import { Type } from 'typebox'

// Which basemap the wall, desks and phones draw under the territory: the bundled offline outline, an offline map
// package on the server's disk (PMTiles or MBTiles, served by OneScreen) or a tile service on the hall's network
// (XYZ or WMTS, e.g. a Tianditu node). One versioned entity in the change log: screens follow a change live.

export const BasemapKind = Type.Union([Type.Literal('bundled'), Type.Literal('pmtiles'), Type.Literal('mbtiles'), Type.Literal('xyz'), Type.Literal('wmts')])
export type BasemapKind = Static<typeof BasemapKind>

export const BasemapCrs = Type.Union([Type.Literal('WGS84'), Type.Literal('CGCS2000'), Type.Literal('GCJ02')])
export type BasemapCrs = Static<typeof BasemapCrs>

export const BasemapSetting = Type.Object({
  /** Always `basemap`. */
  id: Type.Literal('basemap'),
  version: Type.Integer({ minimum: 1 }),
  kind: BasemapKind,
  /** pmtiles/mbtiles: a file name in the data directory's `maps/` folder; xyz/wmts: the tile URL template. Empty for bundled. */
  source: Type.String({ maxLength: 1000 }),
  /** The coordinate system the tiles are drawn in: GCJ-02 tiles get the territory shifted onto them. */
  crs: BasemapCrs,
  tileType: Type.Union([Type.Literal('raster'), Type.Literal('vector')]),
  attribution: Type.String({ maxLength: 200 }),
  minZoom: Type.Integer({ minimum: 0, maximum: 24 }),
  maxZoom: Type.Integer({ minimum: 0, maximum: 24 }),
  updatedAt: Type.String(),
})
export type BasemapSetting = Static<typeof BasemapSetting>

export const BUNDLED_BASEMAP: BasemapSetting = {
  id: 'basemap',
  version: 1,
  kind: 'bundled',
  source: '',
  crs: 'WGS84',
  tileType: 'raster',
  attribution: '',
  minZoom: 0,
  maxZoom: 18,
  updatedAt: '2026-01-01T00:00:00.000Z',
}
