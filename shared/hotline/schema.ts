import type { Static } from 'typebox'
import { Type } from 'typebox'
import { TEXT_LIMITS } from '../kernel/limits.ts'

// The 12345 hotline's work order after it became an incident (#16): the ops both sides perform on it, carried in
// the incident action `hotline`, and what the hotline's key reads and sends by order number. The order itself
// (HotlineOrderT) lives with the incident in shared/incident/schema.ts. Values only from kernel/: the incident
// schema imports HotlineOp from here.

/** Longest extension one request may ask for, in calendar days. */
export const MAX_EXTENSION_DAYS = 30
/** Bounds that keep an order's lists (and so the incident row) small whatever a feed sends. */
export const MAX_REQUESTS = 20
export const MAX_MARKS = 100

export const HotlineOpKind = Type.Union([
  Type.Literal('reply'), // 答复: the desk writes what the hotline tells the caller
  Type.Literal('request_extension'), // 申请延期: the desk asks for more days
  Type.Literal('request_return'), // 申请退单: the desk says the order is not ours
  Type.Literal('mark'), // 督办 / 催办 from the hotline
  Type.Literal('answer_request'), // the hotline approves or refuses a request
])
export type HotlineOpKind = Static<typeof HotlineOpKind>

export const MarkKind = Type.Union([Type.Literal('supervise'), Type.Literal('urge')])
export type MarkKind = Static<typeof MarkKind>

/**
 * One op on an incident's 12345 order (`ActionBody.hotline` with `action: 'hotline'`). Flat rather than a union of
 * objects so a missing field is named plainly (`hotline.reason`); shared/hotline/order.ts says which op needs what.
 */
export const HotlineOp = Type.Object({
  op: HotlineOpKind,
  /** reply: the answer text. */
  text: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
  /** request_extension / request_return: why. */
  reason: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
  /** request_extension: how many more calendar days. */
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EXTENSION_DAYS })),
  /** mark: 督办 (supervise) or 催办 (urge). */
  kind: Type.Optional(MarkKind),
  /** mark: the hotline's words with it. */
  note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
  /** answer_request: which request (its place in `requests`, from 0). */
  index: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REQUESTS - 1 })),
  /** answer_request: approved or refused. */
  approved: Type.Optional(Type.Boolean()),
  /** answer_request: the hotline's words with it. */
  answer: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
}, { additionalProperties: false })
export type HotlineOp = Static<typeof HotlineOp>

/** `POST /api/hotline/orders/:orderNo/marks`. */
export const MarkBody = Type.Object({
  kind: MarkKind,
  note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
}, { additionalProperties: false })
export type MarkBody = Static<typeof MarkBody>

/** `POST /api/hotline/orders/:orderNo/requests/:index/answer`. */
export const AnswerBody = Type.Object({
  approved: Type.Boolean(),
  answer: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
}, { additionalProperties: false })
export type AnswerBody = Static<typeof AnswerBody>

export const OrderParams = Type.Object({ orderNo: Type.String({ minLength: 1, maxLength: 64 }) })
export const RequestParams = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64 }),
  index: Type.Integer({ minimum: 0, maximum: MAX_REQUESTS - 1 }),
})

/**
 * What the hotline reads back about one of its orders: where the case is, the answer, the requests waiting for it
 * and the marks it made. No caller details: the hotline has them, and a key holds no personal-data read.
 */
export const HotlineOrderView = Type.Object({
  orderNo: Type.String(),
  incidentId: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  state: Type.String(),
  /** Still being worked (not closed, rejected or merged). */
  open: Type.Boolean(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  stageDeadline: Type.Union([Type.String(), Type.Null()]),
  replyText: Type.Union([Type.String(), Type.Null()]),
  repliedAt: Type.Union([Type.String(), Type.Null()]),
  requests: Type.Array(Type.Object({
    index: Type.Integer({ minimum: 0 }),
    kind: Type.String(),
    reason: Type.String(),
    days: Type.Union([Type.Integer(), Type.Null()]),
    at: Type.String(),
    status: Type.String(),
    answeredAt: Type.Union([Type.String(), Type.Null()]),
    answer: Type.Union([Type.String(), Type.Null()]),
  })),
  marks: Type.Array(Type.Object({ kind: Type.String(), at: Type.String(), note: Type.Union([Type.String(), Type.Null()]) })),
  updatedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
})
export type HotlineOrderView = Static<typeof HotlineOrderView>
