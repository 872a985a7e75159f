// A thousand screens back after a server restart: from the restarted server listening to the last screen holding
// the newest seq, real app vs a bare Socket.IO server. Each screen resumes from the seq it holds; while the server
// was down GAP changes were committed, so every screen must receive exactly those, in order, once (continuity is
// checked from seq 1: the first connect asks since 0). The screens live in child processes, 500 per child.
import type { Server as HttpServer } from 'node:http'
import type { IncidentChange } from '../shared/sync/schema.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import type { ReconnectResult } from './lib/live-clients.ts'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { Server } from 'socket.io'
import { buildApp } from '../server/app.ts'
import { SESSION_COOKIE } from '../server/auth/plugin.ts'
import { alternate, benchCall, benchContext, benchDir, changeTemplate, median, ms, percentiles, reportBody, sleep, stampDescription, times } from './lib/common.ts'
import { Clients } from './lib/live-clients-process.ts'

const PER_CHILD = 500
/** Changes committed while the server is down (half a second at 100 changes/s). */
const GAP = 50
/** Changes streamed before the restart, so every screen holds a live state. */
const BEFORE = 50

interface Restartable {
  url: string
  cookies: string[]
  /** Commits n changes through the running server; resolves with the head. */
  commit: (n: number) => Promise<number>
  /** Stops the server (dropping every socket). */
  stop: () => Promise<void>
  /** Starts it again on the same port after committing `gap` changes; resolves with the head once listening. */
  start: (gap: number) => Promise<number>
  close: () => Promise<void>
}

/** A bare Socket.IO server holding its log in memory; on connect it sends what the socket missed, per socket. */
async function bareSide(template: IncidentChange, screens: number): Promise<Restartable> {
  void screens
  const log: IncidentChange[] = []
  const make = (seq: number): IncidentChange => ({ ...template, seq, data: { ...template.data, description: stampDescription(0) } })
  let http: HttpServer
  let io: Server
  let port = 0
  const listen = async () => {
    http = createServer()
    io = new Server(http, { serveClient: false, pingInterval: 5000, pingTimeout: 4000 })
    io.on('connection', (socket) => {
      void socket.join('live')
      const since = Number((socket.handshake.auth as { since?: unknown }).since ?? 0)
      socket.emit('sync:changes', { changes: log.slice(since), head: log.length })
    })
    await new Promise<void>(resolve => http.listen(port, '127.0.0.1', resolve))
    const addr = http.address()
    port = typeof addr === 'object' && addr ? addr.port : 0
  }
  await listen()
  return {
    url: `http://127.0.0.1:${port}`,
    cookies: [],
    async commit(n) {
      for (let i = 0; i < n; i++) {
        log.push(make(log.length + 1))
        io.to('live').emit('change:batch', [log.at(-1)!])
      }
      return log.length
    },
    async stop() {
      io.disconnectSockets(true)
      await io.close()
    },
    async start(gap) {
      for (let i = 0; i < gap; i++) log.push(make(log.length + 1))
      await listen()
      return log.length
    },
    async close() {
      io.disconnectSockets(true)
      await io.close()
    },
  }
}

/** The real app on a SQLite file: stopped (store closed), reopened with a fresh context, listening on the same port. */
async function appSide(screens: number): Promise<Restartable> {
  const tmp = benchDir('reconnect')
  const file = join(tmp.dir, 'onescreen.sqlite')
  let { ctx, store } = await benchContext(file)
  let { app } = await buildApp(ctx)
  const { token } = await ctx.auth.createCredential('device', 'bench wall', ['wall'], 'bench')
  const cookies = await Promise.all(Array.from({ length: screens }, async () => {
    const opened = await ctx.auth.openDevice(token)
    if (!opened)
      throw new Error('could not open a wall session')
    return `${SESSION_COOKIE}=${opened.token}`
  }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  let n = 0
  const report = async (count: number) => {
    const all = await Promise.all(Array.from({ length: count }, () => {
      const i = n++
      return ctx.incidents.report(reportBody(ctx, i, stampDescription(0)), benchCall(`bench-reconnect:${i}`))
    }))
    const bad = all.find(r => !r.ok)
    if (bad && !bad.ok)
      throw new Error(`report refused: ${bad.code} ${bad.message}`)
    return store.head()
  }
  const down = async () => {
    await app.close()
    ctx.presence.close()
    await store.close()
  }
  return {
    url: `http://127.0.0.1:${port}`,
    cookies,
    commit: report,
    stop: down,
    async start(gap) {
      ({ ctx, store } = await benchContext(file))
      const head = await report(gap)
      ;({ app } = await buildApp(ctx))
      await app.listen({ port, host: '127.0.0.1' })
      return head
    },
    async close() {
      await down()
      tmp.cleanup()
    },
  }
}

interface Round { ms: number, times: number[], snapshots: number, errors: string[] }

async function round(label: string, side: () => Promise<Restartable>, screens: number): Promise<Round> {
  const target = await side()
  const children = Array.from({ length: Math.ceil(screens / PER_CHILD) }, () => new Clients())
  const all = <T>(f: (c: Clients, i: number) => Promise<T>) => Promise.all(children.map(f))
  const errors: string[] = []
  try {
    await all((c, i) => {
      const count = Math.min(PER_CHILD, screens - i * PER_CHILD)
      const cookies = target.cookies.slice(i * PER_CHILD, i * PER_CHILD + count)
      return c.ask({ type: 'connect', url: target.url, clients: count, since: 0, cookies }, 'connected', 120_000)
    })
    await all(c => c.ask({ type: 'start', offset: 0 }, 'started'))
    const held = await target.commit(BEFORE)
    const before = await all(c => c.ask({ type: 'collect', lastSeq: held, timeoutMs: 30_000 }, 'result'))
    if (before.some(r => r.incomplete > 0 || r.missing > 0))
      errors.push(`${label}: not every screen held seq ${held} before the restart`)
    await target.stop()
    const down = await all(c => c.ask({ type: 'down', timeoutMs: 15_000 }, 'down'))
    if (down.some(d => !d.ok))
      errors.push(`${label}: the server's stop left screens connected`)
    await sleep(200)
    const head = await target.start(GAP)
    const back: ReconnectResult[] = await all(c => c.ask({ type: 'reconnect', lastSeq: head, timeoutMs: 60_000 }, 'reconnected', 90_000))
    const incomplete = back.reduce((a, r) => a + r.incomplete, 0)
    const missing = back.reduce((a, r) => a + r.missing, 0)
    const repeats = back.reduce((a, r) => a + r.repeats, 0)
    if (incomplete > 0 || missing > 0)
      errors.push(`${label}: ${incomplete} screen(s) not back at seq ${head}, ${missing} seq(s) missing`)
    if (repeats > 0)
      errors.push(`${label}: ${repeats} repeated/out-of-order deliveries`)
    return { ms: Math.max(...back.map(r => r.ms)), times: back.flatMap(r => r.times), snapshots: back.reduce((a, r) => a + r.snapshots, 0), errors }
  }
  finally {
    await all(c => c.ask({ type: 'finish', lastSeq: 0, timeoutMs: 1000 }, 'result').catch(() => null))
    await all(c => c.exit())
    await target.close().catch(() => null)
  }
}

export async function reconnect(opts: BenchOptions): Promise<BenchResult> {
  const screens = opts.clients ?? 1000
  const rounds = opts.long ? 5 : 3
  const template = await changeTemplate()
  const runs = await alternate(rounds, () => round('bare', () => bareSide(template, screens), screens), () => round('app', () => appSide(screens), screens))
  const bare = median(runs.a.map(r => r.ms))
  const app = median(runs.b.map(r => r.ms))
  const ratio = app / bare
  const errors = [...runs.b.flatMap(r => r.errors), ...runs.a.flatMap(r => r.errors)]
  const p50 = (rs: Round[]) => median(rs.map(r => percentiles(r.times).p50))
  const rows: Row[] = [
    { metric: `${screens} screens back at the head (last screen)`, value: ms(app), baseline: ms(bare), ratio: times(ratio), goal: '≤ 1.1×', pass: ratio <= 1.1 },
    { metric: 'per round', value: runs.b.map(r => r.ms.toFixed(0)).join(', '), baseline: runs.a.map(r => r.ms.toFixed(0)).join(', '), ratio: '', goal: '', pass: null },
    { metric: 'median screen back', value: ms(p50(runs.b)), baseline: ms(p50(runs.a)), ratio: times(p50(runs.b) / p50(runs.a)), goal: '', pass: null },
    { metric: 'screens caught up by snapshot', value: String(runs.b.reduce((a, r) => a + r.snapshots, 0)), baseline: String(runs.a.reduce((a, r) => a + r.snapshots, 0)), ratio: '', goal: '', pass: null },
    { metric: 'every seq 1..head once, in order', value: errors.length === 0 ? 'all' : 'NO', baseline: '', ratio: '', goal: 'all', pass: errors.length === 0 },
  ]
  return {
    name: `reconnect (${screens} screens in ${Math.ceil(screens / PER_CHILD)} child processes, ${GAP} changes missed while down, ${rounds} rounds per side, alternating)`,
    rows,
    errors,
    notes: [
      'time = the restarted server listening → the last screen holding the head (its catch-up applied); median over rounds',
      `app: signed-in walls (one session each) resuming with auth.since; bare: anonymous sockets, the server sends each socket the same ${GAP} missed changes from memory`,
    ],
  }
}
