import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { findEntry, openPmtiles, zxyToTileId } from '../../../server/territory/pmtiles.ts'
import { png, tempDataDir, writePmtiles } from '../../helpers/tiles.ts'

describe('zxyToTileId', () => {
  // Values from the PMTiles v3 spec's reference implementations.
  it.each([[0, 0, 0, 0], [1, 0, 0, 1], [1, 0, 1, 2], [1, 1, 1, 3], [1, 1, 0, 4], [2, 0, 0, 5], [12, 3423, 1763, 19078479], [20, 1234, 5678, 366563052717]])(
    'numbers %i/%i/%i as %i',
    (z, x, y, id) => expect(zxyToTileId(z, x, y)).toBe(id),
  )

  it('refuses a tile outside its zoom', () => {
    expect(() => zxyToTileId(1, 2, 0)).toThrow(RangeError)
  })
})

describe('findEntry', () => {
  const entries = [{ tileId: 5, offset: 0, length: 10, runLength: 3 }, { tileId: 20, offset: 10, length: 10, runLength: 0 }]
  it('finds a tile inside a run, a leaf after it, and nothing between runs', () => {
    expect(findEntry(entries, 7)?.tileId).toBe(5)
    expect(findEntry(entries, 8)).toBeNull()
    expect(findEntry(entries, 4)).toBeNull()
    expect(findEntry(entries, 999)?.tileId).toBe(20)
  })
})

describe('openPmtiles', () => {
  const red = png([255, 0, 0])
  const blue = png([0, 0, 255])
  const tiles = [{ z: 12, x: 3300, y: 1700, data: red }, { z: 13, x: 6600, y: 3401, data: blue }]

  it('reads tiles, bounds and zooms from a root directory', async () => {
    const file = join(tempDataDir().maps, 'a.pmtiles')
    writePmtiles(file, tiles)
    const a = await openPmtiles(file)
    expect(a.info).toMatchObject({ format: 'png', minZoom: 12, maxZoom: 13, bounds: [106.5, 29.5, 106.7, 29.7], title: '© fixture' })
    expect((await a.tile(12, 3300, 1700))?.data.equals(red)).toBe(true)
    expect((await a.tile(13, 6600, 3401))?.data.equals(blue)).toBe(true)
    expect(await a.tile(12, 3300, 1701)).toBeNull()
    await a.close()
  })

  it('follows a leaf directory and hands gzipped vector tiles over still gzipped', async () => {
    const file = join(tempDataDir().maps, 'v.pmtiles')
    writePmtiles(file, tiles.map(t => ({ ...t, data: Buffer.from(`mvt ${t.z}`) })), { leaf: true, gzip: true, tileType: 1 })
    const a = await openPmtiles(file)
    expect(a.info.format).toBe('pbf')
    const t = await a.tile(13, 6600, 3401)
    expect(t?.gzip).toBe(true)
    expect(gunzipSync(t!.data).toString()).toBe('mvt 13')
    await a.close()
  })

  it('refuses a file that is not PMTiles v3', async () => {
    const file = join(tempDataDir().maps, 'x.pmtiles')
    writeFileSync(file, Buffer.alloc(200))
    await expect(openPmtiles(file)).rejects.toThrow(/not a PMTiles/)
  })
})
