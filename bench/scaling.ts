// How the server's cost grows with the work (#18 item 6): the snapshot a wall gets at 1,000 … 100,000 open
// incidents, a reconnecting screen's catch-up for gaps of 1,000 … 100,000 changes (and where the server sends a
// snapshot instead), and the server's memory per connected screen at 150 / 1,000 / 3,000 screens. Each row
// against a baseline in the same run: raw better-sqlite3 reads of the same rows + JSON, a bare Socket.IO server.
import type { AppContext } from '../server/context.ts'
import type { IncidentMutation } from '../server/db/store.ts'
import type { IoSocket } from '../server/realtime/handler.ts'
import type { IoServer } from '../server/realtime/index.ts'
import type { Principal } from '../shared/auth/authz.ts'
import type { Incident } from '../shared/incident/schema.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { createServer } from 'node:http'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { Server } from 'socket.io'
import { buildApp } from '../server/app.ts'
import Database from '../server/db/sqlite/driver.ts'
import { buildBackfill } from '../server/demo/sim/backfill.ts'
import { HEARTBEAT } from '../server/realtime/index.ts'
import { createStreams } from '../server/sync/socket.ts'
import { FINISHED_STATES } from '../shared/incident/lifecycle.ts'
import { alternate, benchContext, benchDir, median, ms, sleep, times, wallCookies } from './lib/common.ts'
import { Clients } from './lib/live-clients-process.ts'

const SNAPSHOT_SIZES = [1_000, 3_000, 10_000, 30_000, 100_000]
const LONG_SNAPSHOT_SIZES = [...SNAPSHOT_SIZES, 200_000]
/** 5,000 and 5,001 sit either side of the server's switch to a snapshot (server/sync/socket.ts MAX_CATCHUP). */
const GAPS = [1_000, 5_000, 5_001, 100_000]
const SCREENS = [150, 1_000, 3_000]
const LONG_SCREENS = [...SCREENS, 5_000]
const ROUNDS = 3

const WALL: Principal = { kind: 'device', id: 'bench-wall', personId: null, name: 'bench wall', roles: ['wall'], gridIds: [], communityId: null, sectorId: null }

const kib = (b: number) => Math.abs(b) >= 1048576 ? `${(b / 1048576).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`
const n = (v: number) => v.toLocaleString('en-US')

/** Open incidents from the demo's history, copied under new ids until there are `total`. */
function openIncidents(seed: IncidentMutation[], from: number, total: number): IncidentMutation[] {
  const finals = new Map<string, IncidentMutation>()
  for (const m of seed) finals.set(m.incident.id, m)
  const open = [...finals.values()].filter(m => !FINISHED_STATES.includes(m.incident.state) && m.incident.state !== 'merged' && m.incident.state !== 'rejected')
  const out: IncidentMutation[] = []
  for (let i = from; i < total; i++) {
    const m = open[i % open.length]!
    const inc: Incident = { ...m.incident, id: `${m.incident.id}_s${i}`, version: 1 }
    out.push({ kind: 'incident', incident: inc, entry: { ...m.entry, from: null, to: inc.state } })
  }
  return out
}

/**
 * The server's real stream start for one wall, on a Socket.IO server that only records what it is asked to send:
 * the stream's own choice (changes or snapshot) and its payload, no network.
 */
function recordingStream(ctx: AppContext): (opts: { since: number | null, stream: boolean }) => Promise<{ event: string, payload: unknown }> {
  let sent: (m: { event: string, payload: unknown }) => void = () => {}
  const emit = (event: string, payload: unknown) => {
    sent({ event, payload })
    return true
  }
  const io = { to: () => ({ emit }), in: () => ({ disconnectSockets: () => {} }) }
  const streams = createStreams(io as unknown as IoServer, ctx)
  const socket = { id: 'bench-wall', data: { principal: WALL }, join: () => {}, emit }
  return async (opts) => {
    const out = new Promise<{ event: string, payload: unknown }>(resolve => (sent = resolve))
    await streams.start(socket as unknown as IoSocket, { ...opts, epoch: null })
    return out
  }
}

async function timed(f: () => Promise<number> | number): Promise<{ ms: number, bytes: number }> {
  const t0 = performance.now()
  const bytes = await f()
  return { ms: performance.now() - t0, bytes }
}

/** Median of ROUNDS alternating (ABBA) rounds per side. */
async function compare(a: () => Promise<number> | number, b: () => Promise<number> | number): Promise<{ a: { ms: number, bytes: number }, b: { ms: number, bytes: number } }> {
  const r = await alternate(ROUNDS, () => timed(a), () => timed(b))
  return { a: { ms: median(r.a.map(x => x.ms)), bytes: r.a[0]!.bytes }, b: { ms: median(r.b.map(x => x.ms)), bytes: r.b[0]!.bytes } }
}

async function snapshotsAndCatchUp(long: boolean, rows: Row[], notes: string[]): Promise<void> {
  const tmp = benchDir('scaling')
  const file = join(tmp.dir, 'scaling.sqlite')
  const { ctx, store } = await benchContext(file)
  const raw = new Database(file, { readonly: true })
  try {
    const seed = buildBackfill(ctx.reference, ctx.catalog, { now: new Date(), months: 2, seed: 'bench-scaling' })
    // The baseline: the same rows by plain SQL on its own connection, parsed and encoded.
    const plainLive = raw.prepare('SELECT data FROM incidents WHERE open = 1 OR finished_at >= ? ORDER BY reported_at')
    const since48h = () => new Date(Date.now() - 48 * 3600_000).toISOString()
    const stream = recordingStream(ctx)
    const snapshotBytes = async () => Buffer.byteLength(JSON.stringify((await stream({ since: null, stream: true })).payload))
    const plainBytes = () => Buffer.byteLength(JSON.stringify((plainLive.all(since48h()) as { data: string }[]).map(r => JSON.parse(r.data) as unknown)))
    let have = 0
    for (const size of long ? LONG_SNAPSHOT_SIZES : SNAPSHOT_SIZES) {
      const more = openIncidents(seed, have, size)
      for (let i = 0; i < more.length; i += 10_000)
        await store.importMutations(more.slice(i, i + 10_000))
      have = size
      const live = (plainLive.all(since48h()) as unknown[]).length
      const r = await compare(snapshotBytes, plainBytes)
      rows.push({ metric: `snapshot to a wall, ${n(live)} live incidents`, value: `${ms(r.a.ms)} · ${kib(r.a.bytes)}`, baseline: `${ms(r.b.ms)} · ${kib(r.b.bytes)}`, ratio: times(r.a.ms / r.b.ms), goal: '', pass: null })
      notes.push(`snapshot at ${n(live)}: ${(r.a.ms * 1000 / live).toFixed(1)} µs and ${(r.a.bytes / live).toFixed(0)} B per incident (baseline ${(r.b.ms * 1000 / live).toFixed(1)} µs)`)
    }
    const head = await store.head()
    const plainChanges = raw.prepare('SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?')
    for (const gap of GAPS) {
      if (gap > head)
        continue
      let path = ''
      const catchUp = async () => {
        const sent = await stream({ since: head - gap, stream: true })
        path = sent.event
        return Buffer.byteLength(JSON.stringify(sent.payload))
      }
      const plain = () => Buffer.byteLength(JSON.stringify((plainChanges.all(head - gap, gap) as { seq: number, at: string, kind: string, entity_id: string, action: string, data: string }[])
        .map(c => ({ seq: c.seq, at: c.at, kind: c.kind, action: c.action, id: c.entity_id, data: JSON.parse(c.data) as unknown }))))
      const r = await compare(catchUp, plain)
      rows.push({ metric: `catch-up, gap of ${n(gap)} changes → ${path === 'sync:snapshot' ? 'snapshot' : 'changes'}`, value: `${ms(r.a.ms)} · ${kib(r.a.bytes)}`, baseline: `${ms(r.b.ms)} · ${kib(r.b.bytes)} log rows`, ratio: times(r.a.ms / r.b.ms), goal: '', pass: null })
    }
    notes.push(`catch-up: the log holds ${n(head)} changes and ${n(have)} open incidents; a gap over 5,000 (server/sync/socket.ts MAX_CATCHUP) is answered with the whole snapshot`)
  }
  finally {
    raw.close()
    ctx.presence.close()
    await store.close()
    tmp.cleanup()
  }
}

/** The baseline server: node:http + Socket.IO, the app's heartbeat, one room, an empty catch-up on connect. */
async function bareServer(): Promise<{ url: string, io: Server, close: () => Promise<void> }> {
  const http = createServer()
  const io = new Server(http, { serveClient: false, ...HEARTBEAT })
  io.on('connection', (socket) => {
    void socket.join('live')
    socket.emit('sync:changes', { changes: [], head: 0 })
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const addr = http.address()
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    io,
    async close() {
      io.disconnectSockets(true)
      await io.close()
    },
  }
}

/** Forces a full GC (the bench is not started with --expose-gc). */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
})()

async function settled(): Promise<{ rss: number, heap: number }> {
  await sleep(300)
  gc()
  gc()
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed + m.external }
}

/** Server memory (RSS, heap + external) per connected screen: N screens in a child process connect and stay. */
async function perScreen(url: string, cookies: string[], screens: number, connected: () => number): Promise<{ rss: number, heap: number, connectMs: number, held: number }> {
  const before = await settled()
  const clients = new Clients()
  try {
    const done = await clients.ask({ type: 'connect', url, clients: screens, since: null, cookies }, 'connected', 180_000)
    const after = await settled()
    // Divided by the screens still connected: a screen dropped by the heartbeat under load holds nothing.
    const held = connected()
    return { rss: (after.rss - before.rss) / Math.max(1, held), heap: (after.heap - before.heap) / Math.max(1, held), connectMs: done.ms, held }
  }
  finally {
    await clients.ask({ type: 'finish', lastSeq: 0, timeoutMs: 1000 }, 'result').catch(() => undefined)
    await clients.exit()
    await sleep(500)
  }
}

async function memory(long: boolean, rows: Row[], notes: string[]): Promise<void> {
  const tmp = benchDir('scaling-mem')
  const { ctx, store } = await benchContext(join(tmp.dir, 'mem.sqlite'))
  const { app, io } = await buildApp(ctx)
  // Screens share 50 wall sessions (a session per screen would time session writes, not connections).
  const cookies = await wallCookies(ctx, 50)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const appUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  const bare = await bareServer()
  try {
    for (const screens of long ? LONG_SCREENS : SCREENS) {
      // One round each way, app first at odd sizes and bare first at even ones: connecting thousands of screens is
      // the slow part of this bench, and the per-screen figure is steady.
      const first = screens === 1_000 ? 'bare' : 'app'
      const r: Record<'app' | 'bare', Awaited<ReturnType<typeof perScreen>>> = {} as never
      for (const side of first === 'app' ? ['app', 'bare'] as const : ['bare', 'app'] as const)
        r[side] = await perScreen(side === 'app' ? appUrl : bare.url, side === 'app' ? cookies : [], screens, () => (side === 'app' ? io : bare.io).engine.clientsCount)
      const dropped = r.app.held < screens || r.bare.held < screens ? ` (held ${n(r.app.held)} / ${n(r.bare.held)})` : ''
      rows.push({ metric: `server heap+external per screen, ${n(screens)} screens${dropped}`, value: kib(r.app.heap), baseline: kib(r.bare.heap), ratio: times(r.app.heap / r.bare.heap), goal: '', pass: null })
      rows.push({ metric: `server RSS per screen, ${n(screens)} screens${dropped}`, value: kib(r.app.rss), baseline: kib(r.bare.rss), ratio: r.bare.rss > 0 ? times(r.app.rss / r.bare.rss) : '', goal: '', pass: null })
      notes.push(`${n(screens)} screens connected in ${(r.app.connectMs / 1000).toFixed(1)} s (app) vs ${(r.bare.connectMs / 1000).toFixed(1)} s (bare); still connected when measured: ${n(r.app.held)} / ${n(r.bare.held)}`)
    }
  }
  finally {
    await bare.close()
    await app.close()
    ctx.presence.close()
    await store.close()
    tmp.cleanup()
  }
}

export async function scaling(opts: BenchOptions): Promise<BenchResult> {
  const rows: Row[] = []
  const notes: string[] = [
    'snapshot: server/sync/socket.ts createStreams().start for a wall (since null) + JSON.stringify, vs raw SELECT of the same rows (own connection) + JSON.parse each + JSON.stringify; median of 3 ABBA rounds',
    'catch-up: the stream start with since = head − gap (its own choice of changes or snapshot) + JSON.stringify, vs raw SELECT of the gap\'s log rows + parse + stringify',
    'memory: the real app (Fastify + Socket.IO + store) vs a bare Socket.IO server, in this process; screens are socket.io-client websockets in a child process; delta after a forced GC ÷ screens (RSS is a high-water mark: read it as context)',
  ]
  // Memory first: the snapshot rows allocate hundreds of MB that RSS would carry into the memory rows.
  const t0 = performance.now()
  await memory(opts.long, rows, notes)
  const t1 = performance.now()
  await snapshotsAndCatchUp(opts.long, rows, notes)
  notes.push(`took ${((t1 - t0) / 1000).toFixed(0)} s for memory, ${((performance.now() - t1) / 1000).toFixed(0)} s for snapshots and catch-up`)
  return { name: `scaling${opts.long ? ' (--long)' : ''}`, rows, errors: [], notes }
}
