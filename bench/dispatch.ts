// One click → 150 tasks persisted, delivered and acknowledged (phones acknowledge at once), against a bare
// Socket.IO emitWithAck to 150 clients with the same payloads, in the same run. The phones live in a child
// process (this file, forked with DISPATCH_PHONES=1), so the server's event loop is the one measured.
import type { Socket } from 'socket.io-client'
import type { AppContext } from '../server/context.ts'
import type { Task } from '../shared/wartime/schema.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Server } from 'socket.io'
import { io as connect } from 'socket.io-client'
import { buildApp } from '../server/app.ts'
import { INTERNAL } from '../server/audit/service.ts'
import { demoPassword, ensureAccounts } from '../server/auth/accounts.ts'
import { SESSION_COOKIE } from '../server/auth/plugin.ts'
import { configFromEnv } from '../server/config.ts'
import { createContext } from '../server/context.ts'
import { createSqliteStore } from '../server/db/sqlite/store.ts'
import { entity } from '../server/db/store.ts'
import { drillPlan, narrowPlan } from '../server/drill/plan.ts'
import { JULY_RAINSTORM_PLAN } from '../shared/wartime/default-plans.ts'
import { buildTasks, matchPlan } from '../shared/wartime/plans.ts'
import { benchDir, ms, now, percentiles, sleep, times } from './lib/common.ts'

/** `silent`: the places in `cookies` of phones that confirm receipt but never acknowledge (the re-send ladder's case). */
type ToPhones = { type: 'connect', url: string, cookies: string[], silent?: number[] } | { type: 'close' }
type FromPhones = { type: 'connected' } | { type: 'dropped' } | { type: 'error', message: string }

const RESPONDERS = 150
const PLAN_ID = 'bench-dispatch'

/** The phones: a real socket.io-client each. App tasks get a receipt and an acknowledgement at once; bare pushes an ack. */
function phones(): void {
  const sockets: Socket[] = []
  process.on('message', async (m: ToPhones) => {
    if (m.type === 'close') {
      sockets.forEach(s => s.close())
      process.exit(0)
    }
    try {
      const silent = new Set(m.silent ?? [])
      await Promise.all(m.cookies.map((cookie, i) => new Promise<void>((resolve, reject) => {
        const s = connect(m.url, { transports: ['websocket'], forceNew: true, auth: { since: null, stream: false }, extraHeaders: cookie ? { cookie } : {} })
        sockets.push(s)
        const answer = (task: Task) => {
          if (task.state === 'sent')
            s.emit('task:received', { id: task.id })
          if (!silent.has(i) && (task.state === 'sent' || task.state === 'delivered'))
            s.emit('task:status', { opId: task.id, id: task.id, body: { state: 'acknowledged' } }, () => {})
        }
        s.on('task:changed', (task: Task, ack?: (r: unknown) => void) => typeof ack === 'function' ? ack({ ok: true }) : answer(task))
        // As the field app does after a drop: fetch what was pushed meanwhile.
        s.io.on('reconnect', () => void fetch(`${m.url}/api/tasks/mine`, { headers: { cookie } }).then(async r => (await r.json()) as Task[]).then(tasks => tasks.forEach(answer), () => {}))
        s.once('sync:changes', () => resolve())
        s.once('sync:snapshot', () => resolve())
        s.once('connect_error', e => reject(e))
        s.on('disconnect', () => process.send!({ type: 'dropped' } satisfies FromPhones))
      })))
      process.send!({ type: 'connected' } satisfies FromPhones)
    }
    catch (e) {
      process.send!({ type: 'error', message: String(e) } satisfies FromPhones)
    }
  })
}
if (process.env.DISPATCH_PHONES === '1' && process.send)
  phones()

export async function startPhones(url: string, cookies: string[], silent: number[] = []) {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, DISPATCH_PHONES: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let drops = 0
  let closing = false
  const reply = await new Promise<FromPhones>((resolve, reject) => {
    child.on('message', (m: FromPhones) => {
      if (m.type === 'dropped')
        drops += closing ? 0 : 1
      else
        resolve(m)
    })
    child.once('exit', code => reject(new Error(`phones exited with ${code}`)))
    child.send({ type: 'connect', url, cookies, silent } satisfies ToPhones)
  })
  if (reply.type === 'error')
    throw new Error(`phones: ${reply.message}`)
  return {
    drops: () => drops,
    async close() {
      closing = true
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.send({ type: 'close' } satisfies ToPhones)
      await exited
    },
  }
}

/**
 * The storm drill's plan, stored: the July rainstorm plan narrowed to reach exactly 150 people, its clocks run
 * `speed` times faster; and a signed-in phone (a session cookie) for each person it reaches, in the order reached.
 */
export async function stormPlan(ctx: AppContext, id: string, speed: number) {
  const ref = ctx.reference
  const gridCommunity = new Map(ref.territory.grids.map(g => [g.id, g.communityId]))
  const narrowed = narrowPlan(JULY_RAINSTORM_PLAN, matchPlan(JULY_RAINSTORM_PLAN, ref), gridId => gridCommunity.get(gridId), RESPONDERS)
  const at = new Date().toISOString()
  const plan = { ...drillPlan(JULY_RAINSTORM_PLAN, speed, narrowed?.communities), id, version: 1, updatedAt: at }
  await ctx.store.commit({ mutations: [entity('plan', plan, 'create', at)] })
  const reach = matchPlan(plan, ref)
  if (reach.length !== RESPONDERS)
    throw new Error(`the bench plan reaches ${reach.length} people, not ${RESPONDERS}`)
  const cookies = await Promise.all(reach.map(async (a) => {
    const person = ref.org.people.find(p => p.id === a.personId)!
    const { token } = await ctx.auth.createCredential('person', person.name, person.roles, 'bench', undefined, person.id)
    return `${SESSION_COOKIE}=${(await ctx.auth.openDevice(token))!.token}`
  }))
  return { plan, reach, cookies }
}

interface Side { run: () => Promise<number[]>, close: () => Promise<void>, drops: () => number }
/** Where the app's time goes, per round: click → the 150 tasks committed and pushed; click → the operator's HTTP answer. */
interface Phases { pushed: number[], answered: number[], groups: number[], taskWrites: number[] }

/** The real app: a plan reaching 150 people, their phones signed in, the operator's click over HTTP. */
async function appSide(dir: string): Promise<Side & { sample: Task[], phases: Phases }> {
  const config = configFromEnv({ ONESCREEN_DATA_DIR: dir, ONESCREEN_DEMO: '1', ONESCREEN_SIMULATE: '0', ONESCREEN_STATIC_DIR: '', HOST: '127.0.0.1', PORT: '0' })
  const store = createSqliteStore({ file: join(dir, 'onescreen.sqlite') })
  const ctx: AppContext = await createContext(config, { store })
  await ensureAccounts(ctx)
  const ref = ctx.reference
  const { plan, reach, cookies } = await stormPlan(ctx, PLAN_ID, 1)
  const operator = (await ctx.auth.login('operator', demoPassword('operator')))!
  const commander = (await ctx.auth.login('commander', demoPassword('commander')))!
  const { app } = await buildApp(ctx)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  const phones = await startPhones(url, cookies)
  const phases: Phases = { pushed: [], answered: [], groups: [], taskWrites: [] }
  return {
    phases,
    drops: phones.drops,
    sample: buildTasks('op-000000000000-000000', plan, reach, ref, new Date()),
    async run() {
      const op = await ctx.wartime.declare({ principal: commander.principal, origin: INTERNAL }, { reason: 'bench' })
      if (!op.ok)
        throw new Error(`declare refused: ${op.message}`)
      const acked: number[] = []
      let t0 = 0
      let groups = 0
      let taskWrites = 0
      const offGroups = store.onGroup?.(() => groups++)
      const off = store.onCommit((changes) => {
        const t = now()
        if (changes.some(c => c.kind === 'operation' && c.action === 'activate'))
          phases.pushed.push(t - t0)
        for (const c of changes) {
          if (c.kind === 'task' && c.data.operationId === op.data.id && c.action !== 'send')
            taskWrites++
          if (c.kind === 'task' && c.action === 'acknowledged' && c.data.operationId === op.data.id)
            acked.push(t - t0)
        }
      })
      t0 = now()
      const res = await fetch(`${url}/api/wartime/activate`, { method: 'POST', headers: { 'content-type': 'application/json', 'cookie': `${SESSION_COOKIE}=${operator.token}`, 'x-csrf-token': operator.session.csrf }, body: JSON.stringify({ planId: PLAN_ID }) })
      if (res.status !== 200)
        throw new Error(`activate → ${res.status} ${await res.text()}`)
      phases.answered.push(now() - t0)
      const deadline = now() + 30_000
      while (acked.length < RESPONDERS && now() < deadline) await sleep(2)
      // Receipts still waiting to be folded or written land after the last acknowledgement: counted in this round.
      await sleep(100)
      off()
      offGroups?.()
      phases.groups.push(groups)
      phases.taskWrites.push(taskWrites)
      await ctx.wartime.end({ principal: commander.principal, origin: INTERNAL }, { reason: 'bench' })
      if (acked.length < RESPONDERS)
        throw new Error(`only ${acked.length} of ${RESPONDERS} tasks acknowledged within 30 s`)
      return acked
    },
    async close() {
      await phones.close()
      await app.close()
      ctx.presence.close()
      await store.close()
    },
  }
}

/** A bare Socket.IO server: each of the 150 clients gets its own task by emitWithAck, nothing stored. */
async function bareSide(sample: Task[]): Promise<Side> {
  const http = createServer()
  const io = new Server(http, { serveClient: false, pingInterval: 5000, pingTimeout: 4000 })
  io.on('connection', socket => socket.emit('sync:changes', { changes: [], head: 0 }))
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const addr = http.address()
  const phones = await startPhones(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, sample.map(() => ''))
  return {
    drops: phones.drops,
    async run() {
      const sockets = [...io.sockets.sockets.values()]
      const t0 = now()
      return Promise.all(sockets.map((s, i) => s.timeout(30_000).emitWithAck('task:changed', sample[i]!).then(() => now() - t0)))
    },
    async close() {
      await phones.close()
      io.disconnectSockets(true)
      await io.close()
    },
  }
}

export async function dispatch(opts: BenchOptions): Promise<BenchResult> {
  const rounds = opts.long ? 40 : 12
  const tmp = benchDir('dispatch')
  const app = await appSide(tmp.dir)
  const bare = await bareSide(app.sample)
  const samples = { app: [] as number[], bare: [] as number[] }
  const roundP99 = { app: [] as number[], bare: [] as number[] }
  const errors: string[] = []
  try {
    // One warm-up each (JIT, socket buffers, the SQLite page cache), then alternating pairs, ABBA.
    await app.run()
    await bare.run()
    app.phases.pushed.length = 0
    app.phases.answered.length = 0
    app.phases.groups.length = 0
    app.phases.taskWrites.length = 0
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 === 0 ? (['bare', 'app'] as const) : (['app', 'bare'] as const)) {
        const got = await (side === 'app' ? app : bare).run()
        if (got.length !== RESPONDERS)
          errors.push(`${side} round ${i + 1}: ${got.length} acknowledgements, expected ${RESPONDERS}`)
        samples[side].push(...got)
        roundP99[side].push(percentiles(got).p99)
      }
    }
  }
  finally {
    await app.close()
    await bare.close()
    tmp.cleanup()
  }
  const a = percentiles(samples.app)
  const b = percentiles(samples.bare)
  const mid = (v: number[]) => percentiles(v).p50
  const row = (metric: string, av: number, bv: number, goal = '', pass: boolean | null = null): Row => ({ metric, value: ms(av), baseline: ms(bv), ratio: times(av / bv), goal, pass })
  const size = Buffer.byteLength(JSON.stringify(app.sample[0]))
  return {
    name: `dispatch (one click → ${RESPONDERS} tasks persisted, delivered, acknowledged; ${rounds} rounds per side, alternating)`,
    rows: [
      row('p50 click→ack', a.p50, b.p50),
      row('p99 click→ack', a.p99, b.p99, '≤ 1.3×', a.p99 / b.p99 <= 1.3),
      row('max click→ack', a.max, b.max),
      row('median of per-round p99', mid(roundP99.app), mid(roundP99.bare)),
      { metric: 'app: click→150 tasks committed+pushed (p50)', value: ms(mid(app.phases.pushed)), baseline: '', ratio: '', goal: '', pass: null },
      { metric: 'app: click→operator\'s HTTP answer (p50)', value: ms(mid(app.phases.answered)), baseline: '', ratio: '', goal: '', pass: null },
      { metric: 'app: durable commits (groups) per round (p50)', value: `${mid(app.phases.groups)}`, baseline: '', ratio: '', goal: '', pass: null },
      { metric: `app: task writes after the click per round (p50; ${RESPONDERS} = one per phone)`, value: `${mid(app.phases.taskWrites)}`, baseline: '', ratio: '', goal: '', pass: null },
      { metric: 'phone connections dropped (reconnected)', value: `${app.drops()}`, baseline: `${bare.drops()}`, ratio: '', goal: '', pass: null },
      { metric: 'acknowledged, none missing', value: `${samples.app.length}`, baseline: `${samples.bare.length}`, ratio: '', goal: 'all', pass: errors.length === 0 },
    ],
    errors,
    notes: [
      `app: POST /api/wartime/activate as the operator → one transaction of ${RESPONDERS} tasks → task:changed to each phone → the phone emits task:received and task:status(acknowledged) → ack = the acknowledged task durably committed (synchronous=FULL), read from the store's commit listener`,
      `bare: node:http + socket.io, emitWithAck of the same task JSON (${size} B each) to each of ${RESPONDERS} clients, ack = the client's callback back at the server; both measured in the server process from the click`,
    ],
  }
}
