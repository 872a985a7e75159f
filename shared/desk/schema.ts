import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Channel, Incident, LoopT } from '../incident/schema.ts'

// The desk (工作台): the queue a desk worker works from. Tabs are how a desk worker thinks; their meaning is
// written once in queue.ts and the server's SQL follows it (a test keeps the two the same).

export const QueueTab = Type.Union([
  Type.Literal('intake'), // 待受理: reported, waiting for someone to accept
  Type.Literal('handling'), // 办理中: accepted, assigned or being handled
  Type.Literal('verify'), // 待核查: resolved, waiting for verification
  Type.Literal('feedback'), // 待反馈: verified, waiting for the resident's feedback
  Type.Literal('overdue'), // 超期: open and past its stage deadline
  Type.Literal('assigned'), // 派给我的: open and assigned to me by name
  Type.Literal('mine'), // 我上报的: reported by me
  Type.Literal('all'), // 全部
])
export type QueueTab = Static<typeof QueueTab>

export const QueueQuery = Type.Object({
  tab: Type.Optional(QueueTab),
  /** Free text: title, description, address, or the incident number. */
  q: Type.Optional(Type.String({ maxLength: 100 })),
  /** The reporter's phone number (roles that may read personal data only). */
  phone: Type.Optional(Type.String({ maxLength: 30 })),
  communityId: Type.Optional(Type.String({ maxLength: 40 })),
  gridId: Type.Optional(Type.String({ maxLength: 40 })),
  sectorId: Type.Optional(Type.String({ maxLength: 32 })),
  postId: Type.Optional(Type.String({ maxLength: 64 })),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  severity: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  loop: Type.Optional(LoopT),
  channel: Type.Optional(Channel),
  /** Reported at or after (ISO date-time). */
  from: Type.Optional(Type.String({ format: 'date-time' })),
  /** Reported before (ISO date-time). */
  to: Type.Optional(Type.String({ format: 'date-time' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
}, { additionalProperties: false })
export type QueueQuery = Static<typeof QueueQuery>

export const QueueAnswer = Type.Object({
  items: Type.Array(Incident),
  /** How many match the tab and filters (all pages), counted up to 10,000. */
  total: Type.Integer({ minimum: 0 }),
  /** More match than `total` says (show "10,000+"). */
  more: Type.Boolean(),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
  /** How many each work tab holds within the caller's reach, before filters: the badges on the tabs (not 我上报的 or 全部, which are history). */
  counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
})
export type QueueAnswer = Static<typeof QueueAnswer>

/** Merge candidates for an incident: same or related category, nearby, recent (nearest first; docs/duplicates.md). */
export const SimilarAnswer = Type.Array(Type.Object({
  incident: Incident,
  meters: Type.Number({ minimum: 0 }),
  /** Hours between the two reports (either way). */
  hours: Type.Optional(Type.Number({ minimum: 0 })),
}))
export type SimilarAnswer = Static<typeof SimilarAnswer>

/**
 * Pushed to a person's room (`person:<id>`) when an incident lands in their hands: assigned or transferred to
 * them or their post, reported into their grid or community, returned to their desk, escalated to their loop.
 */
export const RoutedNotice = Type.Object({
  incident: Incident,
  why: Type.Union([Type.Literal('reported'), Type.Literal('assigned'), Type.Literal('returned'), Type.Literal('escalated'), Type.Literal('reopened')]),
})
export type RoutedNotice = Static<typeof RoutedNotice>
