import type { Delivery, DeliveryChannel, Subject } from './schema.ts'

// The notification ladder as data (#17): after the app, each rung reaches further — Web Push where the phone has
// subscribed, SMS, the group robot, the grid's supervisors, the last resort — each after its own delay. Delays
// derive from the plan template's acknowledgement window, so the drill's time compression compresses them too.

/**
 * What a rung does: `chase` rings a phone whose app has not confirmed receipt (SMS at once without a smartphone);
 * `resend` is the task's re-send at its deadline (Task.resends); `group` posts to the robot; `escalate` tells the
 * grid's supervisors (Task.escalatedTo); `lastResort` tells the duty roster's people when that goes unanswered too.
 */
export type RungRole = 'app' | 'chase' | 'resend' | 'group' | 'escalate' | 'lastResort'

export interface Rung {
  index: number
  channel: DeliveryChannel
  role: RungRole
  /** Nominal delay after the subject was sent (the task's own clock decides within these, see `taskRungDue`). */
  afterMs: number
}

/** Push chases an unconfirmed task after a tenth of its window, at most 30 s (30 s of a 5-minute window). */
export const PUSH_SHARE = 0.1
export const PUSH_MAX_MS = 30_000

/** The delivery's id: one per (subject, person, rung), so a second attempt at the same step cannot commit. */
export function deliveryId(subject: Subject, personId: string, rung: number): string {
  return `${subject.kind}:${subject.id}|${personId}|${rung}`
}

/**
 * A task's ladder. Rung 0 is the app (the socket; its receipt is the task's own `deliveredAt`, no row). Without a
 * smartphone the chase is an SMS at once. `resendMs` is the plan's re-send window (`resendWindowMs`).
 */
export function taskLadder(o: { ackMs: number, resendMs: number, smartphone: boolean }): Rung[] {
  const escalateAt = o.ackMs + o.resendMs
  return [
    { index: 0, channel: 'app', role: 'app', afterMs: 0 },
    o.smartphone
      ? { index: 1, channel: 'push', role: 'chase', afterMs: Math.min(PUSH_MAX_MS, o.ackMs * PUSH_SHARE) }
      : { index: 1, channel: 'sms', role: 'chase', afterMs: 0 },
    { index: 2, channel: 'sms', role: 'resend', afterMs: o.ackMs },
    { index: 3, channel: 'robot', role: 'group', afterMs: escalateAt },
    { index: 4, channel: 'supervisor', role: 'escalate', afterMs: escalateAt },
    { index: 5, channel: 'supervisor', role: 'lastResort', afterMs: escalateAt + o.resendMs },
  ]
}

/** What the ladder reads of a task: its clock (`ackDeadline` moves at the re-send), state and escalation. */
export interface TaskFacts {
  state: string
  sentAt: string
  ackDeadline: string
  resends: number
  escalatedTo: string[]
}

const OPEN = new Set(['sent', 'delivered'])

/**
 * Whether a task's rung is due now. The re-send and the escalation follow the task's own acknowledgement clock
 * (`stepTask`): re-send at the deadline, escalate at the re-sent deadline. Whichever clock moves the task first,
 * the other finds the step done and only records what is missing. `escalatedAt`: when rung 4 was committed.
 */
export function taskRungDue(rung: Rung, t: TaskFacts, now: number, o: { resendMs: number, escalatedAt: string | null }): boolean {
  if (!OPEN.has(t.state))
    return false
  const sent = Date.parse(t.sentAt)
  const deadline = Date.parse(t.ackDeadline)
  switch (rung.role) {
    case 'app':
      return false
    case 'chase':
      return now >= sent + rung.afterMs && (rung.channel === 'sms' || t.state === 'sent')
    case 'resend':
      return t.resends >= 1 || now >= deadline
    case 'group':
    case 'escalate':
      return t.escalatedTo.length > 0 || (t.resends >= 1 && now >= deadline)
    case 'lastResort':
      return o.escalatedAt !== null && now >= Date.parse(o.escalatedAt) + o.resendMs
  }
}

/** A message's ladder: the app, then push to a phone that has not received it, then SMS to whoever has not read it. */
export function messageLadder(o: { pushAfterMs: number, smsAfterMs: number, smartphone: boolean }): Rung[] {
  return o.smartphone
    ? [{ index: 0, channel: 'app', role: 'app', afterMs: 0 }, { index: 1, channel: 'push', role: 'chase', afterMs: o.pushAfterMs }, { index: 2, channel: 'sms', role: 'resend', afterMs: o.smsAfterMs }]
    : [{ index: 0, channel: 'app', role: 'app', afterMs: 0 }, { index: 1, channel: 'sms', role: 'chase', afterMs: 0 }]
}

export function messageRungDue(rung: Rung, r: { deliveredAt: string | null, readAt: string | null }, sentAt: string, now: number): boolean {
  if (rung.role === 'app' || r.readAt !== null || now < Date.parse(sentAt) + rung.afterMs)
    return false
  return rung.channel === 'push' ? r.deliveredAt === null : true
}

const PERSONAL: ReadonlySet<DeliveryChannel> = new Set(['app', 'push', 'sms'])
const LIVE = new Set(['sent', 'delivered', 'acknowledged'])

/**
 * The channel that reached a person for one subject: the rung they answered through (the SMS link, a reply);
 * else the last personal rung sent before their device's receipt or answer — none: the app; else a rung the
 * carrier confirmed delivered. Null: not reached (yet).
 */
export function reachedBy(t: { deliveredAt: string | null, ackAt: string | null }, ds: Delivery[]): DeliveryChannel | null {
  const answered = ds.find(d => d.status === 'acknowledged')
  if (answered)
    return answered.channel
  const mine = ds.filter(d => PERSONAL.has(d.channel) && d.sentAt !== null && LIVE.has(d.status))
  const at = t.deliveredAt ?? t.ackAt
  if (at !== null) {
    const before = mine.filter(d => d.sentAt! <= at).sort((a, b) => a.sentAt!.localeCompare(b.sentAt!))
    return before.at(-1)?.channel ?? 'app'
  }
  return mine.find(d => d.status === 'delivered')?.channel ?? null
}

export interface ReachCounts { app: number, push: number, sms: number, none: number }

/** How many tasks each channel reached (the wall's board, the drill's report). */
export function reachCounts(tasks: { id: string, deliveredAt: string | null, ackAt: string | null }[], deliveries: Delivery[]): ReachCounts {
  const bySubject = new Map<string, Delivery[]>()
  for (const d of deliveries) {
    if (d.subject.kind === 'task')
      bySubject.set(d.subject.id, [...(bySubject.get(d.subject.id) ?? []), d])
  }
  const out: ReachCounts = { app: 0, push: 0, sms: 0, none: 0 }
  for (const t of tasks) {
    const c = reachedBy(t, bySubject.get(t.id) ?? [])
    if (c === 'app' || c === 'push' || c === 'sms')
      out[c]++
    else
      out.none++
  }
  return out
}
