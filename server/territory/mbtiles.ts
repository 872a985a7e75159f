import type { TileFormat } from '../../shared/territory/basemap.ts'
import type { TileArchive } from './tile-archive.ts'
import Database from '../db/sqlite/driver.ts'
import { isGzip, sniffFormat } from './tile-archive.ts'

// MBTiles 1.3: an SQLite file with a `metadata` (name, value) table and a `tiles` table (or view) addressed in
// TMS, where row 0 is the southernmost row: y is flipped on the way in.

const FORMATS: Record<string, TileFormat> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', webp: 'webp', pbf: 'pbf', mvt: 'pbf' }

function numberOr(v: string | undefined, fallback: number | null): number | null {
  const n = Number(v)
  return v !== undefined && v !== '' && Number.isFinite(n) ? n : fallback
}

/** Opens an MBTiles file read-only; throws when it is not one. */
export function openMbtiles(file: string): TileArchive {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const meta = new Map((db.prepare('SELECT name, value FROM metadata').all() as { name: string, value: string }[]).map(r => [r.name, r.value]))
    const get = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?')
    const first = db.prepare('SELECT tile_data AS data FROM tiles LIMIT 1').get() as { data: Buffer } | undefined
    const bounds = meta.get('bounds')?.split(',').map(Number)
    const zooms = meta.get('minzoom') === undefined ? db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as { lo: number | null, hi: number | null } : null
    return {
      info: {
        format: FORMATS[meta.get('format')?.toLowerCase() ?? ''] ?? (first ? sniffFormat(first.data) : 'unknown'),
        bounds: bounds?.length === 4 && bounds.every(Number.isFinite) ? bounds as [number, number, number, number] : null,
        minZoom: numberOr(meta.get('minzoom'), zooms?.lo ?? null),
        maxZoom: numberOr(meta.get('maxzoom'), zooms?.hi ?? null),
        title: meta.get('attribution') ?? meta.get('name') ?? '',
      },
      async tile(z, x, y) {
        const row = get.get(z, x, 2 ** z - 1 - y) as { data: Buffer } | undefined
        return row ? { data: row.data, gzip: isGzip(row.data) } : null
      },
      async close() {
        db.close()
      },
    }
  }
  catch (err) {
    db.close()
    throw err
  }
}
