import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync, gzipSync } from 'node:zlib'
import Database from '../../server/db/sqlite/driver.ts'
import { HEADER_BYTES, zxyToTileId } from '../../server/territory/pmtiles.ts'

// Tiny offline map packages made at test time: nothing is downloaded, nothing is checked in.

export interface FixtureTile { z: number, x: number, y: number, data: Buffer }

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc(b: Buffer): number {
  let c = 0xFFFFFFFF
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xFF]! ^ (c >>> 8)
  return (c ^ 0xFFFFFFFF) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const sum = Buffer.alloc(4)
  sum.writeUInt32BE(crc(body))
  return Buffer.concat([len, body, sum])
}

/** A valid truecolour PNG of `size`×`size` pixels coloured by `pixel` (signature, IHDR, IDAT, IEND). */
export function pngOf(size: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  const raw = Buffer.alloc(size * (size * 3 + 1))
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1) // each row starts with filter type 0
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 3)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A 1×1 PNG of one colour. */
export const png = (rgb: [number, number, number]): Buffer => pngOf(1, () => rgb)

/** The XYZ tiles of zoom `z` covering a [west, south, east, north] box. */
export function tilesCovering(z: number, [w, s, e, n]: [number, number, number, number]): { x: number, y: number }[] {
  const x = (lon: number) => Math.floor((lon + 180) / 360 * 2 ** z)
  const y = (lat: number) => Math.floor((1 - Math.asinh(Math.tan(lat * Math.PI / 180)) / Math.PI) / 2 * 2 ** z)
  const out: { x: number, y: number }[] = []
  for (let tx = x(w); tx <= x(e); tx++) {
    for (let ty = y(n); ty <= y(s); ty++) out.push({ x: tx, y: ty })
  }
  return out
}

/** A temporary data directory with an empty `maps/` folder. */
export function tempDataDir(): { dataDir: string, maps: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'onescreen-maps-'))
  const maps = join(dataDir, 'maps')
  mkdirSync(maps)
  return { dataDir, maps }
}

/** An MBTiles file: tiles addressed in XYZ here, stored in TMS rows as the format wants. */
export function writeMbtiles(file: string, tiles: FixtureTile[], meta: Record<string, string> = { format: 'png', minzoom: '0', maxzoom: '14', bounds: '106.5,29.5,106.7,29.7', name: 'fixture' }): void {
  const db = new Database(file)
  db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)')
  for (const [k, v] of Object.entries(meta)) db.prepare('INSERT INTO metadata VALUES (?, ?)').run(k, v)
  for (const t of tiles) db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)').run(t.z, t.x, 2 ** t.z - 1 - t.y, t.data)
  db.close()
}

function varints(values: number[]): Buffer {
  const out: number[] = []
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 128) | 0x80)
      v = Math.floor(v / 128)
    }
    out.push(v)
  }
  return Buffer.from(out)
}

interface DirEntry { tileId: number, offset: number, length: number, runLength: number }
function directory(entries: DirEntry[]): Buffer {
  let last = 0
  return varints([
    entries.length,
    ...entries.map((e) => {
      const d = e.tileId - last
      last = e.tileId
      return d
    }),
    ...entries.map(e => e.runLength),
    ...entries.map(e => e.length),
    ...entries.map(e => e.offset + 1),
  ])
}

/**
 * A PMTiles v3 file (a minimal writer after the spec): one root directory, or with `leaf` a root pointing at one
 * leaf directory. `gzip` compresses directories, metadata and tiles, as vector packages are.
 */
export function writePmtiles(file: string, tiles: FixtureTile[], opts: { tileType?: number, gzip?: boolean, leaf?: boolean, metadata?: object } = {}): void {
  const z = (b: Buffer) => opts.gzip ? gzipSync(b) : b
  const sorted = tiles.map(t => ({ ...t, id: zxyToTileId(t.z, t.x, t.y), bytes: z(t.data) })).sort((a, b) => a.id - b.id)
  let offset = 0
  const entries = sorted.map((t) => {
    const e = { tileId: t.id, offset, length: t.bytes.length, runLength: 1 }
    offset += t.bytes.length
    return e
  })
  const leafDir = opts.leaf ? z(directory(entries)) : Buffer.alloc(0)
  const root = z(opts.leaf ? directory([{ tileId: entries[0]!.tileId, offset: 0, length: leafDir.length, runLength: 0 }]) : directory(entries))
  const metadata = z(Buffer.from(JSON.stringify(opts.metadata ?? { name: 'fixture', attribution: '© fixture' })))
  const data = Buffer.concat(sorted.map(t => t.bytes))
  const h = Buffer.alloc(HEADER_BYTES)
  h.write('PMTiles', 0, 'ascii')
  h[7] = 3
  const rootAt = HEADER_BYTES
  const metaAt = rootAt + root.length
  const leafAt = metaAt + metadata.length
  const dataAt = leafAt + leafDir.length
  const u64 = (at: number, v: number) => h.writeBigUInt64LE(BigInt(v), at)
  u64(8, rootAt)
  u64(16, root.length)
  u64(24, metaAt)
  u64(32, metadata.length)
  u64(40, leafAt)
  u64(48, leafDir.length)
  u64(56, dataAt)
  u64(64, data.length)
  u64(72, entries.length)
  u64(80, entries.length)
  u64(88, entries.length)
  h[96] = 1
  h[97] = opts.gzip ? 2 : 1
  h[98] = opts.gzip ? 2 : 1
  h[99] = opts.tileType ?? 2
  h[100] = Math.min(...tiles.map(t => t.z))
  h[101] = Math.max(...tiles.map(t => t.z))
  h.writeInt32LE(106.5e7, 102)
  h.writeInt32LE(29.5e7, 106)
  h.writeInt32LE(106.7e7, 110)
  h.writeInt32LE(29.7e7, 114)
  writeFileSync(file, Buffer.concat([h, root, metadata, leafDir, data]))
}
