import type { Static } from 'typebox'
import { Type } from 'typebox'

// The notification ladder's record (#17): one delivery per (subject, person, rung). It goes into the change log
// and so to every screen, walls included: ids, channels and times only — never a name or a phone number.

export const DeliveryChannel = Type.Union([Type.Literal('app'), Type.Literal('push'), Type.Literal('sms'), Type.Literal('robot'), Type.Literal('supervisor')])
export type DeliveryChannel = Static<typeof DeliveryChannel>

/**
 * queued: committed before the channel is called (a row left queued by a crash is never sent again: it becomes
 * failed with `interrupted` at the next start — at most once); sent: the gateway took it; delivered: the carrier's
 * receipt or the push service's; failed: refused or undeliverable; skipped: the rung cannot reach the person (no
 * subscription, no number, the day's cap); acknowledged: the person answered through this rung (the SMS link, a
 * reply "1", a push action).
 */
export const DeliveryStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sent'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
  Type.Literal('acknowledged'),
])
export type DeliveryStatus = Static<typeof DeliveryStatus>

export const Subject = Type.Object({ kind: Type.Union([Type.Literal('task'), Type.Literal('message')]), id: Type.String() })
export type Subject = Static<typeof Subject>

export const Delivery = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  subject: Subject,
  /** The operation of a task (the board counts one operation); null for a message. */
  operationId: Type.Union([Type.String(), Type.Null()]),
  /** Whose rung it is: the task's assignee or the message's recipient. */
  personId: Type.String(),
  /** The rung's index in the subject's ladder (shared/notify/ladder.ts). */
  rung: Type.Integer({ minimum: 0 }),
  channel: DeliveryChannel,
  status: DeliveryStatus,
  /** The supervisor rung: the people it told (ids). */
  to: Type.Array(Type.String()),
  queuedAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  /** When it became delivered, failed or acknowledged. */
  doneAt: Type.Union([Type.String(), Type.Null()]),
  /** The gateway's message id (SMPP message_id, the HTTP gateway's id). */
  providerId: Type.Union([Type.String(), Type.Null()]),
  /** Why it failed or was skipped; never carries a number. */
  error: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
})
export type Delivery = Static<typeof Delivery>
