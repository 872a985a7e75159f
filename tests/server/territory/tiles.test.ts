import type { TestApp } from '../../helpers/app.ts'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../helpers/app.ts'
import { png, tempDataDir, writeMbtiles, writePmtiles } from '../../helpers/tiles.ts'

const red = png([255, 0, 0])
const blue = png([0, 0, 255])
// Two tiles over Cuntan, addressed XYZ (y down).
const TILES = [{ z: 12, x: 3261, y: 1689, data: red }, { z: 13, x: 6522, y: 3379, data: blue }]
const XYZ = 'https://tiles.hall.example:8443/vec/{z}/{x}/{y}.png'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['as']>>

const base = { kind: 'bundled', source: '', crs: 'WGS84', tileType: 'raster', attribution: '', minZoom: 0, maxZoom: 18 } as const
async function save(body: Record<string, unknown>, as = admin) {
  const version = (await t.app.inject({ method: 'GET', url: '/api/basemap/setting', headers: admin })).json().version as number
  return t.app.inject({ method: 'PUT', url: '/api/basemap/setting', headers: as, payload: { ...base, version, ...body } })
}
const tile = (path: string) => t.app.inject({ method: 'GET', url: `/api/tiles/${path}`, headers: admin })

beforeAll(async () => {
  const { dataDir, maps } = tempDataDir()
  writeMbtiles(join(maps, 'cuntan.mbtiles'), TILES)
  writePmtiles(join(maps, 'cuntan.pmtiles'), TILES)
  writePmtiles(join(maps, 'vector.pmtiles'), TILES.map(x => ({ ...x, data: Buffer.from('mvt') })), { gzip: true, tileType: 1, leaf: true })
  writeFileSync(join(maps, 'broken.pmtiles'), 'not a map')
  writeFileSync(join(maps, 'notes.txt'), 'ignored')
  writeFileSync(join(dataDir, 'secret.mbtiles'), 'outside maps/')
  t = await buildTestApp({ config: { dataDir } })
  admin = await t.as('admin')
})
afterAll(() => t.close())

describe('basemap setting', () => {
  it('starts on the bundled outline, readable by the wall and a leader\'s link', async () => {
    for (const headers of [await t.as('wall'), await t.shareSession()]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/basemap/setting', headers })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ id: 'basemap', kind: 'bundled' })
    }
  })

  it('lets only the admin change it', async () => {
    for (const role of ['commander', 'operator', 'wall'])
      expect((await save({ attribution: role }, await t.as(role))).statusCode, role).toBe(403)
    const out = await t.app.inject({ method: 'PUT', url: '/api/basemap/setting', payload: { ...base, version: 1 } })
    expect(out.statusCode).toBe(401)
    expect((await save({ attribution: 'admin' })).statusCode).toBe(200)
  })

  it.each([
    ['a path out of the maps folder', { kind: 'mbtiles', source: '../secret.mbtiles' }, 'source'],
    ['a folder in the name', { kind: 'pmtiles', source: 'maps/cuntan.pmtiles' }, 'source'],
    ['a file that is not there', { kind: 'mbtiles', source: 'nowhere.mbtiles' }, 'source'],
    ['a file of the other kind', { kind: 'mbtiles', source: 'cuntan.pmtiles' }, 'source'],
    ['a file that is not a package', { kind: 'pmtiles', source: 'broken.pmtiles' }, 'source'],
    ['a URL without placeholders', { kind: 'xyz', source: 'https://tiles.example/map.png' }, 'source'],
    ['a URL that is not http', { kind: 'xyz', source: 'file:///etc/{z}/{x}/{y}' }, 'source'],
    ['a WMTS URL without its placeholders', { kind: 'wmts', source: 'https://t0.example/wmts?TILEMATRIX={TileMatrix}' }, 'source'],
    ['zooms the wrong way round', { minZoom: 15, maxZoom: 10 }, 'maxZoom'],
    ['an unknown crs', { crs: 'BD09' }, 'crs'],
  ])('refuses %s with a 400 naming the field', async (_, body, field) => {
    const res = await save(body)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe(field)
  })

  it('refuses a save over a newer version with 409', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/basemap/setting', headers: admin, payload: { ...base, version: 1 } })
    expect(res.statusCode).toBe(409)
  })

  it('lists the packages in maps/ with their format, bounds and zooms', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/basemap/files', headers: admin })
    expect(res.statusCode).toBe(200)
    const files = res.json() as { name: string }[]
    expect(files.map(f => f.name)).toEqual(['broken.pmtiles', 'cuntan.mbtiles', 'cuntan.pmtiles', 'vector.pmtiles'])
    expect(files[1]).toMatchObject({ kind: 'mbtiles', format: 'png', bounds: [106.5, 29.5, 106.7, 29.7], minZoom: 0, maxZoom: 14, problem: null })
    expect(files[3]).toMatchObject({ kind: 'pmtiles', format: 'pbf', minZoom: 12, maxZoom: 13, problem: null })
    expect(files[0]).toMatchObject({ problem: expect.stringMatching(/PMTiles/) })
    expect((await t.app.inject({ method: 'GET', url: '/api/basemap/files', headers: await t.as('commander') })).statusCode).toBe(403)
  })

  it('records a change in the log that every screen receives', async () => {
    const res = await save({ attribution: '© 寸滩' })
    const changes = await t.app.inject({ method: 'GET', url: '/api/changes?since=0', headers: await t.as('wall') })
    const last = (changes.json().changes as { kind: string, data: { version: number } }[]).filter(c => c.kind === 'basemap').at(-1)
    expect(last?.data.version).toBe(res.json().version)
  })
})

describe('tiles', () => {
  it('answers 404 while no offline package is configured', async () => {
    await save({ kind: 'bundled' })
    expect((await tile('12/3261/1689')).statusCode).toBe(404)
  })

  it('serves an MBTiles package, flipping TMS rows', async () => {
    expect((await save({ kind: 'mbtiles', source: 'cuntan.mbtiles' })).statusCode).toBe(200)
    const res = await tile('12/3261/1689?v=3')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/)
    expect(res.rawPayload.equals(red)).toBe(true)
    expect((await tile('13/6522/3379')).rawPayload.equals(blue)).toBe(true)
    // The TMS row of the red tile, read as XYZ, is somewhere else.
    expect((await tile(`12/3261/${2 ** 12 - 1 - 1689}`)).statusCode).toBe(204)
  })

  it('serves a PMTiles package and switches packages without a restart', async () => {
    await save({ kind: 'pmtiles', source: 'cuntan.pmtiles' })
    const res = await tile('13/6522/3379')
    expect(res.statusCode).toBe(200)
    expect(res.rawPayload.equals(blue)).toBe(true)
    expect((await tile('14/0/0')).statusCode).toBe(204)
  })

  it('serves gzipped vector tiles as such, and the setting says vector', async () => {
    const saved = await save({ kind: 'pmtiles', source: 'vector.pmtiles', tileType: 'raster' })
    expect(saved.json().tileType).toBe('vector')
    const res = await tile('12/3261/1689')
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(res.rawPayload).toString()).toBe('mvt')
  })

  it('refuses coordinates that are not a tile', async () => {
    expect((await tile('12/abc/1')).statusCode).toBe(400)
    expect((await tile('12/..%2F..%2Fetc/1')).statusCode).toBe(400)
    expect((await tile('2/9/9')).statusCode).toBe(204)
  })

  it('previews a package before it is saved, for the admin only', async () => {
    await save({ kind: 'bundled' })
    const res = await tile('12/3261/1689?file=cuntan.pmtiles')
    expect(res.statusCode).toBe(200)
    expect(res.rawPayload.equals(red)).toBe(true)
    const commander = await t.app.inject({ method: 'GET', url: '/api/tiles/12/3261/1689?file=cuntan.pmtiles', headers: await t.as('commander') })
    expect(commander.statusCode).toBe(403)
    const out = await tile('12/3261/1689?file=..%2Fsecret.mbtiles')
    expect(out.statusCode).toBe(400)
    expect(out.json().field).toBe('file')
  })

  it('is readable by the wall but not by a signed-out browser', async () => {
    await save({ kind: 'mbtiles', source: 'cuntan.mbtiles' })
    expect((await t.app.inject({ method: 'GET', url: '/api/tiles/12/3261/1689', headers: await t.as('wall') })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/api/tiles/12/3261/1689' })).statusCode).toBe(401)
  })
})

describe('content security policy', () => {
  const csp = async () => (await t.app.inject({ method: 'GET', url: '/api/health/live' })).headers['content-security-policy'] as string
  const directive = (policy: string, name: string) => policy.split(';').find(d => d.startsWith(`${name} `)) ?? ''

  it('allows the tile service the setting names, and only while it does', async () => {
    expect(await csp()).not.toContain('tiles.hall.example')
    expect((await save({ kind: 'xyz', source: XYZ, crs: 'GCJ02' })).statusCode).toBe(200)
    const policy = await csp()
    expect(directive(policy, 'img-src')).toContain('https://tiles.hall.example:8443')
    expect(directive(policy, 'connect-src')).toContain('https://tiles.hall.example:8443')
    expect(directive(policy, 'script-src')).not.toContain('tiles.hall.example')
    await save({ kind: 'wmts', source: 'http://t0.tianditu.local/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}' })
    expect(directive(await csp(), 'img-src')).toContain('http://t0.tianditu.local')
    expect(await csp()).not.toContain('tiles.hall.example')
    await save({ kind: 'bundled' })
    expect(await csp()).not.toContain('tianditu')
  })

  it('keeps ONESCREEN_TILE_ORIGINS as an extra allowance', async () => {
    const other = await buildTestApp({ config: { tileOrigins: ['https://osm.hall.example'] } })
    const policy = (await other.app.inject({ method: 'GET', url: '/api/health/live' })).headers['content-security-policy'] as string
    expect(directive(policy, 'img-src')).toContain('https://osm.hall.example')
    await other.close()
  })
})
