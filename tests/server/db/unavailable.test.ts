import type { Database as Db } from 'better-sqlite3'
import type { TestApp } from '../../helpers/app.ts'
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../../server/auth/accounts.ts'
import Database from '../../../server/db/sqlite/driver.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'
import { startServer } from '../../helpers/server.ts'
import { watcher } from '../../helpers/socket.ts'

// A store that cannot write (a full disk, a read-only volume, another process holding the write lock) fails
// writes with a clear 503 and keeps reads, the wall's stream and the process alive. A full and a read-only disk
// are real: a small tmpfs, mounted as root (CI runs as root); the held lock is another connection.

const MINUTE = 60_000
const root = new URL('../../..', import.meta.url).pathname

/** A clock the test moves: sessions' "last seen" bookkeeping becomes due when it jumps. */
function clock(start = Date.parse('2026-12-06T02:00:00Z')) {
  let t = start
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) }
}

async function reportAs(t: TestApp, role: string) {
  return t.app.inject({ method: 'POST', url: '/api/incidents', headers: await t.as(role), payload: fixtures(t.ctx).report() })
}

/** What a wall reads when it (re)loads: each answers 200 from what is stored. */
async function wallReads(t: TestApp) {
  const wall = await t.as('wall')
  const urls = ['/api/snapshot', '/api/stats', '/api/territory', '/api/wartime', '/api/auth/me', '/api/changes?since=0&limit=10']
  const codes: Record<string, number> = {}
  for (const url of urls)
    codes[url] = (await t.app.inject({ method: 'GET', url, headers: wall })).statusCode
  return codes
}
const ALL_200 = { '/api/snapshot': 200, '/api/stats': 200, '/api/territory': 200, '/api/wartime': 200, '/api/auth/me': 200, '/api/changes?since=0&limit=10': 200 }

/** Opens a socket without a session: the server refuses it (and audits the refusal, which it cannot write). */
function anonymousSocket(url: string): Promise<string> {
  return new Promise((resolve) => {
    const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true })
    s.on('connect_error', (e) => {
      s.close()
      resolve(e.message)
    })
  })
}

describe('a store held by another process', () => {
  let dir: string
  let t: TestApp
  let url: string
  let other: Db
  const time = clock()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'os-locked-'))
    const store = createSqliteStore({ file: join(dir, 'onescreen.sqlite'), busyTimeoutMs: 300 })
    t = await buildTestApp({ store, now: time.now })
    url = await t.listen()
    await t.as('operator')
    await t.as('wall')
  })
  afterAll(async () => {
    other?.close()
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 503 naming the lock, keeps every read, and commits again once the lock is released', async () => {
    other = new Database(join(dir, 'onescreen.sqlite'))
    other.exec('BEGIN IMMEDIATE')
    time.advance(5 * MINUTE) // every session's "last seen" is due: its write fails, its reads must not
    const refused = await reportAs(t, 'operator')
    expect(refused.statusCode).toBe(503)
    expect(refused.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' })
    expect(refused.json().message).toMatch(/write lock/)
    expect(refused.headers['retry-after']).toBe('30')
    expect(await wallReads(t)).toEqual(ALL_200)
    expect((await t.app.inject({ url: '/api/health/ready' })).statusCode).toBe(503)
    expect((await t.app.inject({ url: '/api/health' })).json()).toMatchObject({ ok: true, writable: false })
    expect(await anonymousSocket(url)).toBe('unauthorized')
    other.exec('COMMIT')
    time.advance(5000) // past the readiness probe's two seconds
    expect((await reportAs(t, 'operator')).statusCode).toBe(201)
    expect((await t.app.inject({ url: '/api/health/ready' })).json()).toEqual({ ok: true })
  })
})

const isRoot = process.getuid?.() === 0

describe.runIf(isRoot)('a full disk (tmpfs, as root)', () => {
  let mnt: string
  let t: TestApp
  let url: string
  const time = clock()
  const filler = () => join(mnt, 'filler.bin')

  beforeAll(async () => {
    mnt = mkdtempSync(join(tmpdir(), 'os-tmpfs-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt])
    mkdirSync(join(mnt, 'data'))
    const store = createSqliteStore({ file: join(mnt, 'data', 'onescreen.sqlite'), minFreeBytes: 2 * 1024 * 1024 })
    t = await buildTestApp({ store, now: time.now })
    url = await t.listen()
    for (const role of ['operator', 'wall', 'commander'])
      await t.as(role)
    expect((await reportAs(t, 'operator')).statusCode).toBe(201)
  })
  afterEach(() => rmSync(filler(), { force: true }))
  afterAll(async () => {
    await t.close()
    spawnSync('umount', ['-l', mnt])
    rmSync(mnt, { recursive: true, force: true })
  })

  /** Writes until the volume says ENOSPC. */
  function fillDisk(): void {
    const fd = openSync(filler(), 'w')
    const chunk = Buffer.alloc(256 * 1024, 1)
    try {
      for (;;) writeSync(fd, chunk)
    }
    catch (e) {
      expect((e as { code?: string }).code).toBe('ENOSPC')
    }
    finally {
      closeSync(fd)
    }
  }

  it('keeps the hall up on a full disk: 503 on writes, reads and the wall stream go on, health says why', async () => {
    const head = (await t.app.inject({ url: '/api/health' })).json().seq as number
    const wall = watcher(url, head, (await t.as('wall')).cookie)
    await wall.ready
    fillDisk()
    time.advance(5 * MINUTE)
    const refused = await reportAs(t, 'operator')
    expect(refused.statusCode).toBe(503)
    expect(refused.json().message).toMatch(/disk is full/)
    const declare = await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '磁盘满测试' } })
    expect(declare.statusCode).toBe(503)
    expect(await wallReads(t)).toEqual(ALL_200)
    // A reconnecting anonymous client is refused, and its refusal's audit row cannot be written: the server lives.
    expect(await anonymousSocket(url)).toBe('unauthorized')
    const reconnect = watcher(url, head, (await t.as('wall')).cookie)
    await reconnect.ready
    expect(reconnect.sync).toMatchObject({ kind: 'changes', seq: head })
    reconnect.close()
    expect((await t.app.inject({ url: '/api/health/live' })).json()).toEqual({ ok: true })
    time.advance(5000)
    const ready = await t.app.inject({ url: '/api/health/ready' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json().message).toMatch(/disk is full/)
    // Space again: the next report commits and reaches the wall that stayed connected.
    rmSync(filler())
    const made = await reportAs(t, 'operator')
    expect(made.statusCode).toBe(201)
    await wall.until(head + 1)
    expect(wall.received.map(c => c.id)).toEqual([made.json().id])
    wall.close()
  })
})

/** Starts the real server on a data directory and returns how it ended (it must not start). */
function startOn(dataDir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/index.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', ONESCREEN_DATA_DIR: dataDir, ONESCREEN_DEMO: '1', ONESCREEN_SIMULATE: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('starting on a store another process holds', () => {
  it('starts read-only and says so: a signed-in desk reads, a refusal still stands, ready once the lock is gone', async () => {
    const first = await startServer()
    const login = await fetch(`${first.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: demoPassword('operator') }) })
    const cookie = login.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    const { csrf } = await login.json() as { csrf: string }
    await first.stop()
    const other = new Database(join(first.dataDir, 'onescreen.sqlite'))
    other.exec('BEGIN IMMEDIATE')
    const server = await startServer({ dataDir: first.dataDir })
    try {
      expect(server.startupOutput).toContain('OneScreen starts READ-ONLY: the store cannot write now: another process holds the database write lock')
      expect((await fetch(`${server.url}/api/snapshot`, { headers: { cookie } })).status).toBe(200)
      expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ ok: true, writable: false })
      const write = await fetch(`${server.url}/api/wartime/declare`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ reason: '演练' }) })
      // Only the commander may declare: the operator's refusal stands although its audit row cannot be written.
      expect(write.status).toBe(403)
      other.exec('COMMIT')
      other.close()
      await new Promise(r => setTimeout(r, 2100)) // past the readiness probe's two seconds
      expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200)
    }
    finally {
      await server.stop()
    }
    // Two real starts of the demo (the first back-fills 13 months): slow on a shared machine at low priority.
  }, 120_000)
})

describe('starting on a store it cannot open', () => {
  it.runIf(isRoot)('names the database and the fix on a read-only volume (tmpfs remounted read-only, as root)', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'os-ro-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt])
    try {
      const store = createSqliteStore({ file: join(mnt, 'data', 'onescreen.sqlite') })
      await store.migrate()
      await store.close()
      execFileSync('mount', ['-o', 'remount,ro', mnt])
      const run = startOn(join(mnt, 'data'))
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(`cannot open the store at ${join(mnt, 'data', 'onescreen.sqlite')}: SQLITE_CANTOPEN`)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
    finally {
      spawnSync('umount', ['-l', mnt])
      rmSync(mnt, { recursive: true, force: true })
    }
  })

  it('names the path and the fix when the data directory cannot be created, with no stack trace', () => {
    // A data directory under a regular file cannot be created, whoever runs the test.
    const dir = mkdtempSync(join(tmpdir(), 'os-noopen-'))
    const file = join(dir, 'not-a-directory')
    closeSync(openSync(file, 'w'))
    const run = startOn(join(file, 'data'))
    rmSync(dir, { recursive: true, force: true })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`cannot open the store at ${join(file, 'data', 'onescreen.sqlite')}`)
    expect(run.stderr).toContain('ONESCREEN_DATA_DIR')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})
