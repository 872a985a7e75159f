import type { Config } from '../../server/config.ts'
import type { AppContext } from '../../server/context.ts'
import type { Store } from '../../server/db/store.ts'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { demoPassword, ensureAccounts } from '../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../server/auth/plugin.ts'
import { configFromEnv } from '../../server/config.ts'
import { createContext } from '../../server/context.ts'
import { createPgStore } from '../../server/db/postgres/store.ts'
import { createSqliteStore } from '../../server/db/sqlite/store.ts'
import { newSchemaName, pgUrl } from './pg.ts'

export interface AuthHeaders { [header: string]: string, 'cookie': string, 'x-csrf-token': string }

export interface TestApp {
  ctx: AppContext
  app: Awaited<ReturnType<typeof buildApp>>['app']
  /** Signs in a demo account (username = role) and returns headers that act as it (cookie + CSRF token). */
  as: (username: string) => Promise<AuthHeaders>
  /** A leader's read-only session from a new share link (made by the commander). */
  shareSession: () => Promise<AuthHeaders>
  /** A person's enrolled phone (the admin enrols it, the phone opens its session with the token). */
  phoneOf: (personId: string) => Promise<AuthHeaders>
  /** Starts listening on a free loopback port and returns its URL. */
  listen: () => Promise<string>
  close: () => Promise<void>
}

export function testConfig(over: Partial<Config> = {}): Config {
  // Every setting's default, then what tests need: no listening port, no data directory, no simulator.
  return { ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir: '/nonexistent', demo: true, simulate: false, escalateEveryMs: 3_600_000, staticDir: null, reportsPerMinute: 10_000, ...over }
}

/**
 * The store a test app gets: an in-memory SQLite, or with ONESCREEN_TEST_DIALECT=postgres a new tenant schema of the
 * test PostgreSQL (dropped when the store closes). A test that names a file keeps SQLite.
 */
export function testStore(file?: string): Store {
  if (file !== undefined || process.env.ONESCREEN_TEST_DIALECT !== 'postgres')
    return createSqliteStore({ file: file ?? ':memory:' })
  const store = createPgStore({ url: pgUrl(), schema: newSchemaName(), max: 4 })
  const close = store.close
  return Object.assign(store, {
    async close() {
      // Closed first (what is queued is committed), then the schema goes, on a connection of its own.
      await close()
      const c = new pg.Client({ connectionString: pgUrl() })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`).finally(() => c.end())
    },
  })
}

/**
 * `n` whole apps (nodes) on one new PostgreSQL tenant schema, each listening on its own port, as several nodes of a
 * cluster would be; `close()` closes them and drops the schema.
 */
export async function nodesOnOneTenant(n = 2): Promise<{ schema: string, apps: TestApp[], urls: string[], close: () => Promise<void> }> {
  const schema = newSchemaName('nodes')
  const apps: TestApp[] = []
  for (let i = 0; i < n; i++)
    apps.push(await buildTestApp({ store: createPgStore({ url: pgUrl(), schema, max: 4, pollMs: 100 }) }))
  const urls = await Promise.all(apps.map(a => a.listen()))
  return {
    schema,
    apps,
    urls,
    async close() {
      for (const a of apps.reverse()) await a.close()
      const c = new pg.Client({ connectionString: pgUrl() })
      await c.connect()
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end())
    },
  }
}

/** Two nodes on one tenant for a `describe`: started before its tests, closed after them. */
export function twoNodesOnOneTenant(): { a: TestApp, b: TestApp, urlA: string, urlB: string } {
  let nodes: Awaited<ReturnType<typeof nodesOnOneTenant>> | null = null
  beforeAll(async () => {
    nodes = await nodesOnOneTenant(2)
  })
  afterAll(async () => nodes?.close())
  const held = () => nodes ?? (() => {
    throw new Error('the nodes start in beforeAll')
  })()
  return {
    get a() { return held().apps[0]! },
    get b() { return held().apps[1]! },
    get urlA() { return held().urls[0]! },
    get urlB() { return held().urls[1]! },
  }
}

/** The whole app on an in-memory store: demo accounts, no simulator, no static client. */
export async function buildTestApp(opts: { now?: () => Date, file?: string, store?: Store, config?: Partial<Config> } = {}): Promise<TestApp> {
  const store = opts.store ?? testStore(opts.file)
  const ctx = await createContext(testConfig(opts.config), { store, now: opts.now })
  await ensureAccounts(ctx)
  const { app } = await buildApp(ctx)
  const sessions = new Map<string, AuthHeaders>()
  async function as(username: string): Promise<AuthHeaders> {
    const known = sessions.get(username)
    if (known)
      return known
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: demoPassword(username) } })
    if (res.statusCode !== 200)
      throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`)
    const headers = sessionHeaders(res)
    sessions.set(username, headers)
    return headers
  }
  return {
    ctx,
    app,
    as,
    async shareSession() {
      const link = await app.inject({ method: 'POST', url: '/api/share-links', headers: await as('commander'), payload: { hours: 2 } })
      return sessionHeaders(await app.inject({ method: 'POST', url: '/api/auth/share', payload: { token: link.json().token } }))
    },
    async phoneOf(personId) {
      const enrolled = await app.inject({ method: 'POST', url: '/api/enrolments', headers: await as('admin'), payload: { personId } })
      if (enrolled.statusCode !== 201)
        throw new Error(`enrolling ${personId} failed: ${enrolled.statusCode} ${enrolled.body}`)
      return sessionHeaders(await app.inject({ method: 'POST', url: '/api/auth/device', payload: { token: enrolled.json().token } }))
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' })
      const addr = app.server.address()
      return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    },
    async close() {
      await app.close()
      await ctx.presence.close()
      await store.close()
    },
  }
}

/** The headers that act as the session a sign-in answer opened. */
function sessionHeaders(res: { cookies: { name: string, value: string }[], json: () => { csrf: string } }): AuthHeaders {
  const cookie = res.cookies.find(c => c.name === SESSION_COOKIE)
  if (!cookie)
    throw new Error('the answer opened no session')
  return { 'cookie': `${SESSION_COOKIE}=${cookie.value}`, 'x-csrf-token': res.json().csrf }
}

/** A point inside the n-th grid and the code of the first category routed to the given loop. */
export function fixtures(ctx: AppContext) {
  const grid = ctx.reference.territory.grids[0]!
  const category = (loop: string) => ctx.catalog.categories.find(c => c.loop === loop)!.code
  return {
    grid,
    point: grid.center,
    category,
    report: (over: Record<string, unknown> = {}) => ({ category: category('grid'), description: '楼道堆放杂物', location: grid.center, ...over }),
  }
}
