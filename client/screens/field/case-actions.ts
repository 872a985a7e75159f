import type { ActionBody, ActionKind, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import { allowedActionsFor } from '../../../shared/incident/lifecycle.ts'
import { dayOf, localParts } from '../../../shared/kernel/time.ts'

/** The actions a phone offers, in the order a worker meets them. The desk's (assign, verify, close …) stay on the desk. */
export const PHONE_ACTIONS = ['accept', 'start', 'arrive', 'progress', 'resolve', 'feedback', 'return'] as const
export type PhoneAction = typeof PHONE_ACTIONS[number]
/** Actions that need words, photos or a choice first: they open a small form on the card. */
export const FORM_ACTIONS: readonly PhoneAction[] = ['progress', 'resolve', 'feedback', 'return']

export interface PendingAction { opId: string, body: Omit<ActionBody, 'photos'> }

/**
 * The state the incident will be in once the phone's queued actions land: shown at once, marked as on its way.
 * Mirrors the state machine's moves (lifecycle.ts) for the phone's own actions; the server's answer replaces it.
 */
export function predictState(incident: Pick<Incident, 'state'>, pending: readonly PendingAction[]): IncidentState {
  const NEXT: Partial<Record<ActionKind, (s: IncidentState, body: PendingAction['body']) => IncidentState>> = {
    accept: () => 'accepted',
    start: () => 'handling',
    resolve: () => 'resolved',
    return: s => s === 'resolved' ? 'handling' : 'accepted',
    feedback: (_, body) => body.satisfied ? 'closed' : 'assigned',
  }
  let state = incident.state
  for (const { body } of pending)
    state = NEXT[body.action]?.(state, body) ?? state
  return state
}

/**
 * What the worker may press now: allowed from the (predicted) state by the state machine, permitted to this
 * person on this incident by the one authorisation rule, and not already done (arrival is reported once).
 */
export function phoneActions(incident: Incident, pending: readonly PendingAction[], mayAct: (a: ActionKind) => boolean): PhoneAction[] {
  const state = predictState(incident, pending)
  // Once the worker handed it back, the next step is someone else's.
  if (pending.some(p => p.body.action === 'return'))
    return []
  const allowed = allowedActionsFor({ ...incident, state })
  const arrived = !!incident.arrivedAt || pending.some(p => p.body.action === 'arrive')
  // Return from resolved is verification failing: the checker's step, not the handler's.
  return PHONE_ACTIONS.filter(a => allowed.includes(a) && mayAct(a) && !(a === 'arrive' && arrived) && !(a === 'return' && state === 'resolved'))
}

/**
 * The version the server should find when this action lands: the one after the last queued action's, or the one
 * the phone holds. Counting from the queue, not the held copy: an answer can update the copy a moment before the
 * action leaves the queue.
 */
export function expectedVersion(incident: Pick<Incident, 'version'>, pending: readonly PendingAction[]): number {
  const last = pending.at(-1)?.body.expectedVersion
  return last === undefined ? incident.version : last + 1
}

/** A deadline in Chongqing time: hours and minutes, with the day when it is not today. */
export function deadlineParts(at: number, now: number): { time: string, m: number | null, d: number | null } {
  const p = localParts(at)
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
  return dayOf(at) === dayOf(now) ? { time, m: null, d: null } : { time, m: p.month0 + 1, d: p.day }
}
