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

/**
 * What the admin saves: the setting without its id and time. `version` is the version the form was loaded at
 * (optimistic concurrency: a save over someone else's newer save is refused with 409).
 */
export const BasemapBody = Type.Omit(BasemapSetting, ['id', 'updatedAt'], { additionalProperties: false })
export type BasemapBody = Static<typeof BasemapBody>

export const TileFormat = Type.Union([Type.Literal('png'), Type.Literal('jpg'), Type.Literal('webp'), Type.Literal('pbf'), Type.Literal('unknown')])
export type TileFormat = Static<typeof TileFormat>

/** An offline map package found in the data directory's `maps/` folder. */
export const BasemapFile = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('pmtiles'), Type.Literal('mbtiles')]),
  size: Type.Integer({ minimum: 0 }),
  format: TileFormat,
  /** [west, south, east, north] in degrees, when the package says. */
  bounds: Type.Union([Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]), Type.Null()]),
  minZoom: Type.Union([Type.Integer(), Type.Null()]),
  maxZoom: Type.Union([Type.Integer(), Type.Null()]),
  /** The package's own name or attribution, when it has one. */
  title: Type.String(),
  /** Why the package cannot be served (not a PMTiles v3 file, no tiles table …); null when it can. */
  problem: Type.Union([Type.String(), Type.Null()]),
})
export type BasemapFile = Static<typeof BasemapFile>

const FILE_NAME = /^[\w\u4E00-\u9FFF-][\w .()\u4E00-\u9FFF-]*$/
const XYZ_PLACEHOLDERS = [/\{z\}/, /\{x\}/, /\{y\}/]
const WMTS_PLACEHOLDERS = [/\{TileMatrix\}/i, /\{TileRow\}/i, /\{TileCol\}/i]

/**
 * What is wrong with a setting before the disk is asked (the admin form shows the same): a field and why, or
 * null. A file source is a bare file name (no folder, no `..`) with its kind's extension.
 */
export function basemapProblem(b: Pick<BasemapSetting, 'kind' | 'source' | 'minZoom' | 'maxZoom'>): { field: string, message: string } | null {
  if (b.minZoom > b.maxZoom)
    return { field: 'maxZoom', message: 'maxZoom must not be below minZoom' }
  switch (b.kind) {
    case 'bundled':
      return b.source === '' ? null : { field: 'source', message: 'the bundled basemap takes no source' }
    case 'pmtiles': case 'mbtiles':
      if (!FILE_NAME.test(b.source) || b.source.includes('..'))
        return { field: 'source', message: 'source must be a file name in the maps folder, without a path' }
      return b.source.toLowerCase().endsWith(`.${b.kind}`) ? null : { field: 'source', message: `source must be a .${b.kind} file` }
    case 'xyz': case 'wmts': {
      let url: URL
      try {
        url = new URL(b.source)
      }
      catch {
        return { field: 'source', message: 'source must be a tile URL template' }
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return { field: 'source', message: 'source must be an http or https URL' }
      const xyz = XYZ_PLACEHOLDERS.every(p => p.test(b.source))
      const wmts = WMTS_PLACEHOLDERS.every(p => p.test(b.source))
      if (b.kind === 'xyz' ? !xyz : !(xyz || wmts))
        return { field: 'source', message: b.kind === 'xyz' ? 'source must contain {z}, {x} and {y}' : 'source must contain {TileMatrix}, {TileRow} and {TileCol} (or {z}, {x} and {y})' }
      return null
    }
  }
}

/** The XYZ template MapLibre reads: WMTS KVP placeholders become {z}/{y}/{x} (a Web Mercator tile matrix set). */
export function xyzTemplate(source: string): string {
  return source.replace(/\{TileMatrix\}/gi, '{z}').replace(/\{TileRow\}/gi, '{y}').replace(/\{TileCol\}/gi, '{x}')
}

/** The browser origin tiles come from (for the CSP), or null for a file the server serves itself. */
export function basemapOrigin(b: Pick<BasemapSetting, 'kind' | 'source'>): string | null {
  if (b.kind !== 'xyz' && b.kind !== 'wmts')
    return null
  try {
    return new URL(b.source).origin
  }
  catch {
    return null
  }
}
