import type { Static } from 'typebox'
import { Type } from 'typebox'

// Outcome webhooks (#16): a system that reports incidents through an API key registers one callback; every step of
// its incidents goes back to it as a signed POST, through a durable outbox (server/webhooks/). docs/webhooks.md.

export const WEBHOOK_EVENT_TYPE = 'incident.changed'
/** The request headers of a delivery. */
export const WEBHOOK_HEADERS = {
  id: 'x-onescreen-event-id',
  timestamp: 'x-onescreen-timestamp',
  signature: 'x-onescreen-signature',
} as const

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

/** A 12345 order as it goes back: never its caller or the caller's phone. */
export const WebhookHotlineT = Type.Object({
  orderNo: Type.String(),
  dueAt: Type.Optional(Type.String()),
  replyText: Type.Optional(Type.String()),
  repliedAt: Type.Optional(Type.String()),
  requests: Type.Array(Type.Object({ kind: Type.String(), status: Type.String(), at: Type.String(), days: Type.Optional(Type.Integer()), answer: Type.Optional(Type.String()) })),
  marks: Type.Array(Type.Object({ kind: Type.String(), at: Type.String() })),
})

/** The incident as its reporter sees it: where it is in the loop, in Open311 words too. */
export const WebhookIncidentT = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  state: Type.String(),
  /** Open311 status: open or closed. */
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  statusNotes: Type.String(),
  category: Type.String(),
  /** The sector (or post) responsible, by name. */
  agencyResponsible: Nullable(Type.String()),
  /** When the current stage is due (Open311 expected_datetime). */
  expectedDatetime: Nullable(Type.String()),
  updatedAt: Type.String(),
  closedAt: Nullable(Type.String()),
  satisfied: Type.Union([Type.Boolean(), Type.Null()]),
  hotline: Type.Optional(WebhookHotlineT),
  mergedInto: Nullable(Type.String()),
})
export type WebhookIncident = Static<typeof WebhookIncidentT>

/** The body of one delivery. `id` is stable across retries: a receiver deduplicates on it. */
export const WebhookEventT = Type.Object({
  id: Type.String(),
  type: Type.Literal(WEBHOOK_EVENT_TYPE),
  /** The change-log seq of the step: increasing per subscription, so per incident too. */
  seq: Type.Integer(),
  at: Type.String(),
  incident: WebhookIncidentT,
  /** The step (report, accept, assign, resolve, merge, reopen, hotline steps …). */
  action: Type.String(),
  note: Type.Optional(Type.String()),
  /**
   * Set when the step happened on the incident this one was merged into: `incident` then carries that incident's
   * outcome (state, status, notes, deadlines) under this incident's id.
   */
  via: Type.Optional(Type.Object({ id: Type.String(), version: Type.Integer() })),
})
export type WebhookEvent = Static<typeof WebhookEventT>

const Url = Type.String({ minLength: 8, maxLength: 2000, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', description: 'an http or https URL' })
const Secret = Type.String({ minLength: 16, maxLength: 200 })

/** Registering (or changing) a callback. Without a secret a new one is made and answered once. */
export const WebhookSetT = Type.Object({
  url: Url,
  secret: Type.Optional(Secret),
  /** Make a new secret and answer it once (the old one stops signing at once). */
  rotateSecret: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type WebhookSet = Static<typeof WebhookSetT>

/** A subscription as listed: never its secret. */
export const WebhookSubscriptionT = Type.Object({
  keyId: Type.String(),
  keyName: Type.String(),
  url: Type.String(),
  enabled: Type.Boolean(),
  paused: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** Events waiting to be delivered. */
  backlog: Type.Integer(),
  lastDeliveredAt: Nullable(Type.String()),
  /** The oldest waiting event's last failure, if it failed. */
  lastError: Nullable(Type.String()),
})
export type WebhookSubscription = Static<typeof WebhookSubscriptionT>

/** Registering answers the subscription, and its secret once when the server made it. */
export const WebhookSavedT = Type.Object({ ...WebhookSubscriptionT.properties, secret: Type.Optional(Type.String()) })
export type WebhookSaved = Static<typeof WebhookSavedT>

export const WebhookDeliveryT = Type.Object({
  eventId: Type.String(),
  seq: Type.Integer(),
  incidentId: Type.String(),
  action: Type.String(),
  createdAt: Type.String(),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Nullable(Type.String()),
  lastAttemptAt: Nullable(Type.String()),
  /** When the next attempt is due; null once delivered. */
  nextAttemptAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
})
export type WebhookDelivery = Static<typeof WebhookDeliveryT>

export const WebhookDeliveriesT = Type.Object({
  subscription: WebhookSubscriptionT,
  deliveries: Type.Array(WebhookDeliveryT),
})
export type WebhookDeliveries = Static<typeof WebhookDeliveriesT>
