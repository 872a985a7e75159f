// Change → screen latency: 150 real socket.io-client screens (in a child process) while changes are
// committed at a fixed rate. Baseline, same run: a bare Socket.IO server broadcasting the same payload.
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import type { ClientsResult } from './lib/live-clients.ts'
import type { Target } from './lib/live-targets.ts'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { changeTemplate, ms, now, percentiles, sleep, times } from './lib/common.ts'
import { Clients } from './lib/live-clients-process.ts'
import { appTarget, bareTarget } from './lib/live-targets.ts'

/** One measured round against one target (raw samples, merged across rounds). */
interface Phase {
  clients: ClientsResult
  lag: number[]
  serverSide: number[]
  /** The server process's event-loop delay p99 while measuring, ms. */
  loopP99: number
  /** Server-process CPU while measuring, in % of one core. */
  cpu: number
  submitted: number
  clockOffset: number
  errors: string[]
}

const WARMUP_SECONDS = 3

/** Calls submit(i) at start + i / rate. The submit time is the scheduled time, so a late timer counts as latency. */
export async function drive(target: Target, rate: number, seconds: number, first: number): Promise<{ submitted: number, lag: number[] }> {
  const total = Math.round(rate * seconds)
  const interval = 1000 / rate
  const start = now() + 20
  const lag: number[] = []
  let i = 0
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = now()
      while (i < total && start + i * interval <= t) {
        const scheduled = start + i * interval
        lag.push(now() - scheduled)
        target.submit(first + i, scheduled)
        i++
      }
      if (i >= total)
        return resolve()
      setTimeout(tick, Math.max(0, start + i * interval - now()))
    }
    tick()
  })
  return { submitted: total, lag }
}

async function runPhase(target: Target, opts: { clients: number, rate: number, seconds: number }): Promise<Phase> {
  const clients = new Clients()
  try {
    await clients.ask({ type: 'connect', url: target.url, clients: opts.clients, since: 0, cookies: target.cookies }, 'connected')
    const { offset } = await clients.clockOffset()
    await clients.ask({ type: 'start', offset }, 'started')
    await sleep(500) // let the handshakes' follow-up traffic settle
    const errors: string[] = []
    const head0 = await target.head()
    // Warm-up (JIT, socket buffers): delivered and order-checked, but its latencies are dropped.
    const warm = await drive(target, opts.rate, WARMUP_SECONDS, 0)
    const warmSeq = await target.drain()
    const reset = await clients.ask({ type: 'reset', lastSeq: warmSeq, timeoutMs: 15_000 }, 'reset')
    if (!reset.ok)
      errors.push(`not every client held seq ${warmSeq} after the warm-up`)
    const loop = monitorEventLoopDelay({ resolution: 1 })
    loop.enable()
    const cpu0 = process.cpuUsage()
    const t0 = now()
    const skip = target.serverSide().length
    const { submitted, lag } = await drive(target, opts.rate, opts.seconds, warm.submitted)
    const lastSeq = await target.drain()
    const cpu = process.cpuUsage(cpu0)
    const elapsed = now() - t0
    loop.disable()
    const result = await clients.ask({ type: 'finish', lastSeq, timeoutMs: 15_000 }, 'result')
    errors.push(...target.errors())
    if (lastSeq - head0 !== warm.submitted + submitted)
      errors.push(`${warm.submitted + submitted} changes submitted after seq ${head0} but the last seq is ${lastSeq}`)
    return {
      clients: result,
      lag,
      loopP99: loop.percentile(99) / 1e6,
      cpu: (cpu.user + cpu.system) / 1000 / elapsed * 100,
      submitted,
      clockOffset: offset,
      serverSide: target.serverSide().slice(skip),
      errors,
    }
  }
  finally {
    await clients.exit()
  }
}

interface Side {
  latency: ReturnType<typeof percentiles>
  serverSide: ReturnType<typeof percentiles>
  lag: ReturnType<typeof percentiles>
  loopP99: number
  cpu: number
  clientsCpu: number
  deliveries: number
  clockOffsets: number[]
  errors: string[]
}

function merge(label: string, phases: Phase[]): Side {
  const all = new Float64Array(phases.reduce((n, p) => n + p.clients.samples.length, 0))
  let at = 0
  for (const p of phases) {
    all.set(p.clients.samples, at)
    at += p.clients.samples.length
  }
  const mean = (f: (p: Phase) => number) => phases.reduce((a, p) => a + f(p), 0) / phases.length
  return {
    latency: percentiles(all),
    serverSide: percentiles(phases.flatMap(p => p.serverSide)),
    lag: percentiles(phases.flatMap(p => p.lag)),
    loopP99: mean(p => p.loopP99),
    cpu: mean(p => p.cpu),
    clientsCpu: mean(p => p.clients.cpu),
    deliveries: all.length,
    clockOffsets: phases.map(p => p.clockOffset),
    errors: phases.flatMap((p, i) => lossErrors(`${label} round ${i + 1}`, p)),
  }
}

function lossErrors(label: string, p: Phase): string[] {
  const c = p.clients
  const out = p.errors.map(e => `${label}: ${e}`)
  if (c.missing > 0 || c.incomplete > 0)
    out.push(`${label}: ${c.missing} change deliveries missing over ${c.incomplete} incomplete client(s) of ${c.clients}`)
  if (c.repeats > 0)
    out.push(`${label}: ${c.repeats} repeated/out-of-order deliveries`)
  if (c.snapshots > 0)
    out.push(`${label}: ${c.snapshots} client(s) got a snapshot instead of the change stream`)
  if (c.disconnects > 0)
    out.push(`${label}: ${c.disconnects} client disconnect(s) during the run`)
  if (c.unstamped > 0)
    out.push(`${label}: ${c.unstamped} change(s) without a submit stamp`)
  const expected = p.submitted * c.clients
  if (c.samples.length !== expected && c.missing === 0)
    out.push(`${label}: ${c.samples.length} latency samples, expected ${expected}`)
  return out
}

export async function liveLatency(opts: BenchOptions): Promise<BenchResult> {
  const clients = opts.clients ?? 150
  const rate = opts.rate ?? 100
  const seconds = opts.liveSeconds ?? (opts.long ? 120 : 20)
  const template = await changeTemplate()
  // ABBA: bare, app, app, bare — each side gets half its time early and half late, so a noisy
  // neighbour or a drifting machine does not land on one side only.
  const shape = { clients, rate, seconds: seconds / 2 }
  const order: ('bare' | 'app')[] = ['bare', 'app', 'app', 'bare']
  const phases: Record<'bare' | 'app', Phase[]> = { bare: [], app: [] }
  for (const kind of order) {
    const target = kind === 'bare' ? await bareTarget(template) : await appTarget(clients)
    try {
      phases[kind].push(await runPhase(target, shape))
    }
    finally {
      await target.close()
    }
  }
  const bare = merge('bare', phases.bare)
  const real = merge('app', phases.app)

  const b = bare.latency
  const a = real.latency
  const ratio = a.p99 / b.p99
  const row = (metric: string, av: number, bv: number): Row => ({ metric, value: ms(av), baseline: ms(bv), ratio: times(av / bv), goal: '', pass: null })
  const pct = (v: number) => `${v.toFixed(0)}%`
  const rows: Row[] = [
    row('p50 change→screen', a.p50, b.p50),
    row('p95 change→screen', a.p95, b.p95),
    { metric: 'p99 change→screen', value: ms(a.p99), baseline: ms(b.p99), ratio: times(ratio), goal: '≤ 1.2×', pass: ratio <= 1.2 },
    row('p99.9 change→screen', a.p999, b.p999),
    row('max change→screen', a.max, b.max),
    row('p50 server-side (submit→emitted)', real.serverSide.p50, bare.serverSide.p50),
    row('p99 server-side (submit→emitted)', real.serverSide.p99, bare.serverSide.p99),
    row('driver timer lag p99', real.lag.p99, bare.lag.p99),
    row('server event-loop delay p99', real.loopP99, bare.loopP99),
    { metric: 'server CPU (one core = 100%)', value: pct(real.cpu), baseline: pct(bare.cpu), ratio: times(real.cpu / bare.cpu), goal: '', pass: null },
    { metric: 'clients CPU (child process)', value: pct(real.clientsCpu), baseline: pct(bare.clientsCpu), ratio: times(real.clientsCpu / bare.clientsCpu), goal: '', pass: null },
  ]
  const errors = [...real.errors, ...bare.errors]
  rows.push({
    metric: 'delivered in order, no gap',
    value: `${real.deliveries.toLocaleString('en-US')} deliveries`,
    baseline: `${bare.deliveries.toLocaleString('en-US')} deliveries`,
    ratio: '',
    goal: 'all',
    pass: errors.length === 0,
  })
  const size = Buffer.byteLength(JSON.stringify([template]))
  const offsets = [...real.clockOffsets, ...bare.clockOffsets].map(o => Math.abs(o))
  return {
    name: `live-latency (${clients} clients, ${rate} changes/s, ${seconds} s measured per side in 2 rounds, order bare-app-app-bare)`,
    rows,
    errors,
    notes: [
      `payload: one serialized Change per broadcast, ${size} bytes of JSON; screens are signed-in walls (app) or anonymous (bare)`,
      `latency = screen receive time − scheduled submit time; each round drops a ${WARMUP_SECONDS} s warm-up; child/parent clock offset ≤ ${Math.max(...offsets).toFixed(3)} ms, corrected`,
    ],
  }
}
