import type { Decision, Principal } from '../../shared/auth/authz.ts'
import type { ActionBody, Actor, HistoryEntry, Incident, IncidentLabels, ReportBody } from '../../shared/incident/schema.ts'
import type { Failure, Result } from '../../shared/kernel/result.ts'
import type { Catalog } from '../../shared/organisation/catalog.ts'
import type { GridIndex } from '../../shared/territory/geo.ts'
import type { ReferenceData, RoleKey } from '../../shared/territory/types.ts'
import type { WartimeMode } from '../../shared/wartime/routing.ts'
import type { Audit, Origin } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { Limits } from '../kernel/rate-limit.ts'
import type { DuplicateIndex } from './duplicates.ts'
import { randomFillSync } from 'node:crypto'
import { authorizeIncident, SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { checkHotlineReport } from '../../shared/hotline/order.ts'
import { escalateOverdue } from '../../shared/incident/escalation.ts'
import { labelsOf } from '../../shared/incident/labels.ts'
import { applyAction } from '../../shared/incident/lifecycle.ts'
import { createIncident, routeFor } from '../../shared/incident/routing.ts'
import { distanceMeters } from '../../shared/kernel/geo.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { categoryByCode } from '../../shared/organisation/catalog.ts'
import { routeInWartime, tightenInWartime } from '../../shared/wartime/routing.ts'
import { INTERNAL } from '../audit/service.ts'
import { VersionConflictError } from '../db/errors.ts'
import { answerReplay, fingerprintOf, opKeyOf } from '../kernel/idempotency.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { spend } from '../kernel/rate-limit.ts'

export interface CallContext {
  principal: Principal
  origin: Origin
  /** Client operation id, already scoped by the caller (route or socket). */
  opKey?: string
  device?: string
}

export interface IncidentServiceDeps {
  store: Store
  audit: Audit
  catalog: Catalog
  reference: ReferenceData
  grids: GridIndex
  now: () => Date
  /** The wartime mode, when an operation is active (new reports go to the command center, clocks tighten). */
  wartime?: () => Promise<WartimeMode | null>
  /** Reports farther than this from the subdistrict centre are refused as a client mistake. */
  maxDistanceMeters?: number
  /** Per-caller budgets over HTTP and sockets alike. */
  limits?: Pick<Limits, 'reports' | 'actions'>
  /** Finds possible duplicates of a new report (docs/duplicates.md); stored on it as `possibleDuplicates`. */
  duplicates?: Pick<DuplicateIndex, 'candidates'>
}

/** The one place incidents are created and moved; HTTP routes and socket handlers both call it. */
export function createIncidentService(deps: IncidentServiceDeps) {
  const lock = new KeyedLock()
  /** Told after each durable action (not a replay): who acted and what came of it (desk notices). */
  const listeners = new Set<(incident: Incident, entry: HistoryEntry) => void>()
  const told = (incident: Incident, entry: HistoryEntry) => listeners.forEach(l => l(incident, entry))
  const maxDistance = deps.maxDistanceMeters ?? 30_000
  const labels = labelCache(deps)

  async function replayOf(ctx: CallContext, fingerprint: string): Promise<Result<Incident> | null> {
    const key = opKeyOf(ctx)
    const prior = key ? await deps.store.getOp(key) : null
    return prior ? answerReplay(prior, fingerprint) : null
  }

  /** Records a refusal in the audit trail and answers it. */
  async function refuse(ctx: CallContext, action: string, target: string | null, reason: string): Promise<Failure> {
    await deps.audit.record(ctx.principal, ctx.origin, { action, target, result: 'deny', detail: reason })
    return fail('forbidden', reason, 'role')
  }

  /**
   * #16: a report with a 12345 order made by the same sender before answers the incident it became (200), so a
   * hotline resending its order makes no second incident. One order number at a time per sender: lookup and commit
   * are not raced by a second copy.
   */
  async function report(body: ReportBody, ctx: CallContext): Promise<Result<Incident>> {
    if (!body.hotline)
      return reportOne(body, ctx)
    const checked = checkHotlineReport(body)
    if (!checked.ok)
      return fail('invalid', checked.message, checked.field)
    const sender = ctx.principal.personId ?? ctx.principal.id
    const orderNo = body.hotline.orderNo
    return lock.run(`hotline:${sender}:${orderNo}`, async () => {
      // A retry under its Idempotency-Key is answered as the first time (201), before the order is looked up.
      const replay = await replayOf(ctx, fingerprintOf(checked.body))
      if (replay)
        return replay
      const prior = await deps.store.findHotlineOrder(sender, orderNo)
      return prior ? succeed(prior) : reportOne(checked.body, ctx)
    })
  }

  async function reportOne(body: ReportBody, ctx: CallContext): Promise<Result<Incident>> {
    const fingerprint = fingerprintOf(body)
    const replay = await replayOf(ctx, fingerprint)
    if (replay)
      return replay
    const limited = spend(deps.limits?.reports, ctx, 'reports')
    if (limited)
      return limited
    const category = categoryByCode(deps.catalog, body.category)
    if (!category)
      return fail('invalid', `unknown category ${body.category}`, 'category')
    const center = deps.reference.territory.subdistrict.center
    if (distanceMeters(center, body.location) > maxDistance)
      return fail('invalid', `location is more than ${maxDistance / 1000} km from ${deps.reference.territory.subdistrict.name}`, 'location')
    // Located once: the same grid routes the authorisation and the new incident.
    const grid = deps.grids.locate(body.location)
    const decision = authorizeIncident(ctx.principal, 'report', routeFor(category, grid))
    if (!decision.allow)
      return refuse(ctx, 'incident:report', null, decision.reason)
    const now = deps.now()
    const made = createIncident(newId(now), body, actorOf(ctx.principal, decision.role), { now, catalog: deps.catalog, grids: deps.grids, reference: deps.reference, device: ctx.device, grid })
    if (!made.ok)
      return fail('invalid', made.message, made.field)
    const war = deps.wartime ? await deps.wartime() : null
    if (war) {
      made.incident = routeInWartime(made.incident, war, now)
      made.entry = { ...made.entry, data: { ...made.entry.data, wartime: war.operationId } }
    }
    // The incident is this call's own fresh object until it is committed: set in place rather than copied again.
    made.incident.labels = labels(made.incident)
    const dupes = deps.duplicates ? await deps.duplicates.candidates(made.incident) : []
    if (dupes.length > 0)
      made.incident.possibleDuplicates = dupes.map(c => c.incident.id)
    const { result, replayed } = await deps.store.commit({
      mutations: [{ kind: 'incident', incident: made.incident, entry: made.entry }],
      opKey: opKeyOf(ctx),
      fingerprint,
      audit: deps.audit.entry(ctx.principal, ctx.origin, { action: 'incident:report', target: made.incident.id, result: 'allow', role: decision.role }),
      result: () => ({ status: 201, body: made.incident }),
    })
    if (replayed)
      return answerReplay(result!, fingerprint)
    told(made.incident, made.entry)
    return succeed(made.incident, { created: true })
  }

  /** `authorize` replaces the role-and-territory rule for a caller that acts by another right (a 12345 key on its order). */
  async function act(id: string, body: ActionBody, ctx: CallContext, authorize?: (current: Incident) => Decision): Promise<Result<Incident>> {
    const fingerprint = fingerprintOf({ id, body })
    return lock.run(id, async () => {
      const replay = await replayOf(ctx, fingerprint)
      if (replay)
        return replay
      const limited = spend(deps.limits?.actions, ctx, 'actions')
      if (limited)
        return limited
      const current = await deps.store.getIncidentState(id)
      if (!current)
        return fail('not_found', `incident ${id} does not exist`, 'id')
      if (body.expectedVersion !== undefined && body.expectedVersion !== current.version)
        return fail('conflict', `incident ${id} is at version ${current.version}, not ${body.expectedVersion}`, 'expectedVersion', { state: current.state })
      const decision = authorize ? authorize(current) : authorizeIncident(ctx.principal, body.action, current.owner)
      if (!decision.allow)
        return refuse(ctx, `incident:${body.action}`, id, decision.reason)
      const mergeTarget = body.mergeInto ? await deps.store.getIncidentState(body.mergeInto) : undefined
      const now = deps.now()
      const applied = applyAction(current, body, actorOf(ctx.principal, decision.role), { now, catalog: deps.catalog, mergeTarget, device: ctx.device })
      const war = applied.ok && deps.wartime ? await deps.wartime() : null
      if (applied.ok && war)
        applied.incident = tightenInWartime(applied.incident, war, now)
      // applyAction answers a fresh object (never the stored one): set in place rather than copied again.
      if (applied.ok)
        applied.incident.labels = labels(applied.incident)
      if (!applied.ok) {
        const code = applied.code === 'illegal_state' ? 'conflict' : applied.code === 'forbidden_role' ? 'forbidden' : 'invalid'
        return fail(code, applied.message, applied.field, { state: applied.state, allowed: applied.allowed })
      }
      try {
        const { result, replayed } = await deps.store.commit({
          mutations: [{ kind: 'incident', incident: applied.incident, entry: applied.entry }],
          opKey: opKeyOf(ctx),
          fingerprint,
          audit: deps.audit.entry(ctx.principal, ctx.origin, { action: `incident:${body.action}`, target: id, result: 'allow', role: decision.role }),
          result: () => ({ status: 200, body: applied.incident }),
        })
        if (replayed)
          return answerReplay(result!, fingerprint)
        told(applied.incident, applied.entry)
        return succeed(applied.incident)
      }
      catch (e) {
        if (e instanceof VersionConflictError)
          return fail('conflict', e.message, 'id')
        throw e
      }
    })
  }

  /** Moves every overdue incident up one loop; returns how many moved. */
  async function escalateDue(): Promise<number> {
    const now = deps.now()
    const overdue = await deps.store.listOverdue(now.toISOString())
    let moved = 0
    for (const inc of overdue) {
      await lock.run(inc.id, async () => {
        const current = await deps.store.getIncidentState(inc.id)
        if (!current)
          return
        const res = escalateOverdue(current, now, deps.catalog)
        if (!res?.ok)
          return
        await deps.store.commit({
          mutations: [{ kind: 'incident', incident: res.incident, entry: res.entry }],
          audit: deps.audit.entry(SYSTEM_PRINCIPAL, INTERNAL, { action: 'incident:escalate', target: inc.id, result: 'allow', role: 'system' }),
        })
        told(res.incident, res.entry)
        moved++
      })
    }
    return moved
  }

  function onActed(listener: (incident: Incident, entry: HistoryEntry) => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  return { report, act, escalateDue, onActed, get: (id: string) => deps.store.getIncident(id) }
}

export type IncidentService = ReturnType<typeof createIncidentService>

/**
 * `labelsOf` remembered per category and owner for the reference and catalog in force (swapped, never edited in
 * place, when a package is applied). What is remembered are the names found; a name the reference no longer has is
 * the one the incident carried, as `labelsOf` does. A complete answer is shared between incidents (never mutated).
 */
function labelCache(deps: Pick<IncidentServiceDeps, 'reference' | 'catalog'>): (inc: Incident) => IncidentLabels {
  let ref: ReferenceData | null = null
  let catalog: Catalog | null = null
  const held = new Map<string, { found: IncidentLabels, complete: boolean }>()
  return (inc) => {
    if (ref !== deps.reference || catalog !== deps.catalog || held.size >= 10_000) {
      ref = deps.reference
      catalog = deps.catalog
      held.clear()
    }
    const o = inc.owner
    const key = `${inc.category}|${o.communityId}|${o.gridId}|${o.sectorId}|${o.postId}|${o.assigneeId}`
    let known = held.get(key)
    if (!known) {
      const found = labelsOf({ category: inc.category, owner: o } as Incident, ref, catalog)
      const complete = found.category !== undefined && (!o.communityId || found.community !== undefined) && (!o.gridId || found.grid !== undefined)
        && (!o.sectorId || found.sector !== undefined) && (!o.postId || found.post !== undefined) && (!o.assigneeId || found.assignee !== undefined)
      held.set(key, known = { found, complete })
    }
    if (known.complete)
      return known.found
    // Some name is gone from the reference: the carried one stands in, in labelsOf's key order.
    const was = inc.labels ?? {}
    const f = known.found
    const out: IncidentLabels = {}
    const pick = (k: keyof IncidentLabels, has: unknown) => {
      const name = f[k] ?? (has ? was[k] : undefined)
      if (name !== undefined)
        out[k] = name
    }
    pick('category', true)
    pick('community', o.communityId)
    pick('grid', o.gridId)
    pick('sector', o.sectorId)
    pick('post', o.postId)
    pick('assignee', o.assigneeId)
    return out
  }
}

/** The history's actor: the person if there is one (else the device/key/link id), in the role the decision used. */
function actorOf(p: Principal, role: RoleKey): Actor {
  return { personId: p.personId ?? p.id, role }
}

// Random bytes for ids, drawn from the CSPRNG a page at a time rather than five bytes per call.
const pool = Buffer.alloc(4096)
let pooled = pool.length

/** Sortable, unique incident ids: time prefix then randomness. */
export function newId(now: Date): string {
  if (pooled + 5 > pool.length) {
    randomFillSync(pool)
    pooled = 0
  }
  pooled += 5
  return `inc_${now.getTime().toString(36)}${pool.toString('hex', pooled - 5, pooled)}`
}
