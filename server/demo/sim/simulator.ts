import type { ActionBody, Actor, Incident } from '../../../shared/incident/schema.ts'
import type { RoleKey } from '../../../shared/territory/types.ts'
import type { AppContext } from '../../context.ts'
import type { Walker } from './walk.ts'
import { principalFor } from '../../../shared/auth/authz.ts'
import { isOpen } from '../../../shared/incident/lifecycle.ts'
import { hourOf } from '../../../shared/kernel/time.ts'
import { INTERNAL } from '../../audit/service.ts'
import { createRng } from '../../kernel/random.ts'
import { pickCategory, pickGrid, pickReporter, reportBody, withHotlineOrder } from './reports.ts'
import { liveMeanGapMinutes } from './rhythm.ts'
import { deviceOf, indexStaff } from './staff.ts'
import { nextStep } from './steps.ts'
import { startWalker, step as walk } from './walk.ts'

// Keeps the demo alive through the same service calls real users make: reports arrive at the daily rhythm,
// simulated staff move them along with human delays, a few are left to go overdue for the escalation clock,
// and grid workers patrol their grids. Times scale with `speed` (simulated minutes per real minute).

export interface SimulatorOptions {
  speed: number
  seed?: string
  /** Real ms between position updates (default 3000). */
  walkEveryMs?: number
  /** Real ms between sweeps for open incidents nobody is working on (default 10000). */
  sweepEveryMs?: number
}

const MINUTE = 60_000
/** A newcomer should see the wall move: never more than this (real time) without a new report. */
const MAX_GAP_MS = 60_000
const MIN_GAP_MS = 150
/** setTimeout's limit is ~24.8 days; nothing here waits longer than a day. */
const MAX_DELAY_MS = 24 * 60 * MINUTE
/** Human minutes for each step from the state it starts in: [min, max]. */
const HUMAN_MINUTES: Record<string, readonly [number, number]> = {
  reported: [1, 8],
  accepted: [1, 10],
  assigned: [2, 15],
  handling: [5, 40],
  resolved: [2, 15],
  verified: [5, 30],
}
/** Share of steps left to run past their deadline, so the escalation clock has something to do. */
const NEGLECT = 0.03
const WALK_MPS = 1.4

export function startSimulator(ctx: AppContext, opts: SimulatorOptions): { stop: () => void } {
  const speed = Number.isFinite(opts.speed) && opts.speed > 0 ? opts.speed : 1
  const rng = createRng(opts.seed ?? `live:${Date.now()}`)
  const staff = indexStaff(ctx.reference)
  const timers = new Set<NodeJS.Timeout>()
  const pending = new Map<string, NodeJS.Timeout>()
  let stopped = false
  // 12345 order numbers of this run: from the second of the day, so a restart goes on rather than repeating them.
  let orders = Math.floor((ctx.now().getTime() % 86_400_000) / 1000)

  function later(ms: number, fn: () => unknown): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (stopped)
        return
      Promise.resolve().then(fn).catch(e => console.error('simulator:', e))
    }, Math.min(Math.max(ms, 0), MAX_DELAY_MS))
    timer.unref()
    timers.add(timer)
    return timer
  }

  function nextArrival(): void {
    const gap = -Math.log(1 - rng.next()) * liveMeanGapMinutes(hourOf(ctx.now().getTime())) * MINUTE / speed
    later(Math.min(Math.max(gap, MIN_GAP_MS), MAX_GAP_MS), async () => {
      nextArrival()
      await reportOne()
    })
  }

  async function reportOne(): Promise<void> {
    const grid = pickGrid(rng, staff)
    const { actor, channel } = pickReporter(rng, staff, grid)
    const body = reportBody(rng, pickCategory(rng, ctx.catalog), grid, channel)
    const res = await ctx.incidents.report(channel === 'hotline_12345' ? withHotlineOrder(body, ctx.now(), ++orders) : body, { principal: principalFor(ctx.reference, actor.personId, [actor.role as RoleKey]), origin: INTERNAL, device: deviceOf(actor) })
    if (res.ok)
      plan(res.data)
  }

  function delayFor(incident: Incident): number {
    const deadline = incident.stageDeadline ? Date.parse(incident.stageDeadline) : null
    if (deadline && incident.owner.loop !== 'subdistrict' && incident.state !== 'resolved' && incident.state !== 'verified' && rng.chance(NEGLECT)) {
      // Left alone until overdue: the clock runs in real time, so this wait is not divided by speed.
      return deadline - ctx.now().getTime() + rng.float(0.5, 10) * MINUTE
    }
    const [lo, hi] = HUMAN_MINUTES[incident.state] ?? [1, 10]
    return rng.float(lo, hi) * MINUTE / speed
  }

  /** Schedules the incident's next step unless one is already scheduled. */
  function plan(incident: Incident): void {
    if (stopped || pending.has(incident.id) || !isOpen(incident))
      return
    const next = nextStep(incident, staff, ctx.catalog, rng)
    if (!next)
      return
    const timer = later(delayFor(incident), () => perform(incident, next.body, next.actor))
    pending.set(incident.id, timer)
  }

  async function perform(seen: Incident, body: ActionBody, actor: Actor): Promise<void> {
    pending.delete(seen.id)
    const res = await ctx.incidents.act(seen.id, { ...body, expectedVersion: seen.version }, { principal: principalFor(ctx.reference, actor.personId, [actor.role as RoleKey]), origin: INTERNAL, device: deviceOf(actor) })
    if (res.ok) {
      plan(res.data)
      return
    }
    if (res.code !== 'conflict')
      console.warn(`simulator: ${body.action} on ${seen.id} refused: ${res.message}`)
    // Someone (a real user, the escalation clock) moved it first: look again and carry on from there.
    const fresh = await ctx.incidents.get(seen.id)
    if (fresh && fresh.version !== seen.version) {
      const { history: _history, ...current } = fresh
      plan(current)
    }
  }

  async function sweep(): Promise<void> {
    later(opts.sweepEveryMs ?? 10_000, sweep)
    for (const incident of await ctx.store.listLive(ctx.now().toISOString()))
      plan(incident)
  }

  const walkers: Walker[] = []
  for (const roster of ctx.reference.org.rosters) {
    const grid = staff.gridById.get(roster.gridId)
    if (grid)
      walkers.push(startWalker(rng, roster.workerId, grid))
  }
  const walkEvery = opts.walkEveryMs ?? 3000
  function patrol(): void {
    later(walkEvery, patrol)
    const meters = Math.min(Math.max(WALK_MPS * walkEvery / 1000 * speed, 3), 60)
    const at = ctx.now().toISOString()
    for (const w of walkers) {
      if (rng.chance(0.8)) // people pause
        walk(rng, w, meters)
      ctx.presence.update({ id: w.id, lon: w.at.lon, lat: w.at.lat, at })
    }
  }

  patrol()
  nextArrival()
  later(0, sweep)
  return {
    stop() {
      stopped = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      pending.clear()
    },
  }
}
