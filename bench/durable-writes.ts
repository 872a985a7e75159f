// Durable incident actions per second through the store's group commit, against the SQLite ceiling (raw
// better-sqlite3 writing the same rows in the same group sizes) and plain one-row-per-commit inserts, in
// alternating rounds on the same disk. Afterwards the file is reopened and every acknowledged
// write is checked to be there, with a gap-free change log.
import type { AppContext } from '../server/context.ts'
import type { BenchOptions, BenchResult, LoopPlace, Row } from './lib/common.ts'
import type { CeilingWork } from './lib/write-ceiling.ts'
import { closeSync, fdatasyncSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from '../server/db/sqlite/driver.ts'
import { advanceLoop, benchContext, benchDir, changeTemplate, median, ms, nextAction, now, percentiles, perSec, times } from './lib/common.ts'
import { readWork, writeCeiling } from './lib/write-ceiling.ts'

/** fdatasync cost on this disk, for reading the baseline. */
function fsyncCost(dir: string): ReturnType<typeof percentiles> {
  const file = join(dir, 'fsync-probe')
  const fd = openSync(file, 'w')
  const buf = Buffer.alloc(4096, 1)
  const out: number[] = []
  for (let i = 0; i < 200; i++) {
    writeSync(fd, buf)
    const t = now()
    fdatasyncSync(fd)
    out.push(now() - t)
  }
  closeSync(fd)
  unlinkSync(file)
  return percentiles(out)
}

/** Baseline: better-sqlite3, WAL + synchronous=FULL, each insert its own transaction. */
function plainInserts(file: string, seconds: number, row: string): { rate: number, n: number, latency: ReturnType<typeof percentiles> } {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE incidents (id TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO incidents (id, version, state, data) VALUES (?, 1, ?, ?)')
  const lat: number[] = []
  const t0 = now()
  const until = t0 + seconds * 1000
  let n = 0
  while (n < 1_000_000 && now() < until) {
    const t = now()
    insert.run(`plain_${n}`, 'reported', row) // autocommit: one durable transaction per row
    lat.push(now() - t)
    n++
  }
  const elapsed = now() - t0
  const check = (db.prepare('SELECT COUNT(*) AS c FROM incidents').get() as { c: number }).c
  db.close()
  if (check !== n)
    throw new Error(`plain inserts: wrote ${n}, found ${check}`)
  return { rate: n / (elapsed / 1000), n, latency: percentiles(lat) }
}

export interface GroupRun {
  rate: number
  actions: number
  refused: number
  elapsed: number
  latency: ReturnType<typeof percentiles>
  flushes: number
  /** Highest acknowledged version per incident id. */
  acked: Map<string, number>
  /** The log's head before the run: changes the app wrote at start (seeded plans) are not the bench's. */
  head0: number
  /** Requests per group commit, in commit order. */
  groups: number[]
  /** This process's CPU (user + system) per acknowledged action, µs. */
  cpuUs: number
  /** Wall time inside the group transactions (BEGIN … COMMIT) per acknowledged action, µs. */
  inGroupUs: number
}

/** `concurrency` workers, each walking incidents through report → close, for `seconds`. */
export async function groupCommit(ctx: AppContext, concurrency: number, seconds: number): Promise<GroupRun> {
  const acked = new Map<string, number>()
  const lat: number[] = []
  let actions = 0
  let refused = 0
  let flushes = 0
  const groups: number[] = []
  let inGroup = 0
  const off = ctx.store.onCommit(() => {
    flushes++
  })
  const offGroup = ctx.store.onGroup?.((g) => {
    if (g.ok)
      groups.push(g.requests)
    inGroup += g.seconds
  })
  const head0 = await ctx.store.head()
  const cpu0 = process.cpuUsage()
  const t0 = now()
  const until = t0 + seconds * 1000
  async function worker(w: number): Promise<void> {
    let n = 0
    const at: LoopPlace = { id: null, step: 0 }
    while (now() < until && n < 1_000_000) {
      n++
      const t = now()
      const res = await nextAction(ctx, at, n, `持续压测 ${w}/${n}`, `bench-dw:${w}:${n}`)
      lat.push(now() - t)
      advanceLoop(at, res)
      if (!res.ok) {
        refused++
        if (refused <= 3)
          console.error(`durable-writes: refused ${res.code} ${res.message}`)
        continue
      }
      actions++
      acked.set(res.data.id, res.data.version)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  const elapsed = now() - t0
  const cpu = process.cpuUsage(cpu0)
  off()
  offGroup?.()
  return { rate: actions / (elapsed / 1000), actions, refused, elapsed, latency: percentiles(lat), flushes, acked, head0, groups, cpuUs: (cpu.user + cpu.system) / Math.max(1, actions), inGroupUs: inGroup * 1e6 / Math.max(1, actions) }
}

/** Reopens the file with a fresh connection and checks every acknowledged write is there, and the log is gap-free. */
function verify(file: string, run: GroupRun): string[] {
  const errors: string[] = []
  const db = new Database(file, { readonly: true })
  try {
    const versions = new Map((db.prepare('SELECT id, version FROM incidents').all() as { id: string, version: number }[]).map(r => [r.id, r.version]))
    let missing = 0
    let behind = 0
    for (const [id, version] of run.acked) {
      const stored = versions.get(id)
      if (stored === undefined)
        missing++
      else if (stored < version)
        behind++
    }
    if (missing > 0)
      errors.push(`${missing} acknowledged incident(s) missing after reopen`)
    if (behind > 0)
      errors.push(`${behind} incident(s) stored at a version older than acknowledged`)
    const log = db.prepare('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM changes').get() as { n: number, lo: number | null, hi: number | null }
    if (log.n > 0 && (log.lo !== 1 || log.hi !== log.n))
      errors.push(`change log has gaps: ${log.n} rows, seq ${log.lo}..${log.hi}`)
    // The app writes a few changes of its own at start (the seeded plan library); the run's are those after.
    const ran = (db.prepare('SELECT COUNT(*) AS n FROM changes WHERE seq > ?').get(run.head0) as { n: number }).n
    if (ran !== run.actions)
      errors.push(`change log holds ${ran} changes after seq ${run.head0}, ${run.actions} actions were acknowledged`)
    const history = (db.prepare('SELECT COUNT(*) AS n FROM incident_history').get() as { n: number }).n
    const incidentChanges = (db.prepare('SELECT COUNT(*) AS n FROM changes WHERE kind = \'incident\'').get() as { n: number }).n
    if (history !== incidentChanges)
      errors.push(`incident_history holds ${history} rows, the change log ${incidentChanges} incident changes`)
    const journal = db.pragma('journal_mode', { simple: true })
    if (journal !== 'wal')
      errors.push(`journal_mode is ${String(journal)}, expected wal`)
  }
  finally {
    db.close()
  }
  return errors
}

/** One service round on a fresh file: the run, its durability check, and the rows it wrote for the ceiling. */
async function serviceRound(dir: string, round: number, concurrency: number, seconds: number, writer: 'thread' | 'inline' = 'thread'): Promise<{ run: GroupRun, errors: string[], work: CeilingWork }> {
  const file = join(dir, `onescreen-${round}-${writer}.sqlite`)
  const { ctx, store } = await benchContext(file, writer)
  let run: GroupRun
  let audit0: number
  try {
    const peek = new Database(file, { readonly: true })
    audit0 = (peek.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM audit').get() as { id: number }).id
    peek.close()
    run = await groupCommit(ctx, concurrency, seconds)
  }
  finally {
    ctx.presence.close()
    await store.close()
  }
  const errors = verify(file, run)
  if (run.refused > 0)
    errors.push(`${run.refused} action(s) refused by the service`)
  const work = readWork(file, run.head0, audit0, run.groups)
  rmSync(file, { force: true })
  return { run, errors, work }
}

export async function durableWrites(opts: BenchOptions): Promise<BenchResult> {
  const seconds = opts.writeSeconds ?? (opts.long ? 20 : 5)
  const concurrency = opts.concurrency ?? 128
  const rounds = opts.long ? 5 : 3
  const tmp = benchDir('writes')
  try {
    const fsync = fsyncCost(tmp.dir)
    const row = JSON.stringify((await changeTemplate()).data)
    const service: GroupRun[] = []
    // The same service with its group commits on the server's own thread (before the writer thread).
    const inline: GroupRun[] = []
    const ceiling: ReturnType<typeof writeCeiling>[] = []
    const plain: ReturnType<typeof plainInserts>[] = []
    const errors: string[] = []
    let work: CeilingWork | null = null
    // Alternating rounds: service, ceiling, per-row; then per-row, ceiling, service; … The ceiling replays the
    // rows of the latest service round, so the first round starts with the service.
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['service', 'ceiling', 'plain', 'inline'] as const : ['inline', 'plain', 'ceiling', 'service'] as const
      for (const side of order) {
        if (side === 'service') {
          const got = await serviceRound(tmp.dir, r, concurrency, seconds)
          service.push(got.run)
          errors.push(...got.errors.map(e => `round ${r + 1}: ${e}`))
          work = got.work
        }
        else if (side === 'inline') {
          const got = await serviceRound(tmp.dir, r, concurrency, seconds, 'inline')
          inline.push(got.run)
          errors.push(...got.errors.map(e => `round ${r + 1} (writer on the server's thread): ${e}`))
        }
        else if (side === 'ceiling') {
          ceiling.push(writeCeiling(join(tmp.dir, `ceiling-${r}.sqlite`), work!))
        }
        else {
          plain.push(plainInserts(join(tmp.dir, `plain-${r}.sqlite`), seconds, row))
        }
      }
    }
    const svcRate = median(service.map(s => s.rate))
    const ceilRate = median(ceiling.map(c => c.rate))
    const plainRate = median(plain.map(p => p.rate))
    const vsCeiling = svcRate / ceilRate
    const vsPlain = svcRate / plainRate
    const last = service[service.length - 1]!
    const perAction = (c: ReturnType<typeof writeCeiling>) => c.rows / c.actions
    const actions = service.reduce((n, s) => n + s.actions, 0)
    const incidents = service.reduce((n, s) => n + s.acked.size, 0)
    const groupSizes = service.flatMap(s => s.groups)
    const rows: Row[] = [
      { metric: 'durable actions/s vs SQLite ceiling (same rows, same groups)', value: perSec(svcRate), baseline: perSec(ceilRate), ratio: times(vsCeiling), goal: '≥ 0.7×', pass: vsCeiling >= 0.7 },
      { metric: 'durable actions/s: writer thread vs on the server\'s thread', value: perSec(svcRate), baseline: perSec(median(inline.map(s => s.rate))), ratio: times(svcRate / median(inline.map(s => s.rate))), goal: '', pass: null },
      { metric: 'durable actions/s vs one row per commit', value: perSec(svcRate), baseline: perSec(plainRate), ratio: times(vsPlain), goal: '', pass: null },
      { metric: 'CPU per action (user + system)', value: `${median(service.map(x => x.cpuUs)).toFixed(1)} µs`, baseline: `${median(ceiling.map(c => c.cpuUs)).toFixed(1)} µs`, ratio: times(median(service.map(x => x.cpuUs)) / median(ceiling.map(c => c.cpuUs))), goal: '', pass: null },
      { metric: 'time in the group transaction per action', value: `${median(service.map(x => x.inGroupUs)).toFixed(1)} µs`, baseline: `${median(ceiling.map(c => 1e6 / c.rate)).toFixed(1)} µs`, ratio: times(median(service.map(x => x.inGroupUs)) / median(ceiling.map(c => 1e6 / c.rate))), goal: '', pass: null },
      { metric: 'ceiling rows/s', value: '', baseline: perSec(ceilRate * perAction(ceiling[0]!)), ratio: '', goal: '', pass: null },
      { metric: 'ack latency p50 (last round)', value: ms(last.latency.p50), baseline: ms(plain[plain.length - 1]!.latency.p50), ratio: '', goal: '', pass: null },
      { metric: 'ack latency p99 (last round)', value: ms(last.latency.p99), baseline: ms(plain[plain.length - 1]!.latency.p99), ratio: '', goal: '', pass: null },
      { metric: 'actions per durable commit (median)', value: median(groupSizes).toFixed(0), baseline: 'same', ratio: '', goal: '', pass: null },
      { metric: 'acknowledged = on disk, log gap-free', value: `${actions.toLocaleString('en-US')} actions, ${incidents.toLocaleString('en-US')} incidents`, baseline: `${plain.reduce((n, p) => n + p.n, 0).toLocaleString('en-US')} rows`, ratio: '', goal: 'all', pass: errors.length === 0 },
    ]
    const list = (v: number[]) => v.map(x => Math.round(x).toLocaleString('en-US')).join(', ')
    return {
      name: `durable-writes (${concurrency} in flight, ${rounds} alternating rounds, ${seconds} s per timed phase, synchronous=FULL)`,
      rows,
      errors,
      notes: [
        `OneScreen: ctx.incidents.report + act (accept, assign, start, resolve, verify, close) with op keys; each action writes incident + history + change + op + audit rows`,
        `ceiling: raw better-sqlite3 on the same schema writing the rows the service wrote in the round before (${perAction(ceiling[0]!).toFixed(1)} rows per action, the service's own statements, row text read back), in the service's group sizes, WAL + synchronous=FULL`,
        `per round, actions/s: service ${list(service.map(s => s.rate))}; writer on the server's thread ${list(inline.map(s => s.rate))}; ceiling ${list(ceiling.map(c => c.rate))}; one row per commit ${list(plain.map(p => p.rate))}`,
        `baseline: one ${row.length}-byte incident JSON row per transaction; fdatasync on this disk p50 ${ms(fsync.p50)}, p99 ${ms(fsync.p99)}`,
      ],
    }
  }
  finally {
    tmp.cleanup()
  }
}
