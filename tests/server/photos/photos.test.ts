import type { AppContext } from '../../../server/context.ts'
import type { AuthHeaders } from '../../helpers/app.ts'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { DEMO_INTEGRATION_KEY, demoPassword, ensureAccounts } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { testConfig } from '../../helpers/app.ts'

type App = Awaited<ReturnType<typeof buildApp>>['app']
let app: App
let ctx: AppContext
let close: () => Promise<void>
let dataDir: string
const sessions = new Map<string, AuthHeaders>()

async function as(username: string): Promise<AuthHeaders> {
  if (!sessions.has(username)) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: demoPassword(username) } })
    const cookie = res.cookies.find(c => c.name === SESSION_COOKIE)!
    sessions.set(username, { 'cookie': `${SESSION_COOKIE}=${cookie.value}`, 'x-csrf-token': res.json().csrf as string })
  }
  return sessions.get(username)!
}

/** A multipart body with one part named `file`. */
function multipart(data: Buffer, filename = 'photo.jpg', type = 'image/jpeg', field = 'file') {
  const boundary = `----onescreen${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`)
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

async function upload(username: string, data: Buffer, filename?: string, type?: string) {
  const body = multipart(data, filename, type)
  return app.inject({ method: 'POST', url: '/api/photos', payload: body.payload, headers: { ...await as(username), ...body.headers } })
}

/** A 60×40 JPEG, red on the left half, saved with EXIF orientation 6 (the camera was turned 90° clockwise). */
async function rotatedJpeg(): Promise<Buffer> {
  const left = await sharp({ create: { width: 30, height: 40, channels: 3, background: '#ff0000' } }).png().toBuffer()
  return sharp({ create: { width: 60, height: 40, channels: 3, background: '#0000ff' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'TestPhone' } } })
    .toBuffer()
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'onescreen-photos-'))
  const store = createSqliteStore({ file: ':memory:' })
  ctx = await createContext(testConfig({ dataDir }), { store })
  await ensureAccounts(ctx)
  app = (await buildApp(ctx)).app
  close = async () => {
    await app.close()
    ctx.presence.close()
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
afterAll(() => close())

describe('photo upload', () => {
  it('stores a photo under its content hash, upright, without EXIF, with a thumbnail', async () => {
    const res = await upload('grid_worker', await rotatedJpeg())
    expect(res.statusCode).toBe(201)
    const info = res.json<{ id: string, width: number, height: number }>()
    expect(info.id).toMatch(/^[a-f0-9]{64}$/)
    // Orientation 6: the 60×40 sensor image is shown 40 wide, 60 tall.
    expect([info.width, info.height]).toEqual([40, 60])
    const dir = join(dataDir, 'photos', info.id.slice(0, 2))
    expect(readdirSync(dir).sort()).toEqual([`${info.id}.jpg`, `${info.id}.thumb.jpg`])
    const meta = await sharp(join(dir, `${info.id}.jpg`)).metadata()
    expect(meta.orientation ?? 1).toBe(1)
    expect(meta.exif).toBeUndefined()
  })

  it('answers a retried upload with the same id and stores nothing new', async () => {
    const data = await rotatedJpeg()
    const first = (await upload('grid_worker', data)).json<{ id: string }>()
    const again = await upload('grid_worker', data)
    expect(again.statusCode).toBe(200)
    expect(again.json<{ id: string }>().id).toBe(first.id)
  })

  it('takes the type from the bytes: a text file named .jpg is refused, a PNG named .txt is taken', async () => {
    const fake = await upload('grid_worker', Buffer.from('<?php echo "not a photo"; ?>'), 'photo.jpg', 'image/jpeg')
    expect(fake.statusCode).toBe(415)
    expect(fake.json()).toMatchObject({ field: 'file' })
    const svg = await upload('grid_worker', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'a.jpg')
    expect(svg.statusCode).toBe(415)
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } }).png().toBuffer()
    expect((await upload('grid_worker', png, 'notes.txt', 'text/plain')).statusCode).toBe(201)
  })

  it('refuses a photo over the size limit with 413', async () => {
    const res = await upload('grid_worker', Buffer.alloc(13 * 1024 * 1024, 0xFF))
    expect(res.statusCode).toBe(413)
  })

  it('refuses uploads from read-only sessions and without a session', async () => {
    const data = await rotatedJpeg()
    expect((await upload('leader', data)).statusCode).toBe(403)
    expect((await upload('wall', data)).statusCode).toBe(403)
    const body = multipart(data)
    expect((await app.inject({ method: 'POST', url: '/api/photos', payload: body.payload, headers: body.headers })).statusCode).toBe(401)
  })

  it('answers a JSON body with 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/photos', payload: { file: 'x' }, headers: await as('grid_worker') })
    expect(res.statusCode).toBe(415)
  })
})

describe('photos on an incident', () => {
  let incidentId: string
  let photoId: string

  beforeAll(async () => {
    photoId = (await upload('grid_worker', await rotatedJpeg())).json<{ id: string }>().id
    const worker = await as('grid_worker')
    const me = (await app.inject({ url: '/api/auth/me', headers: worker })).json<{ principal: { gridIds: string[] } }>()
    const grid = ctx.reference.territory.grids.find(g => g.id === me.principal.gridIds[0])!
    const res = await app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: { category: 'garbage', description: '垃圾堆积，附照片', location: grid.center, photos: [photoId] } })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ photos: [photoId] })
    incidentId = res.json<{ id: string }>().id
  })

  it('serves the photo and its thumbnail to a signed-in screen that sees the incident', async () => {
    for (const who of ['wall', 'leader', 'operator']) {
      const full = await app.inject({ url: `/api/incidents/${incidentId}/photos/${photoId}`, headers: await as(who) })
      expect(full.statusCode, who).toBe(200)
      expect(full.headers['content-type']).toBe('image/jpeg')
      expect(full.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xFF, 0xD8]))
    }
    const thumb = await app.inject({ url: `/api/incidents/${incidentId}/photos/${photoId}?size=thumb`, headers: await as('wall') })
    expect(thumb.statusCode).toBe(200)
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(360)
  })

  it('serves the result photos a resolve attached (the "after"), through the same incident', async () => {
    const worker = await as('grid_worker')
    const after = (await upload('grid_worker', await rotatedJpeg())).json<{ id: string }>().id
    const me = (await app.inject({ url: '/api/auth/me', headers: worker })).json<{ principal: { gridIds: string[] } }>()
    const grid = ctx.reference.territory.grids.find(g => g.id === me.principal.gridIds[0])!
    const made = await app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: { category: 'garbage', description: '待处置', location: grid.center } })
    const id = made.json<{ id: string }>().id
    expect((await app.inject({ url: `/api/incidents/${id}/photos/${after}`, headers: await as('operator') })).statusCode).toBe(404)
    for (const body of [{ action: 'accept' }, { action: 'assign', assigneeId: 'nobody-in-particular' }, { action: 'start' }, { action: 'resolve', note: '已清运', photos: [after] }]) {
      const res = await app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: await as('operator'), payload: body })
      expect(res.statusCode, body.action).toBe(200)
    }
    const served = await app.inject({ url: `/api/incidents/${id}/photos/${after}?size=thumb`, headers: await as('wall') })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/jpeg')
  })

  it('serves nothing without a session, to an integration key, or through an incident that does not list it', async () => {
    expect((await app.inject({ url: `/api/incidents/${incidentId}/photos/${photoId}` })).statusCode).toBe(401)
    expect((await app.inject({ url: `/api/incidents/${incidentId}/photos/${photoId}`, headers: { authorization: `Bearer ${DEMO_INTEGRATION_KEY}` } })).statusCode).toBe(403)
    const other = await app.inject({ method: 'POST', url: '/api/incidents', headers: { 'authorization': `Bearer ${DEMO_INTEGRATION_KEY}`, 'content-type': 'application/json' }, payload: { category: 'garbage', description: '无照片', location: ctx.reference.territory.grids[3]!.center } })
    expect(other.statusCode).toBe(201)
    expect((await app.inject({ url: `/api/incidents/${other.json<{ id: string }>().id}/photos/${photoId}`, headers: await as('operator') })).statusCode).toBe(404)
    expect((await app.inject({ url: `/api/incidents/${incidentId}/photos/${'0'.repeat(64)}`, headers: await as('operator') })).statusCode).toBe(404)
  })

  it('refuses a report naming more than six photos or a malformed photo id', async () => {
    const worker = await as('grid_worker')
    const seven = Array.from({ length: 7 }, (_, i) => i.toString(16).padStart(64, 'a'))
    const base = { category: 'garbage', description: 'x', location: { lon: 106.6, lat: 29.6 } }
    expect((await app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: { ...base, photos: seven } })).statusCode).toBe(400)
    const bad = await app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: { ...base, photos: ['../../etc/passwd'] } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ field: expect.stringContaining('photos') })
  })
})
