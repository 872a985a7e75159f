import type { ActionBody, Actor, HistoryEntry, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import type { Catalog, Category } from '../../../shared/organisation/catalog.ts'
import type { ReferenceData } from '../../../shared/territory/types.ts'
import type { IncidentMutation } from '../../db/store.ts'
import type { Rng } from '../../kernel/random.ts'
import type { Staff } from './staff.ts'
import { escalateOverdue } from '../../../shared/incident/escalation.ts'
import { applyAction, isOpen } from '../../../shared/incident/lifecycle.ts'
import { createIncident } from '../../../shared/incident/routing.ts'
import { FALLBACK_DEADLINES } from '../../../shared/organisation/catalog.ts'
import { GridIndex } from '../../../shared/territory/geo.ts'
import { createRng } from '../../kernel/random.ts'
import { pickGrid, pickReporter, reportBody } from './reports.ts'
import { commanderActor, deviceOf, indexStaff } from './staff.ts'
import { nextStep } from './steps.ts'
import { monthPlan } from './volume.ts'

// Thirteen months of history, produced by the real domain functions on a fake clock, so the wall, the
// statistics and the replay of any incident agree with what live traffic would have recorded.

export interface BackfillOptions {
  now: Date
  /** Full local months before the current one; the current month runs up to `now`. */
  months: number
  seed: string
}

const MINUTE = 60_000
/** The escalation clock ticks every ~30 s: an overdue stage moves up within a minute of its deadline. */
const CLOCK_LAG_MIN = [0.1, 0.9] as const
/** States the escalation clock acts on (lifecycle: escalate is allowed from these). */
const ESCALATABLE: readonly IncidentState[] = ['reported', 'accepted', 'assigned', 'handling']
/** Chance that a stage overruns its deadline, per stage (so ~7% of incidents escalate). */
const LATE: Partial<Record<IncidentState, number>> = { reported: 0.02, accepted: 0.01, assigned: 0.015, handling: 0.03, resolved: 0.02, verified: 0.02 }
/** Reports this recent may be stuck: the wall should open with a few overdue items. */
const STALL_WINDOW_MS = 4 * 24 * 60 * MINUTE

interface Run { rng: Rng, staff: Staff, catalog: Catalog, now: number }

/** Minutes a stage takes: mostly well inside its deadline, sometimes over it. */
function stageMinutes(run: Run, incident: Incident, stalled: boolean): number {
  const category = run.catalog.categories.find(c => c.code === incident.category)
  const deadline = (category?.deadlines ?? FALLBACK_DEADLINES)[incident.state] ?? 60
  const { rng } = run
  if (stalled || rng.chance(LATE[incident.state] ?? 0))
    return deadline * rng.float(1.1, stalled ? 4 : 2.5)
  // Handling takes a skewed share of its allowance; desks act within a fraction of theirs.
  const share = incident.state === 'handling' ? 0.02 + 0.5 * rng.next() ** 2 : 0.05 + 0.7 * rng.next() ** 1.6
  return Math.max(1, deadline * share)
}

interface Built { incident: Incident, mutations: IncidentMutation[] }

function lifecycle(run: Run, first: Incident, entry: HistoryEntry, duplicateOf: Incident | undefined): Built {
  const { rng, staff, catalog } = run
  const mutations: IncidentMutation[] = [{ kind: 'incident', incident: first, entry }]
  let inc = first
  let t = Date.parse(first.reportedAt)
  const stalled = run.now - t < STALL_WINDOW_MS && rng.chance(0.25)
  let reopenPlanned = rng.chance(0.006)
  const push = (next: Incident, e: HistoryEntry, at: number): void => {
    mutations.push({ kind: 'incident', incident: next, entry: e })
    inc = next
    t = at
  }
  for (let guard = 0; guard < 40; guard++) {
    let step: { body: ActionBody, actor: Actor } | null
    let at: number
    if (inc.state === 'closed' && reopenPlanned) {
      // The commander reopens a closed case after a repeat complaint (回头看).
      reopenPlanned = false
      step = { body: { action: 'reopen', note: '群众再次反映问题反复，重新打开督办' }, actor: commanderActor(staff, rng) }
      at = t + rng.float(1, 10) * 24 * 60 * MINUTE
    }
    else {
      if (!isOpen(inc))
        break
      step = nextStep(inc, staff, catalog, rng, { duplicateOf: duplicateOf?.id })
      at = t + Math.round(stageMinutes(run, inc, stalled) * MINUTE)
    }
    if (!step)
      break
    const deadline = inc.stageDeadline ? Date.parse(inc.stageDeadline) : Infinity
    if (at > deadline && ESCALATABLE.includes(inc.state) && inc.owner.loop !== 'subdistrict') {
      const escAt = deadline + Math.round(rng.float(...CLOCK_LAG_MIN) * MINUTE)
      if (escAt >= run.now)
        break // the live escalation clock will move it
      const res = escalateOverdue(inc, new Date(escAt), catalog)
      if (res?.ok) {
        push(res.incident, res.entry, escAt)
        continue
      }
    }
    if (at >= run.now)
      break // still waiting for this step
    const res = applyAction(inc, step.body, step.actor, { now: new Date(at), catalog, mergeTarget: duplicateOf, device: deviceOf(step.actor) })
    if (!res.ok)
      throw new Error(`backfill: ${step.body.action} on ${inc.id} (${inc.state}) by ${step.actor.role} refused: ${res.message}`)
    push(res.incident, res.entry, at)
  }
  return { incident: inc, mutations }
}

function incidentId(rng: Rng, at: number): string {
  const hex = Math.floor(rng.next() * 0x1_0000_0000).toString(16).padStart(8, '0') + Math.floor(rng.next() * 256).toString(16).padStart(2, '0')
  return `inc_${at.toString(36)}${hex}`
}

/**
 * Deterministic history: the same reference, catalog, options give the same mutations (one per recorded
 * step, versions 1..n per incident), ordered by time overall so the change log reads chronologically.
 */
export function buildBackfill(ref: ReferenceData, catalog: Catalog, opts: BackfillOptions): IncidentMutation[] {
  const rng = createRng(`${opts.seed}:backfill`)
  const staff = indexStaff(ref)
  const grids = new GridIndex(ref.territory.grids)
  const now = opts.now.getTime()
  const run: Run = { rng, staff, catalog, now }
  const arrivals = monthPlan(createRng(`${opts.seed}:volume`), catalog, now, opts.months)
    .sort((a, b) => a.at - b.at)
  // The latest report of each kind in each grid: a new one soon after may be its duplicate.
  const latest = new Map<string, Incident>()
  const mutations: IncidentMutation[] = []
  for (const { at, category } of arrivals) {
    const grid = pickGrid(rng, staff)
    const { actor, channel } = pickReporter(rng, staff, grid)
    const body = reportBody(rng, category as Category, grid, channel)
    const made = createIncident(incidentId(rng, at), body, actor, { now: new Date(at), catalog, grids, reference: ref, device: deviceOf(actor) })
    if (!made.ok)
      throw new Error(`backfill: ${made.message}`)
    const key = `${category.code}|${made.incident.owner.gridId}`
    const prior = latest.get(key)
    const duplicateOf = prior && at - Date.parse(prior.reportedAt) < 3 * 24 * 60 * MINUTE && prior.state !== 'merged' && prior.state !== 'rejected' ? prior : undefined
    const built = lifecycle(run, made.incident, made.entry, duplicateOf)
    latest.set(key, built.incident)
    mutations.push(...built.mutations)
  }
  // Stable sort: steps of one incident recorded in the same millisecond keep their order.
  return mutations.sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : 0))
}
