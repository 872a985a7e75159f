import type { ChildProcess } from 'node:child_process'
import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime/events.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import bbox from '@turf/bbox'
import pg from 'pg'
import { io } from 'socket.io-client'
import { freePort } from '../scripts/free-port.ts'
import { demoPassword } from '../server/auth/accounts.ts'
import { configFromEnv } from '../server/config.ts'
import { createContext } from '../server/context.ts'
import { createPgStore } from '../server/db/postgres/store.ts'
import { startStickyProxy } from '../server/ops/sticky-proxy.ts'
import { startPhones, stormPlan } from './dispatch.ts'
import { benchDir, ms, sleep } from './lib/common.ts'
import { startPg } from './lib/postgres.ts'

// #19's failure drill, scaled to a bench run: three nodes on one PostgreSQL behind the cookie-sticky proxy, reports
// at a steady rate through every node, each with an Idempotency-Key and a third of them retried at once through
// another node; and the storm drill: at 4 s wartime is declared with a plan reaching 150 responders, whose phones
// are connected through the proxy (spread over the nodes); 120 acknowledge at once, 30 confirm receipt but never
// acknowledge, so the clocks must re-send their tasks (due at about 9 s) and then escalate them (about 5 s later). At
// 10 s the node holding the clocks is killed with SIGKILL; what was sent to it is retried through the others (as a
// phone's outbox would), its phones reconnect through the proxy. Then: every acknowledged report exists exactly
// once, the log is gap-free, every screen holds 1..head in order, the killed node's screen resumed on another node
// without a snapshot, another node took the clocks, every silent task was re-sent once and escalated, no ladder
// step made or sent twice (a stale leader's write fails its version check), every other task acknowledged once.

const root = resolve(import.meta.dirname, '..')
type IoClient = Socket<ServerToClientEvents, ClientToServerEvents>

interface Node { n: number, url: string, child: ChildProcess, leads: number | null, log: string[] }

async function startNode(n: number, db: string, tenant: string): Promise<Node> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'server/index.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ONESCREEN_DATABASE_URL: db, ONESCREEN_TENANT: tenant, ONESCREEN_SIMULATE: '0', ONESCREEN_STATIC_DIR: '', ONESCREEN_REPORTS_PER_MIN: '100000', ONESCREEN_ESCALATE_MS: '1000', ONESCREEN_NOTIFY_MS: '1000', ONESCREEN_LOG_LEVEL: 'warn', ONESCREEN_DATA_DIR: `/tmp/onescreen-bench-${tenant}-${n}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const node: Node = { n, url: `http://127.0.0.1:${port}`, child, leads: null, log: [] }
  const listening = new Promise<void>((done, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      node.log.push(line)
      if (line.includes('this node leads'))
        node.leads = Date.now()
      if (line.includes('OneScreen listening'))
        done()
    })
    createInterface({ input: child.stderr! }).on('line', line => node.log.push(line))
    child.once('exit', code => fail(new Error(`node ${n} exited (${code}) before listening:\n${node.log.slice(-20).join('\n')}`)))
  })
  await listening
  return node
}

async function signIn(url: string, username: string): Promise<{ cookie: string, csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword(username) }) })
  if (res.status !== 200)
    throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]!).find(c => c.startsWith('os_sid='))!
  return { cookie, csrf: ((await res.json()) as { csrf: string }).csrf }
}

/** A screen on one node: what it holds, whether it ever needed a snapshot after the first. */
function screen(url: string, cookie: string) {
  let seq: number | null = null
  let epoch: string | null = null
  const got: number[] = []
  let snapshots = 0
  let resumedAt: number | null = null
  let s: IoClient
  const take = (n: number) => {
    if (seq !== null && n === seq + 1) {
      got.push(n)
      seq = n
    }
    else if (seq !== null && n > seq + 1) {
      // A gap: fetch what is missing, as the wall does.
      void s.emitWithAck('changes:fetch', { since: seq, limit: 1000 }).then((ack) => {
        if (ack.ok)
          ack.data.changes.forEach(c => take(c.seq))
        take(n)
      })
    }
  }
  const connect = (to: string) => {
    s = io(to, { auth: { since: seq, epoch }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } })
    s.on('sync:snapshot', (snap) => {
      snapshots++
      seq = snap.seq
      epoch = snap.epoch
    })
    s.on('sync:changes', (page) => {
      resumedAt ??= Date.now()
      for (const c of page.changes) take(c.seq)
    })
    s.on('change:batch', cs => cs.forEach(c => take(c.seq)))
  }
  connect(url)
  return {
    get seq() { return seq },
    get snapshots() { return snapshots },
    get resumedAt() { return resumedAt },
    got,
    /** Moves the screen to another node, resuming from what it holds. */
    move(to: string) {
      s.close()
      resumedAt = null
      connect(to)
    },
    close: () => s.close(),
  }
}

export async function clusterKill(o: BenchOptions): Promise<BenchResult> {
  const errors: string[] = []
  const notes: string[] = []
  const seconds = o.long ? 40 : 20
  const rate = o.rate ?? 100
  const killAt = 10_000
  const pgServer = await startPg()
  const db = pgServer.url
  const tenant = `bench_${randomBytes(4).toString('hex')}`
  const nodes: Node[] = []
  let phones: Awaited<ReturnType<typeof startPhones>> | null = null
  try {
    nodes.push(await startNode(1, db, tenant))
    nodes.push(...await Promise.all([2, 3].map(n => startNode(n, db, tenant))))
    const proxy = await startStickyProxy({ port: 0, host: '127.0.0.1', targets: nodes.map(n => n.url) })
    const op = await signIn(proxy.url, 'operator')
    const catalog = await (await fetch(`${nodes[0]!.url}/api/catalog`, { headers: { cookie: op.cookie } })).json() as { categories: { code: string, loop: string }[] }
    const territory = await (await fetch(`${nodes[0]!.url}/api/territory`, { headers: { cookie: op.cookie } })).json() as { grids: GeoJSON.FeatureCollection }
    const [w, s, e, n] = bbox(territory.grids.features[0]!)
    const body = (i: number) => ({ category: catalog.categories.find(c => c.loop === 'grid')!.code, description: `集群演练 #${i}`, location: { lon: (w + e) / 2, lat: (s + n) / 2 } })

    // The storm's plan and a phone for each of its 150 people, set up through a store of this process on the tenant.
    const stormDir = benchDir('cluster-storm')
    const setupStore = createPgStore({ url: db, schema: tenant, max: 2 })
    const setup = await createContext(configFromEnv({ ONESCREEN_DATABASE_URL: db, ONESCREEN_TENANT: tenant, ONESCREEN_DATA_DIR: stormDir.dir, ONESCREEN_SIMULATE: '0', ONESCREEN_STATIC_DIR: '' }), { store: setupStore })
    // The plan's clocks 60 times faster: acknowledge within 5 s, re-sent then, escalated 5 s after.
    const storm = await stormPlan(setup, 'cluster-storm', 60)
    setup.presence.close()
    await setupStore.close()
    stormDir.cleanup()
    const people = [...new Set(storm.reach.map(r => r.personId))]
    const silentPeople = new Set(people.filter((_, i) => i % 5 === 0))
    const silent = storm.reach.flatMap((r, i) => silentPeople.has(r.personId) ? [i] : [])
    phones = await startPhones(proxy.url, storm.cookies, silent)
    const commander = await signIn(proxy.url, 'commander')
    const stormAt = 4000
    let declared: Promise<string | null> | null = null
    const declare = async (): Promise<string | null> => {
      const headers = (who: { cookie: string, csrf: string }) => ({ 'content-type': 'application/json', 'cookie': who.cookie, 'x-csrf-token': who.csrf })
      const war = await fetch(`${proxy.url}/api/wartime/declare`, { method: 'POST', headers: headers(commander), body: JSON.stringify({ reason: '集群演练：暴雨红色预警' }) })
      if (war.status !== 201) {
        errors.push(`declare → ${war.status} ${await war.text()}`)
        return null
      }
      const act = await fetch(`${proxy.url}/api/wartime/activate`, { method: 'POST', headers: headers(op), body: JSON.stringify({ planId: storm.plan.id }) })
      if (act.status !== 200)
        errors.push(`activate → ${act.status} ${await act.text()}`)
      return ((await war.json()) as { id: string }).id
    }

    const screens = nodes.map(node => screen(node.url, op.cookie))
    await sleep(1000)
    const leader = nodes.find(x => x.leads !== null)
    if (!leader)
      errors.push('no node said it leads')

    const acked = new Map<string, string>() // key → incident id
    let sent = 0
    let refused = 0
    const alive = () => nodes.filter(x => x.child.exitCode === null && x.child.signalCode === null)
    async function post(i: number, key: string, via: number): Promise<void> {
      // A phone's outbox: the same key again, through another node, until one answers.
      for (let attempt = 0; attempt < 6; attempt++) {
        const live = alive()
        const node = live[(via + attempt) % live.length]!
        try {
          const res = await fetch(`${node.url}/api/incidents`, { method: 'POST', headers: { 'content-type': 'application/json', 'cookie': op.cookie, 'x-csrf-token': op.csrf, 'idempotency-key': key }, body: JSON.stringify(body(i)) })
          if (res.status === 201 || res.status === 200) {
            const id = ((await res.json()) as { id: string }).id
            const before = acked.get(key)
            if (before && before !== id)
              errors.push(`key ${key} answered ${before} and ${id}`)
            acked.set(key, id)
            return
          }
          refused++
        }
        catch {
          // The node is gone: the next attempt goes elsewhere.
        }
        await sleep(100)
      }
      errors.push(`report ${key} never acknowledged`)
    }

    const started = Date.now()
    const inflight: Promise<void>[] = []
    let killedAt: number | null = null
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor((Date.now() - started) / 1000 * rate)
      while (sent < due) {
        const i = sent++
        const key = `cluster-${tenant}-${i}`
        inflight.push(post(i, key, i % 3))
        if (i % 3 === 0)
          inflight.push(post(i, key, (i + 1) % 3))
      }
      if (declared === null && Date.now() - started >= stormAt)
        declared = declare()
      if (killedAt === null && leader && Date.now() - started >= killAt) {
        leader.child.kill('SIGKILL')
        killedAt = Date.now()
        // The killed node's screen reconnects elsewhere, from the seq it holds.
        const i = nodes.indexOf(leader)
        const other = nodes.find(x => x !== leader)!
        await sleep(200)
        screens[i]!.move(other.url)
      }
      await sleep(5)
    }
    await Promise.all(inflight)
    const operationId = await declared

    const client = new pg.Client({ connectionString: db })
    await client.connect()
    await client.query(`SET search_path = ${tenant}`)
    // The storm: every silent task re-sent once and escalated (waited for: the escalations fall due after the load
    // ends), every other task acknowledged once; no task re-sent twice, no ladder step (a delivery row) created or
    // sent twice. A task's escalation is written twice at most: its grid's supervisors, then the last resort.
    interface TaskRow { id: string, assignee: string, state: string }
    const taskRows = async () => (await client.query(`SELECT id, data::json->>'assigneeId' AS assignee, data::json->>'state' AS state FROM entities WHERE kind = 'task' AND data::json->>'operationId' = $1`, [operationId])).rows as TaskRow[]
    const counted = async () => {
      const rows = (await client.query(`SELECT entity_id, action, COUNT(*)::int AS n, MAX(at) AS last FROM changes WHERE kind = 'task' GROUP BY entity_id, action`)).rows as { entity_id: string, action: string, n: number, last: string }[]
      return new Map(rows.map(r => [`${r.entity_id}|${r.action}`, r]))
    }
    const times = (c: Map<string, { n: number }>, id: string, action: string) => c.get(`${id}|${action}`)?.n ?? 0
    let tasks = await taskRows()
    let counts = await counted()
    const stormDeadline = Date.now() + 20_000
    while (Date.now() < stormDeadline && tasks.some(t => silentPeople.has(t.assignee) && times(counts, t.id, 'escalate') === 0)) {
      await sleep(250)
      tasks = await taskRows()
      counts = await counted()
    }
    // The last rung (the last resort) falls due one re-send window after the escalation: the log is still once
    // nothing has been written for 3 s.
    const logHead = async () => Number((await client.query('SELECT seq FROM log_head')).rows[0].seq)
    const quietDeadline = Date.now() + 20_000
    for (let seen = await logHead(), since = Date.now(); Date.now() < quietDeadline && Date.now() - since < 3000;) {
      await sleep(250)
      const now = await logHead()
      if (now !== seen) {
        seen = now
        since = Date.now()
      }
    }
    tasks = await taskRows()
    counts = await counted()
    const deliveries = (await client.query(`SELECT entity_id, COUNT(*) FILTER (WHERE data::json->>'version' = '1')::int AS created, COUNT(*) FILTER (WHERE action = 'sent')::int AS sent
      FROM changes WHERE kind = 'delivery' AND entity_id LIKE $1 GROUP BY entity_id`, [`task:${operationId}%`])).rows as { entity_id: string, created: number, sent: number }[]
    const stepsTwice = deliveries.filter(d => d.created > 1 || d.sent > 1)
    const silentTasks = tasks.filter(t => silentPeople.has(t.assignee))
    const answering = tasks.filter(t => !silentPeople.has(t.assignee))
    const ladderDone = silentTasks.filter(t => times(counts, t.id, 'resend') === 1 && times(counts, t.id, 'escalate') >= 1).length
    const laddersTwice = tasks.filter(t => times(counts, t.id, 'resend') > 1 || times(counts, t.id, 'escalate') > 2)
    const ackedOnce = answering.filter(t => times(counts, t.id, 'acknowledged') === 1).length
    const afterKill = killedAt === null
      ? 0
      : [...counts.values()].filter(r => (r.action === 'resend' || r.action === 'escalate') && Date.parse(r.last) > killedAt).length
    if (tasks.length !== storm.reach.length)
      errors.push(`the storm made ${tasks.length} tasks, its plan reaches ${storm.reach.length}`)
    if (ladderDone !== silentTasks.length)
      errors.push(`${silentTasks.length - ladderDone} of ${silentTasks.length} unanswered tasks were not re-sent once and escalated`)
    for (const t of laddersTwice.slice(0, 5))
      errors.push(`task ${t.id} re-sent ${times(counts, t.id, 'resend')}× and escalated ${times(counts, t.id, 'escalate')}×`)
    for (const d of stepsTwice.slice(0, 5))
      errors.push(`ladder step ${d.entity_id} created ${d.created}× and sent ${d.sent}×`)
    if (ackedOnce !== answering.length)
      errors.push(`${answering.length - ackedOnce} of ${answering.length} answered tasks were not acknowledged exactly once`)

    // Settle: the head, and every screen at it.
    const head = await logHead()
    const deadline = Date.now() + 12_000
    while (Date.now() < deadline && screens.some((sc, i) => nodes[i] !== leader && sc.seq !== head))
      await sleep(50)
    const resumeDeadline = Date.now() + 2000
    const movedScreen = leader ? screens[nodes.indexOf(leader)]! : null
    const behind = () => movedScreen !== null && movedScreen.seq !== head
    while (Date.now() < resumeDeadline && behind())
      await sleep(50)

    const ids = [...new Set(acked.values())]
    const stored = (await client.query('SELECT id, (SELECT COUNT(*) FROM changes c WHERE c.entity_id = i.id) AS n FROM incidents i WHERE id = ANY($1)', [ids])).rows as { id: string, n: string }[]
    const missing = ids.length - stored.length
    const twice = stored.filter(r => Number(r.n) !== 1).length
    const gaps = (await client.query('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM changes')).rows[0] as { n: string, lo: string, hi: string }
    await client.end()
    if (missing > 0)
      errors.push(`${missing} acknowledged reports are not stored`)
    if (twice > 0)
      errors.push(`${twice} acknowledged reports have more or fewer than one change`)
    if (Number(gaps.n) !== head || Number(gaps.hi) !== head || (head > 0 && Number(gaps.lo) !== 1))
      errors.push(`the log is not 1..${head} gap-free: ${gaps.n} rows from ${gaps.lo} to ${gaps.hi}`)
    const inOrder = (sc: ReturnType<typeof screen>) => sc.got.every((v, k) => k === 0 || v === sc.got[k - 1]! + 1)
    screens.forEach((sc, i) => {
      if (sc.seq !== head)
        errors.push(`screen on node ${i + 1} holds ${sc.seq}, head ${head}`)
      if (!inOrder(sc))
        errors.push(`screen on node ${i + 1} received changes out of order`)
    })
    const moved = movedScreen
    if (moved && moved.snapshots > 1)
      errors.push('the killed node\'s screen needed a snapshot to resume')
    const successor = nodes.filter(x => x !== leader && x.leads !== null).map(x => x.leads!).sort()[0] ?? null
    const takeover = killedAt !== null && successor !== null ? successor - killedAt : Number.NaN
    if (!(takeover <= 15_000))
      errors.push(`no other node took the clocks within 15 s (${Number.isNaN(takeover) ? 'none' : ms(takeover)})`)
    const resume = moved && killedAt !== null && moved.resumedAt !== null ? moved.resumedAt - killedAt : Number.NaN

    for (const sc of screens) sc.close()
    await proxy.close()
    notes.push(`storm: ${tasks.length} tasks to ${people.length} people through the proxy (${silentPeople.size} never acknowledge), ${afterKill} re-send/escalation rows written after the kill by the node that took the clocks; phone connections dropped and reconnected: ${phones.drops()}.`)
    notes.push(`${sent} reports sent (${rate}/s for ${seconds} s, a third retried at once through another node), ${acked.size} acknowledged keys, ${refused} refused attempts retried, head ${head}.`)
    const rows: Row[] = [
      { metric: 'acknowledged reports stored exactly once', value: `${stored.length - twice}/${ids.length}`, baseline: '', ratio: '', goal: 'all', pass: missing === 0 && twice === 0 },
      { metric: 'log 1..head gap-free', value: `1..${head}`, baseline: '', ratio: '', goal: 'yes', pass: Number(gaps.n) === head },
      { metric: 'every screen holds 1..head in order', value: screens.map(sc => sc.seq).join(', '), baseline: '', ratio: '', goal: String(head), pass: screens.every(sc => sc.seq === head && inOrder(sc)) },
      { metric: 'killed node\'s screen back on another node', value: ms(resume), baseline: '', ratio: '', goal: '≤ 12 s, no snapshot', pass: resume <= 12_000 && (moved?.snapshots ?? 0) <= 1 },
      { metric: 'clocks taken over after SIGKILL', value: ms(takeover), baseline: '', ratio: '', goal: '≤ 15 s', pass: takeover <= 15_000 },
      { metric: 'storm: answered tasks acknowledged exactly once', value: `${ackedOnce}/${answering.length}`, baseline: '', ratio: '', goal: 'all', pass: ackedOnce === answering.length && answering.length > 0 },
      { metric: 'storm: unanswered tasks re-sent once, then escalated', value: `${ladderDone}/${silentTasks.length}`, baseline: '', ratio: '', goal: 'all', pass: ladderDone === silentTasks.length && silentTasks.length > 0 },
      { metric: 'storm: re-sent twice, or a ladder step made or sent twice', value: `${laddersTwice.length} tasks, ${stepsTwice.length} steps (of ${deliveries.length})`, baseline: '', ratio: '', goal: '0', pass: laddersTwice.length === 0 && stepsTwice.length === 0 },
    ]
    return { name: 'cluster: three nodes, the leader killed at 10 s', rows, errors, notes }
  }
  finally {
    await phones?.close()
    for (const node of nodes) node.child.kill('SIGKILL')
    pgServer.stop()
  }
}
