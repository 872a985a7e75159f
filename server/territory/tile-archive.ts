import type { BasemapFile, TileFormat } from '../../shared/territory/basemap.ts'

/** One tile as stored: its bytes and whether they are gzipped (vector tiles usually are). */
export interface Tile { data: Buffer, gzip: boolean }

/** An offline map package OneScreen serves tiles from (PMTiles v3 or MBTiles). */
export interface TileArchive {
  info: Omit<BasemapFile, 'name' | 'kind' | 'size' | 'problem'>
  /** The tile at z/x/y (XYZ, y down), or null when the package has none there. */
  tile: (z: number, x: number, y: number) => Promise<Tile | null>
  close: () => Promise<void>
}

export const CONTENT_TYPES: Record<TileFormat, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  pbf: 'application/vnd.mapbox-vector-tile',
  unknown: 'application/octet-stream',
}

/** gzip's magic bytes: MBTiles does not say whether its tiles are compressed, the bytes do. */
export const isGzip = (b: Buffer): boolean => b.length > 2 && b[0] === 0x1F && b[1] === 0x8B

/** The format of a tile from its first bytes, when a package does not say. */
export function sniffFormat(b: Buffer): TileFormat {
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504E47)
    return 'png'
  if (b.length > 3 && b[0] === 0xFF && b[1] === 0xD8)
    return 'jpg'
  if (b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP')
    return 'webp'
  return isGzip(b) ? 'pbf' : 'unknown'
}
