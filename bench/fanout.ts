// Fan-out capacity: the highest change rate at which 150 screens still see p99 ≤ 50 ms, real app vs a bare
// Socket.IO broadcast of the same payload. Deliveries/s = rate × screens. Each side steps its rate up ×1.5 from
// 100/s until p99 breaks 50 ms, then halves the last step twice (geometric bisection, so the answer is within
// ≈ 1.1× of the true edge). Rounds alternate the sides (ABBA); the figure is each side's median over rounds.
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import type { ClientsResult } from './lib/live-clients.ts'
import type { Target } from './lib/live-targets.ts'
import { alternate, changeTemplate, median, ms, percentiles, perSec, sleep, times } from './lib/common.ts'
import { Clients } from './lib/live-clients-process.ts'
import { appTarget, bareTarget } from './lib/live-targets.ts'
import { drive } from './live-latency.ts'

const P99_LIMIT_MS = 50
const START_RATE = 10
const STEP = 1.5
const MAX_RATE = 6000
const WARMUP_S = 1
const MEASURE_S = 3

interface Step { rate: number, p99: number, ok: boolean }
interface SideRun { capacity: number, steps: Step[], errors: string[], notes: string[] }

function lossErrors(label: string, r: ClientsResult, expected: number): string[] {
  const out: string[] = []
  if (r.missing > 0 || r.incomplete > 0)
    out.push(`${label}: ${r.missing} change deliveries missing over ${r.incomplete} incomplete client(s)`)
  if (r.repeats > 0)
    out.push(`${label}: ${r.repeats} repeated/out-of-order deliveries`)
  if (r.snapshots > 0 || r.disconnects > 0)
    out.push(`${label}: ${r.snapshots} snapshot(s), ${r.disconnects} disconnect(s) instead of the change stream`)
  if (r.missing === 0 && r.samples.length !== expected)
    out.push(`${label}: ${r.samples.length} latency samples, expected ${expected}`)
  return out
}

/** One side, one round: a fresh server and 150 screens, the rate stepped up on the same connections. */
async function runSide(label: string, makeTarget: () => Promise<Target>, screens: number): Promise<SideRun> {
  const target = await makeTarget()
  const clients = new Clients()
  const errors: string[] = [...target.errors()]
  const steps: Step[] = []
  const notes: string[] = []
  // Past its capacity a side can fall so far behind that screens miss their heartbeat and drop: that ends the
  // climb (the screens here do not resume) and is noted, not counted as lost changes.
  const side = { dropped: false }
  try {
    await clients.ask({ type: 'connect', url: target.url, clients: screens, since: 0, cookies: target.cookies }, 'connected')
    const { offset } = await clients.clockOffset()
    await clients.ask({ type: 'start', offset }, 'started')
    await sleep(500)
    const head0 = await target.head()
    let next = 0
    const step = async (rate: number): Promise<Step> => {
      const warm = await drive(target, rate, WARMUP_S, next)
      next += warm.submitted
      await clients.ask({ type: 'collect', lastSeq: await target.drain(), timeoutMs: 30_000 }, 'result')
      const run = await drive(target, rate, MEASURE_S, next)
      next += run.submitted
      const lastSeq = await target.drain()
      const res = await clients.ask({ type: 'collect', lastSeq, timeoutMs: 30_000 }, 'result')
      if (res.disconnects > 0) {
        side.dropped = true
        notes.push(`${label} at ${Math.round(rate)}/s: ${res.disconnects} screen(s) dropped (heartbeat missed while overloaded); climb ended`)
        return { rate, p99: Number.POSITIVE_INFINITY, ok: false }
      }
      errors.push(...lossErrors(`${label} at ${Math.round(rate)}/s`, res, run.submitted * screens))
      if (lastSeq - head0 !== next)
        errors.push(`${label}: ${next} changes submitted after seq ${head0} but the last seq is ${lastSeq}`)
      const p99 = percentiles(res.samples).p99
      const s = { rate, p99, ok: p99 <= P99_LIMIT_MS }
      steps.push(s)
      return s
    }
    // A rate that misses once is tried again: one stall from a neighbour should not end the climb (same for both sides).
    // A step far over the limit is not retried: the side is overloaded, not unlucky.
    const holds = async (rate: number) => {
      const first = await step(rate)
      return first.ok || (errors.length === 0 && !side.dropped && first.p99 <= 4 * P99_LIMIT_MS && (await step(rate)).ok)
    }
    let lo = 0
    let hi = 0
    for (let rate = START_RATE; rate <= MAX_RATE && errors.length === 0 && !side.dropped; rate *= STEP) {
      if (!(await holds(rate))) {
        hi = rate
        break
      }
      lo = rate
    }
    // Two geometric bisections between the last rate that held and the first that did not.
    for (let i = 0; i < 2 && hi > 0 && lo > 0 && errors.length === 0 && !side.dropped; i++) {
      const mid = Math.sqrt(lo * hi)
      if (await holds(mid))
        lo = mid
      else hi = mid
    }
    errors.push(...target.errors())
    return { capacity: lo, steps, errors, notes }
  }
  finally {
    await clients.ask({ type: 'finish', lastSeq: 0, timeoutMs: 1000 }, 'result').catch(() => null)
    await clients.exit()
    await target.close()
  }
}

export async function fanout(opts: BenchOptions): Promise<BenchResult> {
  const screens = opts.clients ?? 150
  const rounds = opts.long ? 5 : 3
  const template = await changeTemplate()
  const runs = await alternate(rounds, () => runSide('bare', () => bareTarget(template), screens), () => runSide('app', () => appTarget(screens), screens))
  const bare = runs.a
  const app = runs.b
  const capBare = median(bare.map(r => r.capacity))
  const capApp = median(app.map(r => r.capacity))
  const ratio = capApp / capBare
  const trail = (rs: SideRun[]) => rs.map(r => r.steps.map(s => `${Math.round(s.rate)}:${ms(s.p99)}${s.ok ? '' : '✗'}`).join(' ')).join(' | ')
  const errors = [...app.flatMap(r => r.errors), ...bare.flatMap(r => r.errors)]
  const rows: Row[] = [
    { metric: `deliveries/s at p99 ≤ ${P99_LIMIT_MS} ms`, value: perSec(capApp * screens), baseline: perSec(capBare * screens), ratio: times(ratio), goal: '≥ 0.9×', pass: ratio >= 0.9 },
    { metric: 'changes/s sustained (median)', value: perSec(capApp), baseline: perSec(capBare), ratio: '', goal: '', pass: null },
    { metric: 'changes/s per round', value: app.map(r => Math.round(r.capacity)).join(', '), baseline: bare.map(r => Math.round(r.capacity)).join(', '), ratio: '', goal: '', pass: null },
    { metric: 'delivered in order, no gap', value: errors.length === 0 ? 'all' : 'NO', baseline: '', ratio: '', goal: 'all', pass: errors.length === 0 },
  ]
  return {
    name: `fanout (${screens} screens, rate ×${STEP} from ${START_RATE}/s then 2 bisections, a miss retried once, ${WARMUP_S}+${MEASURE_S} s per step, ${rounds} rounds per side, alternating)`,
    rows,
    errors,
    notes: [
      `app steps (rate:p99): ${trail(app)}`,
      `bare steps (rate:p99): ${trail(bare)}`,
      'bare: one emit per change (as submitted); app: one change:batch per group commit, so a faster rate packs more changes per frame',
      ...app.flatMap(r => r.notes),
      ...bare.flatMap(r => r.notes),
    ],
  }
}
