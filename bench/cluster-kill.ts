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
import { startStickyProxy } from '../server/ops/sticky-proxy.ts'
import { ms, sleep } from './lib/common.ts'
import { startPg } from './lib/postgres.ts'

// #19's failure drill, scaled to a bench run: three nodes on one PostgreSQL behind the cookie-sticky proxy, reports
// at a steady rate through every node, each with an Idempotency-Key and a third of them retried at once through
// another node; at 10 s the node holding the clocks is killed with SIGKILL, and what was sent to it is retried
// through the others (as a phone's outbox would). Then: every acknowledged report exists exactly once, the log is
// gap-free, every screen holds 1..head in order, the killed node's screen resumed on another node without a
// snapshot, and another node took the clocks. (The storm drill's 150 responders are not part of this run yet.)

const root = resolve(import.meta.dirname, '..')
type IoClient = Socket<ServerToClientEvents, ClientToServerEvents>

interface Node { n: number, url: string, child: ChildProcess, leads: number | null, log: string[] }

async function startNode(n: number, db: string, tenant: string): Promise<Node> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'server/index.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ONESCREEN_DATABASE_URL: db, ONESCREEN_TENANT: tenant, ONESCREEN_SIMULATE: '0', ONESCREEN_STATIC_DIR: '', ONESCREEN_REPORTS_PER_MIN: '100000', ONESCREEN_ESCALATE_MS: '1000', ONESCREEN_LOG_LEVEL: 'warn', ONESCREEN_DATA_DIR: `/tmp/onescreen-bench-${tenant}-${n}` },
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
  try {
    nodes.push(await startNode(1, db, tenant))
    nodes.push(...await Promise.all([2, 3].map(n => startNode(n, db, tenant))))
    const proxy = await startStickyProxy({ port: 0, host: '127.0.0.1', targets: nodes.map(n => n.url) })
    const op = await signIn(proxy.url, 'operator')
    const catalog = await (await fetch(`${nodes[0]!.url}/api/catalog`, { headers: { cookie: op.cookie } })).json() as { categories: { code: string, loop: string }[] }
    const territory = await (await fetch(`${nodes[0]!.url}/api/territory`, { headers: { cookie: op.cookie } })).json() as { grids: GeoJSON.FeatureCollection }
    const [w, s, e, n] = bbox(territory.grids.features[0]!)
    const body = (i: number) => ({ category: catalog.categories.find(c => c.loop === 'grid')!.code, description: `集群演练 #${i}`, location: { lon: (w + e) / 2, lat: (s + n) / 2 } })

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

    // Settle: the head, and every screen at it.
    const client = new pg.Client({ connectionString: db })
    await client.connect()
    await client.query(`SET search_path = ${tenant}`)
    const head = Number((await client.query('SELECT seq FROM log_head')).rows[0].seq)
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
    notes.push(`${sent} reports sent (${rate}/s for ${seconds} s, a third retried at once through another node), ${acked.size} acknowledged keys, ${refused} refused attempts retried, head ${head}.`)
    const rows: Row[] = [
      { metric: 'acknowledged reports stored exactly once', value: `${stored.length - twice}/${ids.length}`, baseline: '', ratio: '', goal: 'all', pass: missing === 0 && twice === 0 },
      { metric: 'log 1..head gap-free', value: `1..${head}`, baseline: '', ratio: '', goal: 'yes', pass: Number(gaps.n) === head },
      { metric: 'every screen holds 1..head in order', value: screens.map(sc => sc.seq).join(', '), baseline: '', ratio: '', goal: String(head), pass: screens.every(sc => sc.seq === head && inOrder(sc)) },
      { metric: 'killed node\'s screen back on another node', value: ms(resume), baseline: '', ratio: '', goal: '≤ 12 s, no snapshot', pass: resume <= 12_000 && (moved?.snapshots ?? 0) <= 1 },
      { metric: 'clocks taken over after SIGKILL', value: ms(takeover), baseline: '', ratio: '', goal: '≤ 15 s', pass: takeover <= 15_000 },
    ]
    return { name: 'cluster: three nodes, the leader killed at 10 s', rows, errors, notes }
  }
  finally {
    for (const node of nodes) node.child.kill('SIGKILL')
    pgServer.stop()
  }
}
