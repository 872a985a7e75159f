import type { Socket } from 'socket.io-client'
import type { JsonSchema } from './fuzz-arbitraries.ts'
import type { HttpCase } from './fuzz-http.ts'
import type { EventName, SocketCase } from './fuzz-socket.ts'
import type { Route } from './fuzz-world.ts'
import fc from 'fast-check'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openings } from './fuzz-arbitraries.ts'
import { httpCase, materialise, shapeProblems } from './fuzz-http.ts'
import { ackProblems, emitCase, EVENTS, socketCase } from './fuzz-socket.ts'
import { buildWorld, isPool } from './fuzz-world.ts'

// Property-based fuzzing of the whole public surface (issue "Hardening"): every /api route and every socket
// event a client may send, with a fixed seed so CI runs the same cases each time. Whatever a client sends, the
// server answers below 500 in the one documented error shape, acks in the documented shape, and keeps serving.
// Dig deeper on demand: FUZZ_RUNS=500 FUZZ_SEED=1 npx vitest run tests/server/http/fuzz.test.ts --testTimeout=0
// (FUZZ_STATS=1 prints how each route answered, to see how far past validation the fuzz gets).

const SEED = Number(process.env.FUZZ_SEED ?? 20261206)
const RUNS = Number(process.env.FUZZ_RUNS ?? 50)
const ACK_WAIT_MS = 3000

/** One seed per route or event, stable when others are added: the fixed seed mixed with its name. */
function seedOf(name: string): number {
  let h = SEED
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619)
  return h >>> 0
}

const w = await buildWorld()
const routes = w.routes.filter(r => r.url.startsWith('/api/'))
// A server error the app only logs (a failed socket receipt, a failed stream start) fails the run too.
const logged = vi.spyOn(console, 'error')
afterAll(async () => {
  logged.mockRestore()
  await w.close()
})

const answers = new Map<string, Record<string, number>>()
function tally(name: string, answer: string | number, field?: string) {
  if (!process.env.FUZZ_STATS)
    return
  const counts = answers.get(name) ?? {}
  const key = field ? `${answer} ${field}` : String(answer)
  counts[key] = (counts[key] ?? 0) + 1
  answers.set(name, counts)
}
afterAll(() => answers.forEach((counts, name) => console.log(name, JSON.stringify(counts))))

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s)

async function stillServing() {
  const res = await w.t.app.inject('/api/health')
  expect(res.statusCode, res.body).toBe(200)
  expect(logged.mock.calls.map(args => args.map(String).join(' ')), 'the server logged errors').toEqual([])
}

describe('every HTTP route', () => {
  beforeAll(() => w.seed())

  it('is found, with path params on every method', () => {
    expect(routes.length).toBeGreaterThan(80)
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'])
      expect(routes.some(r => r.method === method && r.url.includes(':')), method).toBe(true)
  })

  it('checks request bodies strictly: closed objects, nothing that walks unchecked values', () => {
    // A socket payload is an envelope (`{ opId, id, body }`) of which only the named fields are read.
    const bodies = [
      ...routes.map(r => [`${r.method} ${r.url}`, r.schema.body] as const),
      ...Object.entries(EVENTS).map(([e, { schema }]) => [e, (schema as JsonSchema).properties?.body] as const),
    ].filter((b): b is readonly [string, JsonSchema] => b[1] !== undefined)
    expect(bodies.flatMap(([name, s]) => openings(s).map(at => `${name}: ${at}`))).toEqual([])
  })

  async function send(route: Route, c: HttpCase, method = route.method) {
    const req = materialise(w, method, c)
    const res = await w.t.app.inject(req)
    const body = c.body.kind === 'multipart' ? `multipart ${c.body.part}` : JSON.stringify(c.body)
    const where = `${method} ${short(req.url, 200)} as ${c.caller} (content-type ${req.headers['content-type']}, body ${short(body, 300)}) → ${res.statusCode} ${short(res.body, 300)}`
    expect(res.statusCode, where).toBeLessThan(500)
    if (res.statusCode >= 400 && method !== 'HEAD')
      expect(shapeProblems(res.statusCode, res.headers['content-type'] as string | undefined, res.body), where).toEqual([])
    tally(`${method} ${route.url}`, res.statusCode, res.statusCode >= 400 && res.body ? (res.json() as { field?: string }).field : undefined)
    // Keep the world usable: a logout ends the caller's session, and what the fuzz creates becomes a target.
    if (res.statusCode < 300 && /^\/api\/auth\/(?:logout|password)/.test(req.url))
      await w.renew(c.caller)
    const pool = route.url.split('/')[2] ?? ''
    if (res.statusCode < 300 && method === 'POST' && isPool(pool) && String(res.headers['content-type']).startsWith('application/json')) {
      const { id } = res.json() as { id?: unknown }
      if (typeof id === 'string')
        w.known[pool].push(id)
    }
  }

  it.for(routes.map(r => [`${r.method} ${r.url}`, r] as const))('%s answers below 500, errors in the one shape', async ([name, route]) => {
    await fc.assert(fc.asyncProperty(httpCase(w, route), c => send(route, c)), { seed: seedOf(name), numRuns: RUNS })
  })

  it('answers methods and paths no route has in the same shape', async () => {
    const stray = fc.constantFrom(...routes).chain(route => fc.record({
      route: fc.constant(route),
      c: httpCase(w, route),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH'),
      tail: fc.constantFrom('', '/', '/x', '/..', '//', '/%', '/%2e%2e', '.json', ';x', '/api'),
    }))
    await fc.assert(fc.asyncProperty(stray, ({ route, c, method, tail }) => send(route, { ...c, path: c.path + tail }, method)), { seed: seedOf('stray'), numRuns: RUNS })
  })

  it('answers requests racing each other (each sent twice at once) below 500 too', async () => {
    const one = fc.constantFrom(...routes.filter(r => r.method !== 'GET' && r.method !== 'HEAD')).chain(route => fc.record({ route: fc.constant(route), c: httpCase(w, route) }))
    await fc.assert(fc.asyncProperty(fc.array(one, { minLength: 1, maxLength: 4 }), async (batch) => {
      await Promise.all([...batch, ...batch].map(({ route, c }) => send(route, c)))
    }), { seed: seedOf('race'), numRuns: RUNS })
  })

  it('still serves, and logged no error', stillServing)
})

describe('every socket event a client may send', () => {
  type Client = Socket & { dropped: string[] }
  const clients = {} as Record<SocketCase['who'], Client>

  beforeAll(async () => {
    const url = await w.t.listen()
    for (const who of ['operator', 'grid_worker'] as const) {
      await w.renew(who)
      const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: w.session(who)!.cookie } }) as Client
      socket.dropped = []
      socket.on('disconnect', reason => socket.dropped.push(reason))
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject))
      clients[who] = socket
    }
    await w.seed()
  })
  afterAll(() => Object.values(clients).forEach(s => s.close()))

  it.for(Object.keys(EVENTS) as EventName[])('%s acks in the documented shape and keeps the socket', async (event) => {
    await fc.assert(fc.asyncProperty(socketCase(w, event), async (c) => {
      const socket = clients[c.who]
      const { answered, ack } = await emitCase(socket, event, c, ACK_WAIT_MS)
      const where = `${event} from ${c.who} (${c.shape}, ${short(JSON.stringify(c.payload) ?? 'undefined', 300)}) → ${short(JSON.stringify(ack) ?? 'no ack', 300)}`
      if (EVENTS[event].acked && c.shape.includes('ack'))
        expect(answered, `no ack within ${ACK_WAIT_MS} ms (${socket.connected ? 'connected' : `disconnected: ${socket.dropped.join(', ')}`}): ${where}`).toBe(true)
      if (answered)
        expect(ackProblems(ack), where).toEqual([])
      expect(socket.dropped, `disconnected: ${where}`).toEqual([])
      const a = ack as { ok?: boolean, status?: number, field?: string } | undefined
      tally(event, !answered ? 'no ack' : a?.ok ? 'ok' : a?.status ?? '?', a?.field)
    }), { seed: seedOf(event), numRuns: RUNS })
    // Each socket is still connected and answered: the last receipt did not kill it in the background either.
    for (const [who, socket] of Object.entries(clients)) {
      const ack = await socket.timeout(ACK_WAIT_MS).emitWithAck('changes:fetch', { since: 0, limit: 1 }).catch((e: Error) => e.message)
      expect(ackProblems(ack), `${who} after fuzzing ${event}`).toEqual([])
      expect(socket.connected, `${who} after fuzzing ${event}: ${socket.dropped.join(', ')}`).toBe(true)
    }
    expect(logged.mock.calls.map(args => args.map(String).join(' ')), `the server logged errors while ${event} was fuzzed`).toEqual([])
  })

  it('still serves, and logged no error', stillServing)
})
