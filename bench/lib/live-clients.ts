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
    | ClientsResult

type Screen = Socket<ServerToClientEvents, ClientToServerEvents>

interface State { socket: Screen, last: number, missing: number, repeats: number }

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
    const socket: Screen = io(url, { auth: { since }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000, extraHeaders: cookie ? { cookie } : {} })
    const st: State = { socket, last: since ?? 0, missing: 0, repeats: 0 }
    states.push(st)
    socket.on('change:batch', (changes) => {
      // Receive time first: everything after this line is the screen's own work.
      take(st, changes, now())
    })
    socket.on('sync:changes', (page) => {
      take(st, page.changes, null)
      resolve()
    })
    socket.on('sync:snapshot', (snap) => {
      snapshots++
      st.last = snap.seq
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
  const cpu = process.cpuUsage(cpu0)
  const elapsed = now() - t0
  const result: ClientsResult = {
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
  for (const s of states) s.socket.close()
  send(result)
  // Let the IPC message drain, then leave.
  setTimeout(() => process.exit(0), 100)
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
})
