// Child process of bench/live-latency.ts: N real socket.io-client screens, each on its own websocket.
// Keeping them out of the server's process means the server's event loop is measured, not theirs.
import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { io } from 'socket.io-client'
import { now, sleep, stampOf } from './common.ts'

export type ToClients
  = | { type: 'ping', t: number }
    /** `cookies[i % length]` is client i's session cookie (none for the bare server). */
    | { type: 'connect', url: string, clients: number, since: number | null, cookies: string[] }
    | { type: 'start', offset: number }
    | { type: 'reset', lastSeq: number, timeoutMs: number }
    | { type: 'finish', lastSeq: number, timeoutMs: number }
    /** Like finish, but the screens stay connected and the counters start again (fan-out steps). */
    | { type: 'collect', lastSeq: number, timeoutMs: number }
    /** Waits until the server has dropped every screen (a restart going down). */
    | { type: 'down', timeoutMs: number }
    /** Every screen connects again, asking from the last seq it holds; answers when all hold lastSeq. */
    | { type: 'reconnect', lastSeq: number, timeoutMs: number }

export interface ClientsResult {
  type: 'result'
  /** Every latency sample (ms) since the reset, one per client per change. */
  samples: Float64Array
  clients: number
  /** Clients that did not hold lastSeq when the wait ended. */
  incomplete: number
  /** Seqs skipped (a change arrived whose seq was more than last + 1), summed over clients. */
  missing: number
  /** Changes that arrived with seq <= last (repeats or out of order), summed over clients. */
  repeats: number
  snapshots: number
  disconnects: number
  unstamped: number
  /** This process's CPU between reset and finish, in % of one core. */
  cpu: number
}

export type FromClients
  = | { type: 'pong', t: number, child: number }
    | { type: 'connected', ms: number }
    | { type: 'started' }
    | { type: 'reset', ok: boolean }
    | { type: 'down', ok: boolean }
    | ReconnectResult
    | ClientsResult

export interface ReconnectResult {
  type: 'reconnected'
  /** From the reconnect order to the last screen holding lastSeq (or the timeout), ms. */
  ms: number
  /** Screens that did not hold lastSeq, or got no catch-up, by the timeout. */
  incomplete: number
  /** Screens whose catch-up was a snapshot rather than the missed changes. */
  snapshots: number
  /** Seqs skipped and repeated/out-of-order deliveries since the first connect, summed over screens. */
  missing: number
  repeats: number
  /** Every screen's time from the reconnect order to holding lastSeq, ms. */
  times: number[]
}

type Screen = Socket<ServerToClientEvents, ClientToServerEvents>

interface State {
  socket: Screen
  last: number
  missing: number
  repeats: number
  /** A catch-up (changes or snapshot) arrived since the last connect. */
  synced: boolean
}

const send = (m: FromClients) => process.send!(m)
const states: State[] = []
let offset = 0
let latencies = new Float64Array(1 << 16)
let count = 0
let snapshots = 0
let disconnects = 0
let unstamped = 0
let cpu0 = process.cpuUsage()
let t0 = now()

function record(v: number): void {
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2)
    grown.set(latencies)
    latencies = grown
  }
  latencies[count++] = v
}

function take(st: State, changes: Change[], t: number | null): void {
  for (const c of changes) {
    if (c.seq <= st.last) {
      st.repeats++
      continue
    }
    if (c.seq > st.last + 1)
      st.missing += c.seq - st.last - 1
    st.last = c.seq
    if (t !== null) {
      const stamp = stampOf(c)
      if (Number.isNaN(stamp))
        unstamped++
      else
        record(t - offset - stamp)
    }
  }
}

async function connect(url: string, n: number, since: number | null, cookies: string[]): Promise<void> {
  const started = now()
  await Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((resolve, reject) => {
    const cookie = cookies.length > 0 ? cookies[i % cookies.length]! : null
    const st = { last: since ?? 0, missing: 0, repeats: 0, synced: false } as State
    // The handshake asks from the last seq held, as client/realtime/socket.ts does, so a reconnect resumes.
    const auth = (cb: (a: Record<string, unknown>) => void) => cb({ since: st.synced || since !== null ? st.last : null })
    const socket: Screen = st.socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000, extraHeaders: cookie ? { cookie } : {} })
    states.push(st)
    socket.on('change:batch', (changes) => {
      // Receive time first: everything after this line is the screen's own work.
      take(st, changes, now())
    })
    socket.on('sync:changes', (page) => {
      take(st, page.changes, null)
      st.synced = true
      resolve()
    })
    socket.on('sync:snapshot', (snap) => {
      snapshots++
      st.last = snap.seq
      st.synced = true
      resolve()
    })
    socket.on('disconnect', () => {
      disconnects++
    })
    socket.on('connect_error', reject)
  })))
  send({ type: 'connected', ms: now() - started })
}

async function caughtUp(lastSeq: number, timeoutMs: number): Promise<boolean> {
  const until = now() + timeoutMs
  while (states.some(s => s.last < lastSeq) && now() < until)
    await sleep(20)
  return states.every(s => s.last >= lastSeq)
}

/** End of the warm-up: once every screen holds lastSeq, forget the latencies so far (order checks go on). */
async function reset(lastSeq: number, timeoutMs: number): Promise<void> {
  const ok = await caughtUp(lastSeq, timeoutMs)
  count = 0
  cpu0 = process.cpuUsage()
  t0 = now()
  send({ type: 'reset', ok })
}

async function finish(lastSeq: number, timeoutMs: number): Promise<void> {
  await caughtUp(lastSeq, timeoutMs)
  send(result(lastSeq, true))
  // Let the IPC message drain, then leave.
  setTimeout(() => process.exit(0), 100)
}

/** The counters since the last reset, as a result; `close` ends the screens. */
function result(lastSeq: number, close: boolean): ClientsResult {
  const cpu = process.cpuUsage(cpu0)
  const elapsed = now() - t0
  const out: ClientsResult = {
    type: 'result',
    samples: latencies.slice(0, count),
    clients: states.length,
    incomplete: states.filter(s => s.last < lastSeq).length,
    missing: states.reduce((a, s) => a + s.missing + Math.max(0, lastSeq - s.last), 0),
    repeats: states.reduce((a, s) => a + s.repeats, 0),
    snapshots,
    disconnects,
    unstamped,
    cpu: (cpu.user + cpu.system) / 1000 / elapsed * 100,
  }
  if (close) {
    for (const s of states) s.socket.close()
  }
  return out
}

async function collect(lastSeq: number, timeoutMs: number): Promise<void> {
  await caughtUp(lastSeq, timeoutMs)
  const out = result(lastSeq, false)
  count = 0
  cpu0 = process.cpuUsage()
  t0 = now()
  send(out)
}

async function down(timeoutMs: number): Promise<void> {
  const until = now() + timeoutMs
  while (states.some(s => s.socket.connected) && now() < until)
    await sleep(10)
  send({ type: 'down', ok: states.every(s => !s.socket.connected) })
}

async function reconnect(lastSeq: number, timeoutMs: number): Promise<void> {
  const started = now()
  const snapshots0 = snapshots
  const times: number[] = []
  const done = new Set<State>()
  const check = (st: State) => {
    if (!done.has(st) && st.synced && st.last >= lastSeq) {
      done.add(st)
      times.push(now() - started)
    }
  }
  for (const st of states) {
    st.synced = false
    st.socket.on('sync:changes', () => check(st))
    st.socket.on('sync:snapshot', () => check(st))
    st.socket.on('change:batch', () => check(st))
    st.socket.connect()
  }
  const until = started + timeoutMs
  while (done.size < states.length && now() < until)
    await sleep(5)
  send({
    type: 'reconnected',
    ms: done.size === states.length ? Math.max(...times) : now() - started,
    incomplete: states.length - done.size,
    snapshots: snapshots - snapshots0,
    missing: states.reduce((a, s) => a + s.missing + Math.max(0, lastSeq - s.last), 0),
    repeats: states.reduce((a, s) => a + s.repeats, 0),
    times,
  })
}

process.on('message', (m: ToClients) => {
  if (m.type === 'ping') {
    send({ type: 'pong', t: m.t, child: now() })
  }
  else if (m.type === 'connect') {
    connect(m.url, m.clients, m.since, m.cookies).catch((e: unknown) => {
      console.error('live-clients: connect failed:', e)
      process.exit(2)
    })
  }
  else if (m.type === 'start') {
    offset = m.offset
    send({ type: 'started' })
  }
  else if (m.type === 'reset') {
    void reset(m.lastSeq, m.timeoutMs)
  }
  else if (m.type === 'finish') {
    void finish(m.lastSeq, m.timeoutMs)
  }
  else if (m.type === 'collect') {
    void collect(m.lastSeq, m.timeoutMs)
  }
  else if (m.type === 'down') {
    void down(m.timeoutMs)
  }
  else if (m.type === 'reconnect') {
    void reconnect(m.lastSeq, m.timeoutMs)
  }
})
