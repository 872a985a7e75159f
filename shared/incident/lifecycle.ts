import type { Catalog } from '../organisation/catalog.ts'
import type { Loop, RoleKey } from '../territory/types.ts'
import type { ActionBody, ActionKind, Actor, HistoryEntry, Incident, IncidentState } from './schema.ts'
import { applyHotlineOp, closeBlocked } from '../hotline/order.ts'
import { MAX_PHOTOS } from '../kernel/limits.ts'
import { postById, stageDeadlineFor } from '../organisation/catalog.ts'
import { LOOPS } from '../territory/types.ts'

// The closed loop (上报 → 受理 → 转办 → 处置 → 反馈) as a state machine written down as data.
// Roles here are the role-level rule; territory scope (which grid, which sector) is checked by the caller.

export type RequiredField = 'note' | 'sectorId' | 'postId' | 'assigneeId' | 'mergeInto' | 'satisfied'
export type OwnerField = 'sectorId' | 'postId' | 'assigneeId'

export interface ActionRule {
  from: IncidentState[]
  roles: RoleKey[]
  requires: RequiredField[]
  /** At least one of these must be given (assign: a sector, post or person). */
  requiresOneOf?: OwnerField[]
  label: { zh: string, en: string }
}

export const ALL_STATES: readonly IncidentState[] = ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified', 'closed', 'rejected', 'merged']
export const FINISHED_STATES: readonly IncidentState[] = ['closed', 'rejected', 'merged']

const DISPATCHERS: RoleKey[] = ['admin', 'commander', 'operator']
const OWNERS: RoleKey[] = [...DISPATCHERS, 'sector_lead', 'community_staff', 'grid_worker']
const HANDLERS: RoleKey[] = [...OWNERS, 'post_staff', 'force_member']

export const ACTION_RULES: Record<ActionKind, ActionRule> = {
  // Creation goes through routing.createIncident; listed here for its roles and label only.
  report: { from: [], roles: [...HANDLERS, 'integration', 'system'], requires: [], label: { zh: '上报', en: 'Report' } },
  accept: { from: ['reported'], roles: [...OWNERS, 'post_staff', 'system'], requires: [], label: { zh: '受理', en: 'Accept' } },
  assign: { from: ['accepted'], roles: [...OWNERS, 'system'], requires: [], requiresOneOf: ['sectorId', 'postId', 'assigneeId'], label: { zh: '派单', en: 'Assign' } },
  transfer: { from: ['assigned'], roles: [...OWNERS, 'post_staff'], requires: ['note'], requiresOneOf: ['sectorId', 'postId', 'assigneeId'], label: { zh: '转办', en: 'Transfer' } },
  start: { from: ['assigned'], roles: HANDLERS, requires: [], label: { zh: '开始处置', en: 'Start handling' } },
  arrive: { from: ['handling'], roles: HANDLERS, requires: [], label: { zh: '到场', en: 'On scene' } },
  progress: { from: ['assigned', 'handling'], roles: HANDLERS, requires: ['note'], label: { zh: '记录进展', en: 'Add progress' } },
  resolve: { from: ['handling'], roles: HANDLERS, requires: ['note'], label: { zh: '办结', en: 'Resolve' } },
  verify: { from: ['resolved'], roles: OWNERS, requires: [], label: { zh: '核查', en: 'Verify' } },
  feedback: { from: ['verified'], roles: [...DISPATCHERS, 'community_staff', 'grid_worker', 'system'], requires: ['satisfied'], label: { zh: '反馈', en: 'Feedback' } },
  close: { from: ['verified'], roles: [...DISPATCHERS, 'community_staff', 'system'], requires: [], label: { zh: '结案', en: 'Close' } },
  return: { from: ['assigned', 'handling', 'resolved'], roles: HANDLERS, requires: ['note'], label: { zh: '退回', en: 'Return' } },
  // 'system' is the escalation clock.
  escalate: { from: ['reported', 'accepted', 'assigned', 'handling'], roles: [...HANDLERS, 'system'], requires: ['note'], label: { zh: '上报上级', en: 'Escalate' } },
  reopen: { from: ['closed'], roles: DISPATCHERS, requires: ['note'], label: { zh: '重新打开', en: 'Reopen' } },
  merge: { from: ['reported', 'accepted'], roles: [...OWNERS, 'system'], requires: ['mergeInto'], label: { zh: '合并重复件', en: 'Merge duplicate' } },
  reject: { from: ['reported', 'accepted'], roles: [...DISPATCHERS, 'sector_lead', 'community_staff'], requires: ['note'], label: { zh: '不予受理', en: 'Reject' } },
  // A 12345 order's op (#16): the desk replies and asks, the hotline's key marks and answers (shared/hotline/order.ts).
  hotline: { from: ['reported', 'accepted', 'assigned', 'handling', 'resolved', 'verified'], roles: [...HANDLERS, 'integration'], requires: [], label: { zh: '12345工单', en: '12345 order' } },
}

const ACTIONS = Object.keys(ACTION_RULES) as ActionKind[]

/** Actions the state machine allows from `state`, whatever the role, in ACTION_RULES order. */
export function allowedActions(state: IncidentState): ActionKind[] {
  return ACTIONS.filter(a => ACTION_RULES[a].from.includes(state))
}

/** Actions allowed on this incident: as allowedActions, less escalate at the top loop. */
export function allowedActionsFor(incident: Incident): ActionKind[] {
  return allowedActions(incident.state).filter(a => a !== 'escalate' || nextLoop(incident.owner.loop) !== null)
}

export function canPerform(role: string, action: ActionKind): boolean {
  return (ACTION_RULES[action].roles as string[]).includes(role)
}

export function isOpen(incident: Pick<Incident, 'state'>): boolean {
  return !FINISHED_STATES.includes(incident.state)
}

export function nextLoop(loop: Loop): Loop | null {
  return LOOPS[LOOPS.indexOf(loop) + 1] ?? null
}

export interface ActionContext {
  now: Date
  catalog: Catalog
  /** The incident named by body.mergeInto, looked up by the caller; null/undefined = it does not exist. */
  mergeTarget?: Incident | null
  device?: string
}

export type ActionErrorCode = 'illegal_state' | 'missing_field' | 'forbidden_role' | 'bad_target'
export type ActionResult
  = | { ok: true, incident: Incident, entry: HistoryEntry }
    | { ok: false, code: ActionErrorCode, message: string, field?: string, state?: IncidentState, allowed?: ActionKind[] }

type Failure = Extract<ActionResult, { ok: false }>
type Change = { ok: true, next: Incident, data?: Record<string, unknown>, note?: string } | Failure

function fail(code: ActionErrorCode, message: string, extra: Omit<Failure, 'ok' | 'code' | 'message'> = {}): Failure {
  return { ok: false, code, message, ...extra }
}

function isGiven(body: ActionBody, field: RequiredField): boolean {
  const value = body[field]
  if (field === 'satisfied')
    return typeof value === 'boolean'
  return typeof value === 'string' && value.trim() !== ''
}

/** Checks, in order: the role may act at all (403), the state allows it (409), the fields are there (400). */
function precheck(incident: Incident, body: ActionBody, actor: Actor): Failure | null {
  const rule = ACTION_RULES[body.action]
  if (!canPerform(actor.role, body.action))
    return fail('forbidden_role', `role ${actor.role} may not ${body.action}`, { state: incident.state })
  const allowed = allowedActionsFor(incident)
  if (!allowed.includes(body.action)) {
    const why = body.action === 'escalate' && rule.from.includes(incident.state)
      ? `already at the ${incident.owner.loop} loop, the top`
      : `not allowed from state ${incident.state}`
    return fail('illegal_state', `${body.action}: ${why}`, { state: incident.state, allowed })
  }
  const missing = rule.requires.find(f => !isGiven(body, f))
  if (missing)
    return fail('missing_field', `${body.action} requires ${missing}`, { field: missing })
  if (rule.requiresOneOf && !rule.requiresOneOf.some(f => isGiven(body, f)))
    return fail('missing_field', `${body.action} requires one of ${rule.requiresOneOf.join(', ')}`, { field: rule.requiresOneOf[0] })
  const unanswered = closeBlocked(incident, body)
  return unanswered ? fail('missing_field', unanswered.message, { field: unanswered.field }) : null
}

/** The owner after an assign or transfer; a new sector without a post clears the post, a post implies its sector. */
function reassign(incident: Incident, body: ActionBody, catalog: Catalog): Change {
  const owner = { ...incident.owner }
  if (body.postId) {
    const post = postById(catalog, body.postId)
    if (!post)
      return fail('bad_target', `unknown post ${body.postId}`, { field: 'postId' })
    if (body.sectorId && body.sectorId !== post.sectorId)
      return fail('bad_target', `post ${body.postId} is not in sector ${body.sectorId}`, { field: 'postId' })
    owner.sectorId = post.sectorId
    owner.postId = post.id
  }
  else if (body.sectorId) {
    if (!catalog.sectors.some(s => s.id === body.sectorId))
      return fail('bad_target', `unknown sector ${body.sectorId}`, { field: 'sectorId' })
    if (body.sectorId !== owner.sectorId)
      owner.postId = null
    owner.sectorId = body.sectorId
  }
  if (body.assigneeId)
    owner.assigneeId = body.assigneeId
  else if (owner.sectorId !== incident.owner.sectorId || owner.postId !== incident.owner.postId)
    owner.assigneeId = null // a new sector or post picks its own person
  const unchanged = owner.sectorId === incident.owner.sectorId && owner.postId === incident.owner.postId
    && owner.assigneeId === incident.owner.assigneeId
  if (body.action === 'transfer' && unchanged)
    return fail('bad_target', 'transfer must name a different sector, post or assignee', { field: body.sectorId ? 'sectorId' : body.postId ? 'postId' : 'assigneeId' })
  const data = { sectorId: owner.sectorId, postId: owner.postId, assigneeId: owner.assigneeId }
  return { ok: true, next: { ...incident, state: 'assigned', owner }, data }
}

function merge(incident: Incident, body: ActionBody, target: Incident | null | undefined): Change {
  if (!target || target.id !== body.mergeInto)
    return fail('bad_target', `incident ${body.mergeInto} does not exist`, { field: 'mergeInto' })
  if (target.id === incident.id)
    return fail('bad_target', 'an incident cannot be merged into itself', { field: 'mergeInto' })
  if (target.state === 'merged' || target.state === 'rejected')
    return fail('bad_target', `incident ${target.id} is ${target.state}; merge into the incident it points to`, { field: 'mergeInto' })
  return { ok: true, next: { ...incident, state: 'merged', mergedInto: target.id }, data: { mergeInto: target.id } }
}

/** The state-specific part of each action; bookkeeping (version, clocks, history) is shared in applyAction. */
function change(incident: Incident, body: ActionBody, ctx: ActionContext, actor: Actor): Change {
  const at = ctx.now.toISOString()
  const reopened = { resolvedAt: null, closedAt: null, reopenCount: incident.reopenCount + 1 }
  switch (body.action) {
    case 'accept':
      return { ok: true, next: { ...incident, state: 'accepted', acceptedAt: at } }
    case 'assign':
    case 'transfer':
      return reassign(incident, body, ctx.catalog)
    case 'start':
      return { ok: true, next: { ...incident, state: 'handling' } }
    case 'progress':
      return { ok: true, next: { ...incident } }
    case 'arrive':
      return { ok: true, next: { ...incident, arrivedAt: incident.arrivedAt ?? at }, data: body.location ? { location: body.location } : undefined }
    case 'resolve': {
      const photos = body.photos?.length ? [...new Set(body.photos)] : undefined
      const next: Incident = { ...incident, state: 'resolved', resolvedAt: at }
      if (photos)
        next.resultPhotos = [...new Set([...(incident.resultPhotos ?? []), ...photos])].slice(-MAX_PHOTOS)
      return { ok: true, next, data: photos ? { photos } : undefined }
    }
    case 'verify':
      return { ok: true, next: { ...incident, state: 'verified' } }
    case 'feedback': {
      const contact = body.contact ?? null
      return body.satisfied
        ? { ok: true, next: { ...incident, state: 'closed', satisfied: true, closedAt: at, feedbackContact: contact }, data: { satisfied: true, contact } }
        // An unsatisfied resident sends the job back to whoever was handling it.
        : { ok: true, next: { ...incident, ...reopened, state: 'assigned', satisfied: false, feedbackContact: contact }, data: { satisfied: false, contact } }
    }
    case 'close':
      return { ok: true, next: { ...incident, state: 'closed', closedAt: at } }
    case 'return':
      // From resolved: verification failed, back to handling. Otherwise: back to the owning loop's desk.
      return incident.state === 'resolved'
        ? { ok: true, next: { ...incident, state: 'handling', resolvedAt: null } }
        : { ok: true, next: { ...incident, state: 'accepted', owner: { ...incident.owner, assigneeId: null } } }
    case 'escalate': {
      const loop = nextLoop(incident.owner.loop)!
      const next: Incident = {
        ...incident,
        state: 'reported',
        escalations: incident.escalations + 1,
        owner: { ...incident.owner, loop, assigneeId: null },
      }
      return { ok: true, next, data: { fromLoop: incident.owner.loop, toLoop: loop } }
    }
    case 'reopen':
      return { ok: true, next: { ...incident, ...reopened, state: 'assigned', satisfied: null } }
    case 'merge':
      return merge(incident, body, ctx.mergeTarget)
    case 'reject':
      return { ok: true, next: { ...incident, state: 'rejected' } }
    case 'hotline':
      return applyHotlineOp(incident, body.hotline, actor, ctx.now)
    case 'report':
      return fail('illegal_state', 'report creates an incident; it cannot be applied to one', { state: incident.state, allowed: allowedActionsFor(incident) })
  }
}

/**
 * Applies one action to an incident. Pure: returns a new incident (version + 1, updatedAt = now, the new stage's
 * deadline) and the history entry to append, or says why not; the input is never touched.
 */
export function applyAction(incident: Incident, body: ActionBody, actor: Actor, ctx: ActionContext): ActionResult {
  const refused = precheck(incident, body, actor)
  if (refused)
    return refused
  const changed = change(incident, body, ctx, actor)
  if (!changed.ok)
    return changed
  const at = ctx.now.toISOString()
  const finished = FINISHED_STATES.includes(changed.next.state)
  const result: Incident = {
    ...changed.next,
    version: incident.version + 1,
    updatedAt: at,
    // Arrival and progress notes change no stage: the stage's clock keeps running from when it began. A 12345 op
    // sets its own (an approved extension moves it).
    stageDeadline: finished ? null : body.action === 'arrive' || body.action === 'progress' ? incident.stageDeadline : body.action === 'hotline' ? changed.next.stageDeadline : stageDeadlineFor(ctx.catalog, incident.category, changed.next.state, ctx.now),
  }
  const entry: HistoryEntry = { at, action: body.action, actor: { personId: actor.personId, role: actor.role }, from: incident.state, to: result.state }
  if (ctx.device !== undefined)
    entry.device = ctx.device
  if (body.note !== undefined && body.note.trim() !== '')
    entry.note = body.note
  else if (changed.note)
    entry.note = changed.note
  if (changed.data)
    entry.data = changed.data
  return { ok: true, incident: result, entry }
}
