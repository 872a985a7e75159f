import type { PhotoStore } from '../../../../server/photos/service.ts'
import type { TestApp } from '../../../helpers/app.ts'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPgPhotoStore, PG_PHOTOS_DDL } from '../../../../server/db/postgres/photos.ts'
import { createPool } from '../../../../server/db/postgres/pool.ts'
import { createPgStore } from '../../../../server/db/postgres/store.ts'
import { createPhotoStore } from '../../../../server/photos/service.ts'
import { buildTestApp, fixtures } from '../../../helpers/app.ts'
import { freshSchema, newSchemaName, pgUrl } from '../../../helpers/pg.ts'

// Photos kept where every node reads them: the same store contract on the node's disk and in the tenant's database,
// and a photo uploaded through one node is served by another.

interface Made { photos: PhotoStore, rows: () => Promise<number>, close: () => Promise<void> }

const stores: [string, () => Promise<Made>][] = [
  ['disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-photos-'))
    return { photos: createPhotoStore(dir), rows: async () => 0, close: async () => rmSync(dir, { recursive: true, force: true }) }
  }],
  ['postgres', async () => {
    const t = await freshSchema(PG_PHOTOS_DDL)
    const rows = async () => (await t.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM photos')).rows[0]!.n
    return { photos: createPgPhotoStore(t.pool), rows, close: () => t.drop() }
  }],
]

const png = (color: string, width = 64, height = 48) => sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer()

describe.each(stores)('the photo store on %s', (where, make) => {
  let m: Made
  afterEach(() => m.close())

  it('keeps a photo and its thumbnail under the content hash, once however often it is sent', async () => {
    m = await make()
    const big = await png('#c04020', 3000, 1000)
    const first = await m.photos.save(big)
    expect(first).toMatchObject({ ok: true, data: { width: 2048, height: 683, created: true }, created: true })
    const again = await m.photos.save(big)
    expect(again).toMatchObject({ ok: true, data: { created: false }, created: false })
    if (!first.ok || !again.ok)
      return
    expect(again.data.id).toBe(first.data.id)
    const full = await m.photos.read(first.data.id, 'full')
    const thumb = await m.photos.read(first.data.id, 'thumb')
    expect(full?.length).toBe(first.data.bytes)
    expect(await sharp(full!).metadata()).toMatchObject({ format: 'jpeg', width: 2048, height: 683 })
    expect(await sharp(thumb!).metadata()).toMatchObject({ format: 'jpeg', width: 360, height: 120 })
    if (where === 'postgres')
      expect(await m.rows()).toBe(2)
  })

  it('answers null for a photo it does not hold and for an id that is not a hash', async () => {
    m = await make()
    expect(await m.photos.read('0'.repeat(64), 'full')).toBeNull()
    expect(await m.photos.read('0'.repeat(64), 'thumb')).toBeNull()
    expect(await m.photos.read('../../etc/passwd', 'full')).toBeNull()
  })

  it('refuses what is not an image and stores nothing', async () => {
    m = await make()
    expect(await m.photos.save(Buffer.from('not a photo'))).toMatchObject({ ok: false, code: 'unsupported', field: 'file' })
    expect(await m.rows()).toBe(0)
  })
})

describe('photos through two nodes on one database', () => {
  const schema = newSchemaName()
  let a: TestApp
  let b: TestApp
  // Each node a data directory of its own, as on two machines: nothing may reach the other through a disk.
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'onescreen-node-')))
  beforeAll(async () => {
    const first = createPgStore({ url: pgUrl(), schema, max: 4 })
    a = await buildTestApp({ store: first, config: { dataDir: dirs[0] } })
    b = await buildTestApp({ store: createPgStore({ url: pgUrl(), schema, max: 4 }), config: { dataDir: dirs[1] } })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    const pool = createPool({ url: pgUrl(), schema, max: 1 })
    await pool.query(`DROP SCHEMA ${schema} CASCADE`)
    await pool.end()
    dirs.forEach(dir => rmSync(dir, { recursive: true, force: true }))
  })

  it('serves through node B the photo a grid worker uploaded and reported through node A', async () => {
    const worker = await a.as('grid_worker')
    const body = await png('#2080c0')
    const boundary = '----onescreen-two-nodes'
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`), body, Buffer.from(`\r\n--${boundary}--\r\n`)])
    const uploaded = await a.app.inject({ method: 'POST', url: '/api/photos', payload, headers: { ...worker, 'content-type': `multipart/form-data; boundary=${boundary}` } })
    expect(uploaded.statusCode).toBe(201)
    const photo = uploaded.json<{ id: string }>().id
    const me = (await a.app.inject({ url: '/api/auth/me', headers: worker })).json<{ principal: { gridIds: string[] } }>()
    const grid = a.ctx.reference.territory.grids.find(g => g.id === me.principal.gridIds[0])!
    const reported = await a.app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: fixtures(a.ctx).report({ location: grid.center, photos: [photo] }) })
    expect(reported.statusCode).toBe(201)
    const id = reported.json<{ id: string }>().id

    const wall = await b.as('wall')
    for (const size of ['full', 'thumb']) {
      const served = await b.app.inject({ url: `/api/incidents/${id}/photos/${photo}?size=${size}`, headers: wall })
      expect(served.statusCode, size).toBe(200)
      expect(served.headers['content-type']).toBe('image/jpeg')
      expect(served.headers['cache-control']).toBe('private, max-age=31536000, immutable')
      expect(served.headers.etag).toBe(`"${photo}-${size}"`)
      expect((await sharp(served.rawPayload).metadata()).format).toBe('jpeg')
    }
    const missing = await b.app.inject({ url: `/api/incidents/${id}/photos/${'0'.repeat(64)}`, headers: wall })
    expect(missing.statusCode).toBe(404)
    expect(dirs.map(dir => readdirSync(dir))).toEqual([[], []])
  })
})
