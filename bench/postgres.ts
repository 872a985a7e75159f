// #19 on PostgreSQL, in alternating rounds on one throwaway cluster (scripts/pg-local.sh, fsync on; or
// ONESCREEN_BENCH_PG_URL): durable incident actions/s through group commit against one action per transaction on
// the same counter-row store, against PostgreSQL's plain one-row-per-commit INSERTs at 16 clients, and three nodes on
// one tenant against one node; then a commit's way to a listener on another node against the same node. After every
// round the log is checked gap-free and holding every acknowledged action; at the end every node must have heard
// every change since it joined, once, in seq order.
import type { AppContext } from '../server/context.ts'
import type { Change } from '../shared/sync/schema.ts'
import type { BenchOptions, BenchResult, LoopPlace, Percentiles, Row } from './lib/common.ts'
import pg from 'pg'
import { createContext } from '../server/context.ts'
import { createPgStore } from '../server/db/postgres/store.ts'
import { loadCuntanPackage } from '../server/setup/packages.ts'
import { advanceLoop, benchCall, benchConfig, changeTemplate, median, ms, nextAction, now, percentiles, perSec, reportBody, sleep, stampDescription, stampOf, times } from './lib/common.ts'
import { PLAIN_CLIENTS, plainInserts, startPg } from './lib/postgres.ts'

type PgStore = ReturnType<typeof createPgStore>
interface Node { ctx: AppContext, store: PgStore, joined: number, heard: number[] }

/** `n` nodes (a store and a whole context each) on one tenant's schema, opened one after another. */
async function openNodes(url: string, schema: string, n: number, extra: { groupCommit?: boolean } = {}): Promise<Node[]> {
  const nodes: Node[] = []
  for (let i = 0; i < n; i++) {
    const store = createPgStore({ url, schema, ...extra })
    const joined = i === 0 ? 0 : await nodes[0]!.store.head()
    const heard: number[] = []
    store.onCommit(cs => cs.forEach(c => heard.push(c.seq)))
    const ctx = await createContext(benchConfig('/nonexistent'), { store })
    if (!ctx.setup.status().configured)
      await ctx.setup.seed(await loadCuntanPackage(), 'bench: the Cuntan package')
    nodes.push({ ctx, store, joined, heard })
  }
  return nodes
}

interface WriteRun { rate: number, actions: number, acked: Map<string, number>, latency: Percentiles, groups: number[], inGroupUs: number, cpuUs: number, errors: string[] }

/** `concurrency` workers spread over `nodes`, each walking incidents through report → close, for `seconds`; then checked. */
async function writes(nodes: Node[], concurrency: number, seconds: number, tag: string): Promise<WriteRun> {
  const acked = new Map<string, number>()
  const lat: number[] = []
  const groups: number[] = []
  const errors: string[] = []
  let inGroup = 0
  let actions = 0
  const offs = nodes.map(n => n.store.onGroup?.((g) => {
    if (g.ok)
      groups.push(g.requests)
    inGroup += g.seconds
  }))
  const head0 = await nodes[0]!.store.head()
  const cpu0 = process.cpuUsage()
  const t0 = now()
  const until = t0 + seconds * 1000
  async function worker(w: number): Promise<void> {
    const { ctx } = nodes[w % nodes.length]!
    const at: LoopPlace = { id: null, step: 0 }
    for (let n = 1; now() < until; n++) {
      const key = `${tag}:${w}:${n}`
      const t = now()
      const res = await nextAction(ctx, at, n, `持续压测 ${tag} ${w}/${n}`, key)
      lat.push(now() - t)
      advanceLoop(at, res)
      if (!res.ok) {
        if (errors.length < 3)
          errors.push(`${tag}: refused ${res.code} ${res.message}`)
        continue
      }
      actions++
      acked.set(res.data.id, res.data.version)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  const elapsed = now() - t0
  const cpu = process.cpuUsage(cpu0)
  offs.forEach(off => off?.())
  errors.push(...await checkLog(nodes[0]!.store, head0, actions, acked, tag))
  return { rate: actions / (elapsed / 1000), actions, acked, latency: percentiles(lat), groups, inGroupUs: inGroup * 1e6 / Math.max(1, actions), cpuUs: (cpu.user + cpu.system) / Math.max(1, actions), errors }
}

/** The head moved by the acknowledged actions, the whole log is 1..head, every acknowledged incident is stored. */
async function checkLog(store: PgStore, head0: number, actions: number, acked: Map<string, number>, tag: string): Promise<string[]> {
  const errors: string[] = []
  const head = await store.head()
  if (head - head0 !== actions)
    errors.push(`${tag}: head moved ${head0} → ${head}, ${actions} actions were acknowledged`)
  const log = (await store.pool.query<{ n: number, lo: number | null, hi: number | null }>('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM changes')).rows[0]!
  if (log.n !== head || (head > 0 && (log.lo !== 1 || log.hi !== head)))
    errors.push(`${tag}: the log is not 1..${head}: ${log.n} rows, seq ${log.lo}..${log.hi}`)
  const stored = new Map((await store.pool.query<{ id: string, version: number }>('SELECT id, version FROM incidents WHERE id = ANY($1)', [[...acked.keys()]])).rows.map(r => [r.id, r.version]))
  const lost = [...acked].filter(([id, v]) => (stored.get(id) ?? 0) < v).length
  if (lost > 0)
    errors.push(`${tag}: ${lost} acknowledged incident(s) missing or older than acknowledged`)
  return errors
}

/** Calls submit(i, scheduled) at a steady rate; a late timer counts as latency (the scheduled time is the stamp). */
async function paced(rate: number, seconds: number, submit: (i: number, t: number) => void): Promise<number> {
  const total = Math.round(rate * seconds)
  const start = now() + 20
  let i = 0
  await new Promise<void>((done) => {
    const tick = () => {
      for (; i < total && start + i * 1000 / rate <= now(); i++) submit(i, start + i * 1000 / rate)
      if (i >= total)
        return done()
      setTimeout(tick, Math.max(0, start + i * 1000 / rate - now()))
    }
    tick()
  })
  return total
}

/**
 * Reports through `from` at `rate`; submit → `to`'s commit listener, ms, after a 1 s warm-up that is dropped. `own`:
 * the same commits at `from`'s own listener; `added`: `to` minus `from` per change, the tail's own share.
 */
async function toListener(from: Node, to: Node, rate: number, seconds: number, tag: string): Promise<{ samples: number[], own: number[], added: number[], errors: string[] }> {
  const at = { to: new Map<number, number>(), from: new Map<number, number>() }
  const errors: string[] = []
  const record = (into: Map<number, number>) => (cs: Change[]) => {
    const t = now()
    for (const c of cs) {
      const s = stampOf(c)
      if (Number.isFinite(s))
        into.set(c.seq, t - s)
    }
  }
  const offs = [to.store.onCommit(record(at.to)), from === to ? () => {} : from.store.onCommit(record(at.from))]
  try {
    for (const [phase, secs] of [['warm-up', 1], ['measured', seconds]] as const) {
      const pending: Promise<unknown>[] = []
      at.to.clear()
      at.from.clear()
      const head0 = await from.store.head()
      const total = await paced(rate, secs, (i, t) => pending.push(from.ctx.incidents.report(reportBody(from.ctx, i, stampDescription(t)), benchCall(`${tag}:${phase}:${i}`)).then((res) => {
        if (!res.ok && errors.length < 3)
          errors.push(`${tag}: report refused ${res.code} ${res.message}`)
      })))
      await Promise.all(pending)
      await to.store.settle()
      if (await from.store.head() - head0 !== total || at.to.size !== total)
        errors.push(`${tag} ${phase}: ${total} reports, head moved ${await from.store.head() - head0}, the listener heard ${at.to.size}`)
    }
  }
  finally {
    offs.forEach(off => off())
  }
  const added = [...at.to].flatMap(([seq, v]) => at.from.has(seq) ? [v - at.from.get(seq)!] : [])
  return { samples: [...at.to.values()], own: [...at.from.values()], added, errors }
}

/** Every node heard every change from the one after its start to the head, once, in seq order. */
async function checkHeard(label: string, nodes: Node[]): Promise<string[]> {
  await Promise.all(nodes.map(n => n.store.settle()))
  const head = await nodes[0]!.store.head()
  return nodes.flatMap((n, i) => n.heard.length === head - n.joined && n.heard.every((s, k) => s === n.joined + 1 + k)
    ? []
    : [`${label} node ${i + 1}: heard ${n.heard.length} changes (first ${n.heard[0]}, last ${n.heard.at(-1)}), expected ${n.joined + 1}..${head} in order`])
}

export async function postgres(opts: BenchOptions): Promise<BenchResult> {
  const seconds = opts.writeSeconds ?? (opts.long ? 15 : 4)
  const concurrency = opts.concurrency ?? 128
  const rounds = opts.long ? 5 : 3
  const rate = opts.rate ?? 100
  const liveSeconds = opts.liveSeconds ?? (opts.long ? 30 : 10)
  const server = await startPg()
  const suffix = `${process.pid}_${Date.now().toString(36)}`
  const schemas = { one: `bench_one_${suffix}`, tx: `bench_tx_${suffix}`, three: `bench_three_${suffix}`, plain: `bench_plain_${suffix}` }
  const all: Node[] = []
  try {
    const payload = JSON.stringify((await changeTemplate()).data)
    const one = await openNodes(server.url, schemas.one, 1)
    const tx = await openNodes(server.url, schemas.tx, 1, { groupCommit: false })
    const three = await openNodes(server.url, schemas.three, 3)
    all.push(...one, ...tx, ...three)
    await one[0]!.store.pool.query(`CREATE SCHEMA ${schemas.plain}`)

    // One untimed second per side first (JIT, caches, the pools' connections); checked like the rounds.
    const errors: string[] = []
    for (const side of ['one', 'tx', 'three'] as const)
      errors.push(...(await writes({ one, tx, three }[side], concurrency, 1, `warm-${side}`)).errors)
    errors.push(...(await plainInserts(server.url, schemas.plain, 1, payload)).errors)
    const runs = { one: [] as WriteRun[], tx: [] as WriteRun[], three: [] as WriteRun[], plain: [] as Awaited<ReturnType<typeof plainInserts>>[] }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['one', 'tx', 'plain', 'three'] as const : ['three', 'plain', 'tx', 'one'] as const
      for (const side of order) {
        await sleep(200) // the previous side's stragglers (tail polls, pool idles) out of the way
        if (side === 'plain') {
          runs.plain.push(await plainInserts(server.url, schemas.plain, seconds, payload))
          errors.push(...runs.plain.at(-1)!.errors)
          continue
        }
        const got = await writes({ one, tx, three }[side], concurrency, seconds, `r${r}-${side}`)
        runs[side].push(got)
        errors.push(...got.errors)
      }
    }

    // Change → listener: ABBA, one node (told in its own group commit) and across nodes (the tail: NOTIFY, then a read).
    const lat = { one: [] as number[], cross: [] as number[], atA: [] as number[], added: [] as number[] }
    for (const [i, side] of (['one', 'cross', 'cross', 'one'] as const).entries()) {
      const got = side === 'one'
        ? await toListener(one[0]!, one[0]!, rate, liveSeconds / 2, `live-${i}-one`)
        : await toListener(three[0]!, three[1]!, rate, liveSeconds / 2, `live-${i}-cross`)
      lat[side].push(...got.samples)
      lat.atA.push(...got.own)
      lat.added.push(...got.added)
      errors.push(...got.errors)
    }
    errors.push(...await checkHeard('one node', one), ...await checkHeard('one per transaction', tx), ...await checkHeard('three nodes', three))

    const rateOf = (xs: { rate: number }[]) => median(xs.map(x => x.rate))
    const [g, t, p, n3] = [rateOf(runs.one), rateOf(runs.tx), rateOf(runs.plain), rateOf(runs.three)]
    const single = percentiles(lat.one)
    const cross = percentiles(lat.cross)
    const atA = percentiles(lat.atA)
    const added = percentiles(lat.added)
    const lastOf = (xs: WriteRun[]) => xs.at(-1)!
    const info = (metric: string, value: string, baseline: string): Row => ({ metric, value, baseline, ratio: '', goal: '', pass: null })
    const rows: Row[] = [
      { metric: 'durable actions/s: group commit vs one per transaction', value: perSec(g), baseline: perSec(t), ratio: times(g / t), goal: '≥ 10×', pass: g / t >= 10 },
      { metric: `durable actions/s vs plain INSERT, one row per commit, ${PLAIN_CLIENTS} clients`, value: perSec(g), baseline: perSec(p), ratio: times(g / p), goal: '≥ 1×', pass: g / p >= 1 },
      { metric: '3 nodes on one tenant vs 1 node, actions/s', value: perSec(n3), baseline: perSec(g), ratio: times(n3 / g), goal: '≥ 0.8×', pass: n3 / g >= 0.8 },
      { metric: 'change→listener p99: node A → node B vs one node', value: ms(cross.p99), baseline: ms(single.p99), ratio: times(cross.p99 / single.p99), goal: `≤ +20 ms (${ms(single.p99 + 20)})`, pass: cross.p99 <= single.p99 + 20 },
      { metric: 'the same p99, the issue\'s goal', value: ms(cross.p99), baseline: ms(single.p99), ratio: times(cross.p99 / single.p99), goal: `≤ 1.5× + 20 ms (${ms(1.5 * single.p99 + 20)})`, pass: cross.p99 <= 1.5 * single.p99 + 20 },
      info('change→listener p50', ms(cross.p50), ms(single.p50)),
      info('the cross-node commits at node A\'s own listener, p50 / p99', `${ms(atA.p50)} / ${ms(atA.p99)}`, ''),
      info('what the tail adds (B − A, the same change), p50 / p99 / max', `${ms(added.p50)} / ${ms(added.p99)} / ${ms(added.max)}`, ''),
      info('change→listener max', ms(cross.max), ms(single.max)),
      info('actions per commit (median): group vs one per tx', median(runs.one.flatMap(x => x.groups)).toFixed(0), median(runs.tx.flatMap(x => x.groups)).toFixed(0)),
      info('actions per commit (median): 3 nodes, each', median(runs.three.flatMap(x => x.groups)).toFixed(0), ''),
      info('time in the group transaction per action', `${median(runs.one.map(x => x.inGroupUs)).toFixed(0)} µs`, `${median(runs.tx.map(x => x.inGroupUs)).toFixed(0)} µs`),
      info('Node CPU per action (all nodes in this process)', `${median(runs.one.map(x => x.cpuUs)).toFixed(0)} µs`, `3 nodes ${median(runs.three.map(x => x.cpuUs)).toFixed(0)} µs`),
      info('ack latency p50 / p99 (last round), group vs one per tx', `${ms(lastOf(runs.one).latency.p50)} / ${ms(lastOf(runs.one).latency.p99)}`, `${ms(lastOf(runs.tx).latency.p50)} / ${ms(lastOf(runs.tx).latency.p99)}`),
    ]
    const count = (xs: WriteRun[]) => xs.reduce((s, x) => s + x.actions, 0).toLocaleString('en-US')
    rows.push({ metric: 'acknowledged = in the log 1..head, gap-free; every node heard it in order', value: `${count(runs.one)} + ${count(runs.three)} actions (1, 3 nodes)`, baseline: `${count(runs.tx)} actions`, ratio: '', goal: 'all', pass: errors.length === 0 })
    const list = (xs: { rate: number }[]) => xs.map(x => Math.round(x.rate).toLocaleString('en-US')).join(', ')
    return {
      name: `postgres (PostgreSQL ${server.version}, fsync on; ${concurrency} in flight, ${rounds} alternating rounds, ${seconds} s per side; ${rate} changes/s for ${liveSeconds} s per side, ABBA)`,
      rows,
      errors,
      notes: [
        `actions: ctx.incidents.report + act (accept … close) with op keys, each writing incident + history + op + audit + change rows and the counter row; one PostgreSQL schema per side, default pools (8 connections a node)`,
        `per round, actions/s: group commit ${list(runs.one)}; one per transaction ${list(runs.tx)}; plain INSERT ${list(runs.plain)}; 3 nodes ${list(runs.three)}`,
        `3 nodes: three stores and contexts on one schema in this one process (the same total in flight, worker w on node w mod 3); plain: a ${payload.length}-byte row into an identity-keyed table per autocommit INSERT`,
        `change→listener: submit (scheduled) → a commit listener; one node is told in its own group commit, node B through the tail (NOTIFY after commit, then a read; poll 250 ms); ${lat.one.length} + ${lat.cross.length} samples`,
      ],
    }
  }
  finally {
    for (const n of all) {
      n.ctx.presence.close()
      await n.store.close().catch(() => {})
    }
    if (process.env.ONESCREEN_BENCH_PG_URL) {
      const c = new pg.Client({ connectionString: server.url })
      await c.connect()
      for (const s of Object.values(schemas)) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
      await c.end()
    }
    server.stop()
  }
}
