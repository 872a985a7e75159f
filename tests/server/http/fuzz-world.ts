import type { FastifyInstance, RouteOptions } from 'fastify'
import type { TestApp } from '../../helpers/app.ts'
import type { JsonSchema } from './fuzz-arbitraries.ts'
import dc from 'node:diagnostics_channel'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { DEMO_INTEGRATION_KEY, demoPassword } from '../../../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../../../server/auth/plugin.ts'
import { monthOf } from '../../../shared/kernel/time.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// The server under fuzz: its routes as Fastify registered them, the callers, and the ids it knows, so random
// requests reach the paths behind a lookup (an action on an incident that exists, a task of the caller's own).

export interface Route { method: string, url: string, schema: { body?: JsonSchema, params?: JsonSchema, querystring?: JsonSchema } }

export const CALLERS = ['anonymous', 'wall', 'leader', 'grid_worker', 'operator', 'commander', 'admin', 'integration'] as const
export type Caller = typeof CALLERS[number]
export interface Session { cookie: string, csrf: string }

/** Ids the server holds: by the API segment that names them (`incidents`, `tasks`, …), or by what they are. */
const POOLS = ['incidents', 'tasks', 'plans', 'share-links', 'devices', 'api-keys', 'photos', 'messages', 'warnings', 'tokens', 'people', 'grids', 'communities', 'categories', 'sectors', 'posts', 'months', 'usernames'] as const
export type Pool = typeof POOLS[number]
export const isPool = (name: string): name is Pool => (POOLS as readonly string[]).includes(name)

export interface World {
  t: TestApp
  routes: Route[]
  known: Record<Pool, string[]>
  session: (who: Caller) => Session | null
  /** Signs a caller in again after the fuzz logged it out. */
  renew: (who: Caller) => Promise<void>
  /** Valid requests that give the pools something to aim at: a photo, reports, a plan running with tasks, a message, … */
  seed: () => Promise<void>
  close: () => Promise<void>
}

/**
 * A fixed clock: rate-limit windows, sessions and months do not depend on how fast the machine is, so the
 * fixed seed replays the same run. (A budget spent stays spent: the fuzz reaches 429s too.)
 */
const NOW = new Date('2026-12-06T09:30:00+08:00')

export const capFixture = (name: string) => readFileSync(new URL(`../../fixtures/cap/${name}`, import.meta.url), 'utf8')

/** The app with every route collected through Fastify's `fastify.initialization` channel, before any is added. */
export async function buildWorld(): Promise<World> {
  const routes: Route[] = []
  const collect = (msg: unknown) => (msg as { fastify: FastifyInstance }).fastify.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat())
      routes.push({ method, url: r.url, schema: (r.schema ?? {}) as Route['schema'] })
  })
  const dataDir = mkdtempSync(join(tmpdir(), 'onescreen-fuzz-'))
  dc.subscribe('fastify.initialization', collect)
  const t = await buildTestApp({ now: () => NOW, config: { dataDir } }).finally(() => dc.unsubscribe('fastify.initialization', collect))
  const { ctx } = t
  const ref = ctx.reference
  const fx = fixtures(ctx)
  const known: Record<Pool, string[]> = {
    'incidents': [],
    'tasks': [],
    'plans': (await ctx.wartime.plans()).map(p => p.id),
    'share-links': [],
    'devices': [],
    'api-keys': [],
    'photos': [],
    'messages': [],
    'warnings': [],
    'tokens': [],
    'people': ref.org.people.map(p => p.id),
    'grids': ref.territory.grids.map(g => g.id),
    'communities': ref.territory.communities.map(c => c.id),
    'categories': ctx.catalog.categories.map(c => c.code),
    'sectors': ctx.catalog.sectors.map(s => s.id),
    'posts': ctx.catalog.posts.map(p => p.id),
    'months': [monthOf(NOW), '2026-01', '2020-01', '2099-12'],
    'usernames': CALLERS.filter(c => c !== 'anonymous' && c !== 'integration'),
  }

  const sessions = new Map<Caller, Session & { gridId?: string, personId: string | null }>()
  async function renew(who: Caller) {
    if (who === 'anonymous' || who === 'integration')
      return
    const o = await ctx.auth.login(who, demoPassword(who))
    if (!o)
      throw new Error(`sign-in as ${who} failed`)
    sessions.set(who, { cookie: `${SESSION_COOKIE}=${o.token}`, csrf: o.session.csrf, gridId: o.principal.gridIds[0], personId: o.principal.personId })
  }
  for (const who of CALLERS)
    await renew(who)
  const session = (who: Caller) => sessions.get(who) ?? null

  async function post(who: Caller, url: string, payload: unknown, headers: Record<string, string> = {}) {
    const s = session(who)
    const auth = who === 'integration' ? { authorization: `Bearer ${DEMO_INTEGRATION_KEY}` } : s ? { 'cookie': s.cookie, 'x-csrf-token': s.csrf } : {}
    const res = await t.app.inject({ method: 'POST', url, headers: { ...auth, ...headers }, payload: payload as string })
    if (res.statusCode >= 300)
      throw new Error(`seeding: POST ${url} as ${who} answered ${res.statusCode}: ${res.body}`)
    return res.json() as { id: string, token?: string, link?: { id: string } }
  }

  async function seed() {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).jpeg().toBuffer()
    const head = 'Content-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg'
    const photo = await post('operator', '/api/photos', Buffer.concat([Buffer.from(`--seed\r\n${head}\r\n\r\n`), jpeg, Buffer.from('\r\n--seed--\r\n')]), { 'content-type': 'multipart/form-data; boundary=seed' })
    known.photos.push(photo.id)
    const own = ref.territory.grids.find(g => g.id === session('grid_worker')?.gridId) ?? fx.grid
    known.incidents.push(
      (await post('operator', '/api/incidents', fx.report({ photos: [photo.id] }))).id,
      (await post('integration', '/api/incidents', fx.report({ channel: 'hotline_12345' }))).id,
      (await post('grid_worker', '/api/incidents', fx.report({ location: own.center }))).id,
    )
    await post('grid_worker', '/api/patrols', { location: own.center, note: '模糊测试' })
    known.warnings.push((await post('integration', '/api/cap', capFixture('oasis-example2-thunderstorm.xml'), { 'content-type': 'application/cap+xml' })).id)

    // A plan that reaches the grid worker, so one of the socket callers holds a task of their own.
    if (await ctx.wartime.active())
      await post('commander', '/api/wartime/end', { reason: '重新开始' })
    await post('commander', '/api/wartime/declare', { reason: '模糊测试' })
    const worker = session('grid_worker')?.personId
    const plans = await ctx.wartime.plans()
    const plan = plans.find(p => matchPlan(p, ref).some(a => a.personId === worker)) ?? plans[0]
    if (plan)
      await post('commander', '/api/wartime/activate', { planId: plan.id })
    const tasks = await ctx.wartime.tasks()
    known.tasks.unshift(...tasks.filter(task => task.assigneeId === worker).map(task => task.id), ...tasks.slice(0, 4).map(task => task.id))

    known.messages.push((await post('operator', '/api/messages', { text: '模糊测试', all: true })).id)
    const link = await post('operator', '/api/share-links', { label: 'fuzz', hours: 1 })
    known['share-links'].push(link.link?.id ?? '')
    const device = await post('admin', '/api/devices', { name: 'fuzz wall' })
    known.devices.push(device.id)
    known.tokens.push(link.token ?? '', device.token ?? '')
    known['api-keys'].push((await post('admin', '/api/api-keys', { name: 'fuzz key' })).id)
  }

  return {
    t,
    routes,
    known,
    session,
    renew,
    seed,
    async close() {
      await t.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Values the server knows for a field of this name; `scope` is the pool an `id` comes from. */
export function hintsFor(world: Pick<World, 'known' | 't'>, scope: string) {
  const { known } = world
  const from = (pool: Pool) => fc.nat().map(i => known[pool][i % known[pool].length] ?? pool)
  const territory = world.t.ctx.reference.territory
  const byKey: Record<string, fc.Arbitrary<unknown>> = {
    id: isPool(scope) ? from(scope) : fc.constant(scope),
    photo: from('photos'),
    photos: from('photos'),
    personId: from('people'),
    assigneeId: from('people'),
    mergeInto: from('incidents'),
    planId: from('plans'),
    warningId: from('warnings'),
    category: from('categories'),
    sectorId: from('sectors'),
    postId: from('posts'),
    gridIds: from('grids'),
    communityIds: from('communities'),
    token: from('tokens'),
    month: from('months'),
    upTo: from('months'),
    username: from('usernames'),
    expectedVersion: fc.integer({ min: 1, max: 4 }),
    since: fc.integer({ min: 0, max: 40 }),
    location: fc.constantFrom(...territory.grids.slice(0, 5).map(g => g.center), territory.subdistrict.center),
  }
  return (key: string) => byKey[key]
}
