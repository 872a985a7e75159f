import type { ScoringConfig } from '../../shared/scoring/config.ts'
import type { MonthResult } from '../../shared/scoring/schema.ts'
import type { AppContext } from '../context.ts'
import { addMonths, hasEnded, monthOf, monthRange, monthsBetween } from '../../shared/kernel/time.ts'
import { DEFAULT_SCORING_CONFIG, validateScoringConfig } from '../../shared/scoring/config.ts'
import { headlineFigures } from '../../shared/scoring/headline.ts'
import { buildRankings } from '../../shared/scoring/rankings.ts'
import { scoreMonth } from '../../shared/scoring/score.ts'

// The monthly results: computed from the store for the running month (briefly cached), frozen for ended
// months. A frozen month is written once (the first freeze wins, the table refuses edits) and always read
// back from the store, so data recorded later, or new weights, never change it.

type Ctx = Pick<AppContext, 'store' | 'reference' | 'catalog' | 'now'> & { live?: Pick<AppContext['live'], 'pkg'> }

export interface ScoringServiceOptions {
  config?: ScoringConfig
  /** How long the running month's result is served before it is computed again (ms of the app clock). */
  liveTtlMs?: number
}

/** Severity I–II incidents are the urgent ones (急难问题) in the headline figures. */
const URGENT_SEVERITY = 2

export function createScoringService(ctx: Ctx, opts: ScoringServiceOptions = {}) {
  const problems = opts.config ? validateScoringConfig(opts.config) : []
  if (problems.length > 0)
    throw new Error(`scoring config: ${problems.join('; ')}`)
  /** The weights in force: the subdistrict package's (validated when it was applied), unless a test fixes them. */
  const configNow = (): ScoringConfig => opts.config ?? ctx.live?.pkg.scoring ?? DEFAULT_SCORING_CONFIG
  const ttl = opts.liveTtlMs ?? 60_000
  const store = ctx.store.scoring
  const inFlight = new Map<string, Promise<MonthResult>>()
  const live = new Map<string, { at: number, value: Promise<MonthResult>, pkg: unknown }>()
  const frozenListeners = new Set<(month: string) => void>()

  /** The month of the first recorded step or patrol: nothing before it is frozen (a later import may fill it). */
  async function firstMonth(): Promise<string | null> {
    const first = await store.earliestRecord()
    return first ? monthOf(first) : null
  }

  async function compute(month: string, freeze: boolean, first: string | null): Promise<MonthResult> {
    const { fromIso, toIso } = monthRange(month)
    const prevMonth = addMonths(month, -1)
    const [incidents, patrols, previous, headline] = await Promise.all([
      store.incidentsForMonth(fromIso, toIso),
      store.listPatrols(fromIso, toIso),
      first !== null && prevMonth >= first ? get(prevMonth) : Promise.resolve(null),
      headlineOf(month),
    ])
    const config = configNow()
    const { scores, facts } = scoreMonth({ month, reference: ctx.reference, catalog: ctx.catalog, config, incidents, patrols, asOf: ctx.now().getTime() })
    const at = ctx.now().toISOString()
    const rankings = buildRankings({ month, scores, facts: facts.values(), reference: ctx.reference, catalog: ctx.catalog, config, frozen: freeze, previous })
    const result: MonthResult = { month, from: fromIso, to: toIso, frozen: freeze, frozenAt: freeze ? at : null, computedAt: at, configVersion: config.version, scores, rankings, headline, config }
    if (!freeze)
      return result
    const kept = await store.freeze(result)
    // The first freeze wins: only the one that wrote the record announces it.
    if (kept.computedAt === at)
      frozenListeners.forEach(fn => fn(month))
    return kept
  }

  async function headlineOf(month: string) {
    const { fromIso, toIso } = monthRange(month)
    const lastYear = monthRange(addMonths(month, -12))
    const [closed, closed12, reported, reportedLastYear] = await Promise.all([
      store.countClosed(fromIso, toIso, URGENT_SEVERITY),
      store.countClosed(monthRange(addMonths(month, -11)).fromIso, toIso, URGENT_SEVERITY),
      store.countReported(fromIso, toIso),
      store.countReported(lastYear.fromIso, lastYear.toIso),
    ])
    return headlineFigures({ month, closed: closed.closed, closed12: closed12.closed, urgentClosed: closed.urgent, reported, reportedLastYear })
  }

  /** A month's result: the frozen record, else frozen now if the month has ended, else the live computation. */
  async function get(month: string): Promise<MonthResult> {
    const frozen = await store.getFrozen(month)
    if (frozen)
      return frozen
    const now = ctx.now().getTime()
    const first = await firstMonth()
    const freeze = hasEnded(month, now) && first !== null && month >= first
    if (!freeze) {
      const held = live.get(month)
      // A new package (other weights, people, grids) makes the running month's result stale at once.
      if (held && held.pkg === ctx.live?.pkg && now - held.at < ttl && now >= held.at)
        return held.value
    }
    let running = inFlight.get(month)
    if (!running) {
      running = compute(month, freeze, first).finally(() => inFlight.delete(month))
      inFlight.set(month, running)
      if (!freeze)
        live.set(month, { at: now, value: running, pkg: ctx.live?.pkg })
    }
    return running
  }

  return {
    get config() { return configNow() },
    get,
    /** Calls `fn` with each month as it is frozen (the walls' rankings follow); answers the unsubscribe. */
    onFrozen(fn: (month: string) => void): () => void {
      frozenListeners.add(fn)
      return () => frozenListeners.delete(fn)
    },
    /** The running month in Chongqing. */
    currentMonth: () => monthOf(ctx.now()),
    /** Freezes every ended month from the first record up to `upTo` (default: last month), oldest first. */
    async freezeEnded(upTo?: string): Promise<string[]> {
      const first = await firstMonth()
      if (first === null)
        return []
      const last = upTo ?? addMonths(monthOf(ctx.now()), -1)
      const done = new Set(await store.frozenMonths())
      const frozen: string[] = []
      for (const m of monthsBetween(first, last)) {
        if (done.has(m) || !hasEnded(m, ctx.now().getTime()))
          continue
        if ((await get(m)).frozen)
          frozen.push(m)
        // SQLite reads are synchronous: let requests through between months.
        await new Promise(resolve => setImmediate(resolve))
      }
      return frozen
    },
  }
}

export type ScoringService = ReturnType<typeof createScoringService>
