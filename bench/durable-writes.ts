// Durable incident actions per second through the store's group commit, against plain better-sqlite3
// one-row-per-commit inserts on the same disk. Afterwards the file is reopened and every acknowledged
// write is checked to be there, with a gap-free change log.
import type { AppContext } from '../server/context.ts'
import type { ActionBody } from '../shared/incident/schema.ts'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from '../server/db/sqlite/driver.ts'
import { benchCall, benchContext, benchDir, changeTemplate, ms, now, percentiles, perSec, reportBody, times } from './lib/common.ts'

/** Report, then the whole closed loop: seven durable actions per incident. */
const LIFECYCLE: ActionBody[] = [
  { action: 'accept' },
  { action: 'assign', assigneeId: 'p_bench' },
  { action: 'start' },
  { action: 'resolve', note: '已处置' },
  { action: 'verify' },
  { action: 'close' },
]

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
}

/** `concurrency` workers, each walking incidents through report → close, for `seconds`. */
export async function groupCommit(ctx: AppContext, concurrency: number, seconds: number): Promise<GroupRun> {
  const acked = new Map<string, number>()
  const lat: number[] = []
  let actions = 0
  let refused = 0
  let flushes = 0
  const off = ctx.store.onCommit(() => {
    flushes++
  })
  const head0 = await ctx.store.head()
  const t0 = now()
  const until = t0 + seconds * 1000
  async function worker(w: number): Promise<void> {
    let n = 0
    let id: string | null = null
    let step = 0
    while (now() < until && n < 1_000_000) {
      n++
      const t = now()
      const res: Awaited<ReturnType<AppContext['incidents']['report']>> = id === null
        ? await ctx.incidents.report(reportBody(ctx, n, `持续压测 ${w}/${n}`), benchCall(`bench-dw:${w}:${n}`))
        : await ctx.incidents.act(id, LIFECYCLE[step]!, benchCall(`bench-dw:${w}:${n}`))
      lat.push(now() - t)
      if (!res.ok) {
        refused++
        if (refused <= 3)
          console.error(`durable-writes: refused ${res.code} ${res.message}`)
        id = null
        continue
      }
      actions++
      acked.set(res.data.id, res.data.version)
      if (id === null) {
        id = res.data.id
        step = 0
      }
      else if (++step === LIFECYCLE.length) {
        id = null
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  const elapsed = now() - t0
  off()
  return { rate: actions / (elapsed / 1000), actions, refused, elapsed, latency: percentiles(lat), flushes, acked, head0 }
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

export async function durableWrites(opts: BenchOptions): Promise<BenchResult> {
  const seconds = opts.writeSeconds ?? (opts.long ? 20 : 5)
  const concurrency = opts.concurrency ?? 128
  const tmp = benchDir('writes')
  try {
    const fsync = fsyncCost(tmp.dir)
    const row = JSON.stringify((await changeTemplate()).data)
    const plain = plainInserts(join(tmp.dir, 'plain.sqlite'), seconds, row)

    const file = join(tmp.dir, 'onescreen.sqlite')
    const { ctx, store } = await benchContext(file)
    let run: GroupRun
    try {
      run = await groupCommit(ctx, concurrency, seconds)
    }
    finally {
      ctx.presence.close()
      await store.close()
    }
    const errors = verify(file, run)
    if (run.refused > 0)
      errors.push(`${run.refused} action(s) refused by the service`)

    const ratio = run.rate / plain.rate
    const rows: Row[] = [
      { metric: 'durable actions/s', value: perSec(run.rate), baseline: perSec(plain.rate), ratio: times(ratio), goal: '≥ 10×', pass: ratio >= 10 },
      { metric: 'ack latency p50', value: ms(run.latency.p50), baseline: ms(plain.latency.p50), ratio: times(run.latency.p50 / plain.latency.p50), goal: '', pass: null },
      { metric: 'ack latency p99', value: ms(run.latency.p99), baseline: ms(plain.latency.p99), ratio: times(run.latency.p99 / plain.latency.p99), goal: '', pass: null },
      { metric: 'actions per durable commit', value: (run.actions / Math.max(1, run.flushes)).toFixed(1), baseline: '1', ratio: '', goal: '', pass: null },
      { metric: 'acknowledged = on disk, log gap-free', value: `${run.actions.toLocaleString('en-US')} actions, ${run.acked.size.toLocaleString('en-US')} incidents`, baseline: `${plain.n.toLocaleString('en-US')} rows`, ratio: '', goal: 'all', pass: errors.length === 0 },
    ]
    return {
      name: `durable-writes (${concurrency} in flight, ${seconds} s per phase, synchronous=FULL)`,
      rows,
      errors,
      notes: [
        `OneScreen: ctx.incidents.report + act (accept, assign, start, resolve, verify, close) with op keys; each action writes incident + history + change + op + audit rows`,
        `baseline: one ${row.length}-byte incident JSON row per transaction; fdatasync on this disk p50 ${ms(fsync.p50)}, p99 ${ms(fsync.p99)}`,
      ],
    }
  }
  finally {
    tmp.cleanup()
  }
}
