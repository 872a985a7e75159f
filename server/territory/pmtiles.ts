import type { FileHandle } from 'node:fs/promises'
import type { TileFormat } from '../../shared/territory/basemap.ts'
import type { TileArchive } from './tile-archive.ts'
import { open } from 'node:fs/promises'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'

// PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md), read with node:fs and node:zlib:
// the `pmtiles` package is not installed here and reading is small. A 127-byte little-endian header, a root
// directory of varint-encoded entries keyed by a Hilbert tile id, optional leaf directories, then tile data.

export const HEADER_BYTES = 127
const COMPRESSION = { none: 1, gzip: 2, brotli: 3 } as const
const TILE_TYPES: Record<number, TileFormat> = { 1: 'pbf', 2: 'png', 3: 'jpg', 4: 'webp' }
/** Directories nest at most this deep (the spec's writers use a root and one level of leaves). */
const MAX_DEPTH = 4
const LEAF_CACHE = 64

export interface Header {
  rootOffset: number
  rootLength: number
  metadataOffset: number
  metadataLength: number
  leafOffset: number
  tileDataOffset: number
  internalCompression: number
  tileCompression: number
  tileType: number
  minZoom: number
  maxZoom: number
  bounds: [number, number, number, number]
}

export interface Entry { tileId: number, offset: number, length: number, runLength: number }

/** The tile id: how many tiles the lower zooms hold, plus the tile's position on the zoom's Hilbert curve. */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (z > 26 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z)
    throw new RangeError(`tile ${z}/${x}/${y} does not exist`)
  const before = (4 ** z - 1) / 3
  let d = 0
  let [px, py] = [x, y]
  for (let s = 2 ** (z - 1); s >= 1; s /= 2) {
    const rx = (px & s) > 0 ? 1 : 0
    const ry = (py & s) > 0 ? 1 : 0
    d += s * s * ((3 * rx) ^ ry)
    // Rotate the quadrant so the curve stays continuous.
    if (ry === 0) {
      if (rx === 1) {
        px = s - 1 - px
        py = s - 1 - py
      }
      [px, py] = [py, px]
    }
  }
  return before + d
}

function u64(b: Buffer, at: number): number {
  return Number(b.readBigUInt64LE(at))
}

export function parseHeader(b: Buffer): Header {
  if (b.length < HEADER_BYTES || b.toString('ascii', 0, 7) !== 'PMTiles')
    throw new Error('not a PMTiles file')
  if (b[7] !== 3)
    throw new Error(`PMTiles version ${b[7]} is not supported (only 3)`)
  const deg = (at: number) => b.readInt32LE(at) / 1e7
  return {
    rootOffset: u64(b, 8),
    rootLength: u64(b, 16),
    metadataOffset: u64(b, 24),
    metadataLength: u64(b, 32),
    leafOffset: u64(b, 40),
    tileDataOffset: u64(b, 56),
    internalCompression: b[97]!,
    tileCompression: b[98]!,
    tileType: b[99]!,
    minZoom: b[100]!,
    maxZoom: b[101]!,
    bounds: [deg(102), deg(106), deg(110), deg(114)],
  }
}

/** Reads one directory: counts, then tile ids (deltas), run lengths, lengths, offsets (0 = right after the previous). */
export function parseDirectory(b: Buffer): Entry[] {
  let pos = 0
  const varint = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      if (pos >= b.length)
        throw new Error('truncated PMTiles directory')
      const byte = b[pos++]!
      value += (byte & 0x7F) * scale
      if (byte < 0x80)
        return value
      scale *= 128
    }
  }
  const n = varint()
  const entries: Entry[] = Array.from({ length: n }, () => ({ tileId: 0, offset: 0, length: 0, runLength: 0 }))
  let id = 0
  for (const e of entries) {
    id += varint()
    e.tileId = id
  }
  for (const e of entries) e.runLength = varint()
  for (const e of entries) e.length = varint()
  entries.forEach((e, i) => {
    const v = varint()
    const prev = entries[i - 1]
    e.offset = v === 0 && prev ? prev.offset + prev.length : v - 1
  })
  return entries
}

/** The entry holding `tileId` (a tile run or a leaf directory), by binary search. */
export function findEntry(entries: Entry[], tileId: number): Entry | null {
  let lo = 0
  let hi = entries.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const e = entries[mid]!
    if (e.tileId === tileId)
      return e
    if (e.tileId < tileId)
      lo = mid + 1
    else
      hi = mid - 1
  }
  const e = entries[hi]
  if (!e)
    return null
  return e.runLength === 0 || tileId - e.tileId < e.runLength ? e : null
}

function decompress(b: Buffer, compression: number): Buffer {
  if (compression === COMPRESSION.gzip)
    return gunzipSync(b)
  if (compression === COMPRESSION.brotli)
    return brotliDecompressSync(b)
  if (compression === COMPRESSION.none || compression === 0)
    return b
  throw new Error(`PMTiles compression ${compression} is not supported`)
}

async function read(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length)
  const { bytesRead } = await fh.read(buf, 0, length, offset)
  if (bytesRead !== length)
    throw new Error('PMTiles file is truncated')
  return buf
}

/** Opens a PMTiles v3 file; throws when it is not one. Keeps the file open until `close()`. */
export async function openPmtiles(file: string): Promise<TileArchive> {
  const fh = await open(file, 'r')
  try {
    const header = parseHeader(await read(fh, 0, HEADER_BYTES))
    const dir = async (offset: number, length: number) => parseDirectory(decompress(await read(fh, offset, length), header.internalCompression))
    const root = await dir(header.rootOffset, header.rootLength)
    let meta: Record<string, unknown> = {}
    if (header.metadataLength > 0) {
      try {
        meta = JSON.parse(decompress(await read(fh, header.metadataOffset, header.metadataLength), header.internalCompression).toString('utf8')) as Record<string, unknown>
      }
      catch {} // metadata is informative only
    }
    const leaves = new Map<number, Entry[]>()
    async function leaf(offset: number, length: number): Promise<Entry[]> {
      let entries = leaves.get(offset)
      if (!entries) {
        entries = await dir(header.leafOffset + offset, length)
        if (leaves.size >= LEAF_CACHE)
          leaves.delete(leaves.keys().next().value!)
        leaves.set(offset, entries)
      }
      return entries
    }
    const str = (k: string) => typeof meta[k] === 'string' ? meta[k] : ''
    return {
      info: {
        format: TILE_TYPES[header.tileType] ?? 'unknown',
        bounds: header.bounds,
        minZoom: header.minZoom,
        maxZoom: header.maxZoom,
        title: str('attribution') || str('name'),
      },
      async tile(z, x, y) {
        const id = zxyToTileId(z, x, y)
        let entries = root
        for (let depth = 0; depth < MAX_DEPTH; depth++) {
          const e = findEntry(entries, id)
          if (!e)
            return null
          if (e.runLength > 0) {
            const data = await read(fh, header.tileDataOffset + e.offset, e.length)
            // gzip goes to the browser as is (Content-Encoding); brotli is undone here (browsers take it only over TLS).
            if (header.tileCompression === COMPRESSION.gzip)
              return { data, gzip: true }
            return { data: decompress(data, header.tileCompression), gzip: false }
          }
          entries = await leaf(e.offset, e.length)
        }
        return null
      },
      async close() {
        await fh.close()
      },
    }
  }
  catch (err) {
    await fh.close()
    throw err
  }
}
