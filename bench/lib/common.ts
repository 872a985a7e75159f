import type { Config } from '../../server/config.ts'
import type { AppContext } from '../../server/context.ts'
import type { Store } from '../../server/db/store.ts'
import type { ActionBody, ReportBody } from '../../shared/incident/schema.ts'
import type { Change, IncidentChange } from '../../shared/sync/schema.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { SESSION_COOKIE } from '../../server/auth/plugin.ts'
import { configFromEnv } from '../../server/config.ts'
import { createContext } from '../../server/context.ts'
import { createSqliteStore } from '../../server/db/sqlite/store.ts'
import { loadCuntanPackage } from '../../server/setup/packages.ts'

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now()

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

export interface BenchOptions {
  /** `--long`: longer runs (live 120 s, writes 20 s). */
  long: boolean
  /** `--live-seconds=N`: duration of each live-latency phase. */
  liveSeconds?: number
  /** `--write-seconds=N`: duration of each durable-writes phase. */
  writeSeconds?: number
  /** `--concurrency=N`: operations in flight in durable-writes. */
  concurrency?: number
  /** `--clients=N`, `--rate=N`: live-latency audience and change rate. */
  clients?: number
  rate?: number
}

export interface Row {
  metric: string
  value: string
  baseline: string
  ratio: string
  goal: string
  /** null: informational row, no goal. */
  pass: boolean | null
}

export interface BenchResult {
  name: string
  rows: Row[]
  /** Correctness problems (lost or reordered changes, missing acknowledged writes). Non-empty fails the run. */
  errors: string[]
  notes: string[]
}

/** How the bench calls the incident service: as a desk operator, from inside the process. */
export type CallContext = Parameters<AppContext['incidents']['report']>[1]
const BENCH_PRINCIPAL = { kind: 'user', id: 'bench', personId: 'bench', name: 'bench', roles: ['operator'], gridIds: [], communityId: null, sectorId: null } as const satisfies CallContext['principal']
export function benchCall(opKey: string): CallContext {
  return { principal: { ...BENCH_PRINCIPAL, roles: [...BENCH_PRINCIPAL.roles], gridIds: [] }, origin: { via: 'internal', ip: null }, opKey }
}

/**
 * The directory for bench databases. Must be on a real disk (fsync costs something there); os.tmpdir()
 * is ext4 on the reference machine, override with BENCH_DIR if /tmp is a tmpfs.
 */
export function benchDir(tag: string): { dir: string, cleanup: () => void } {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `onescreen-bench-${tag}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The server's own config reader with bench settings: no demo, no static client, loopback, no rate limits in the way. */
export function benchConfig(dataDir: string): Config {
  return configFromEnv({
    ONESCREEN_DATA_DIR: dataDir,
    ONESCREEN_DEMO: '0',
    ONESCREEN_STATIC_DIR: '',
    HOST: '127.0.0.1',
    PORT: '0',
    ONESCREEN_ESCALATE_MS: '3600000',
    ONESCREEN_REPORTS_PER_MIN: '100000000',
  })
}

/** A real context on `store` with Cuntan's package in force (a non-demo install starts with none). */
async function cuntanContext(dataDir: string, store: Store): Promise<AppContext> {
  const ctx = await createContext(benchConfig(dataDir), { store })
  if (!ctx.setup.status().configured)
    await ctx.setup.seed(await loadCuntanPackage(), 'bench: the Cuntan package')
  return ctx
}

/** A real context (migrations, Cuntan reference data) on a SQLite file with group commit. */
/** `BENCH_WRITER=inline` runs every bench's group commits on the server's thread (the store before the writer thread). */
const BENCH_WRITER: 'thread' | 'inline' = process.env.BENCH_WRITER === 'inline' ? 'inline' : 'thread'

export async function benchContext(file: string, writer: 'thread' | 'inline' = BENCH_WRITER): Promise<{ ctx: AppContext, store: Store }> {
  const store = createSqliteStore({ file, groupCommit: true, writer })
  const ctx = await cuntanContext(dirname(file), store)
  return { ctx, store }
}

/** A valid report, as tests/helpers/app.ts `fixtures(ctx).report()` builds it; `n` spreads them over the grids. */
export function reportBody(ctx: AppContext, n: number, description: string): ReportBody {
  const grids = ctx.reference.territory.grids
  const grid = grids[n % grids.length]!
  const category = ctx.catalog.categories.find(c => c.loop === 'grid')!.code
  return { category, description, location: grid.center }
}

/** The submit time rides in the description, so a screen can compute latency from the change alone. */
export const stampDescription = (t: number): string => `bench@${t.toFixed(3)}`
export function stampOf(c: Change): number {
  if (c.kind !== 'incident')
    return Number.NaN
  const d = c.data.description
  return d.startsWith('bench@') ? Number(d.slice(6)) : Number.NaN
}

/** One real Change as the app would broadcast it (for the bare baseline's payload and the plain-insert row). */
export async function changeTemplate(): Promise<IncidentChange> {
  const store = createSqliteStore({ file: ':memory:' })
  const ctx = await cuntanContext('/nonexistent', store)
  let captured: Change | null = null
  store.onCommit((changes) => {
    captured ??= changes[0] ?? null
  })
  const res = await ctx.incidents.report(reportBody(ctx, 0, stampDescription(now())), benchCall('bench:template'))
  ctx.presence.close()
  await store.close()
  const change = captured as Change | null
  if (!res.ok || change?.kind !== 'incident')
    throw new Error('could not build a template change')
  return change
}

export interface Percentiles { n: number, p50: number, p95: number, p99: number, p999: number, max: number, mean: number }

export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort()
  const n = sorted.length
  if (n === 0)
    return { n: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN, mean: Number.NaN }
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!
  let sum = 0
  for (let i = 0; i < n; i++) sum += sorted[i]!
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99), p999: at(0.999), max: sorted[n - 1]!, mean: sum / n }
}

export const ms = (v: number): string => Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a'
export const perSec = (v: number): string => `${Math.round(v).toLocaleString('en-US')}/s`
export const times = (v: number): string => Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a'

/** The middle value (the lower of the two middles for an even count). */
export const median = (values: ArrayLike<number>): number => percentiles(values).p50

/**
 * Runs two sides in alternating rounds, ABBA (a b, b a, a b, …), so a noisy neighbour or a drifting machine
 * does not land on one side only; returns each side's round results in order.
 */
export async function alternate<T>(rounds: number, a: () => Promise<T> | T, b: () => Promise<T> | T): Promise<{ a: T[], b: T[] }> {
  const out = { a: [] as T[], b: [] as T[] }
  for (let i = 0; i < rounds; i++) {
    for (const side of i % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const))
      out[side].push(await (side === 'a' ? a() : b()))
  }
  return out
}

/** Session cookies of `n` command-center wall screens: one wall device credential, a session per cookie. */
export async function wallCookies(ctx: AppContext, n: number): Promise<string[]> {
  const { token } = await ctx.auth.createCredential('device', 'bench wall', ['wall'], 'bench')
  const cookies: string[] = []
  for (let i = 0; i < n; i++) {
    const opened = await ctx.auth.openDevice(token)
    if (!opened)
      throw new Error('could not open a wall session')
    cookies.push(`${SESSION_COOKIE}=${opened.token}`)
  }
  return cookies
}

/** Report, then the whole closed loop: seven durable actions per incident. */
export const LIFECYCLE: ActionBody[] = [
  { action: 'accept' },
  { action: 'assign', assigneeId: 'p_bench' },
  { action: 'start' },
  { action: 'resolve', note: '已处置' },
  { action: 'verify' },
  { action: 'close' },
]

/** A write worker's place in the loop: the incident it works (null: the next action is a report) and its step. */
export interface LoopPlace { id: string | null, step: number }
type Acted = Awaited<ReturnType<AppContext['incidents']['report']>>

/** The worker's next durable action: a report, or the next step of the incident it holds. */
export function nextAction(ctx: AppContext, at: LoopPlace, n: number, description: string, key: string): Promise<Acted> {
  return at.id === null
    ? ctx.incidents.report(reportBody(ctx, n, description), benchCall(key))
    : ctx.incidents.act(at.id, LIFECYCLE[at.step]!, benchCall(key))
}

/** Moves the worker on after an answer: a refusal or a closed incident starts the next report. */
export function advanceLoop(at: LoopPlace, res: Acted): void {
  if (!res.ok)
    at.id = null
  else if (at.id === null)
    Object.assign(at, { id: res.data.id, step: 0 })
  else if (++at.step === LIFECYCLE.length)
    at.id = null
}
