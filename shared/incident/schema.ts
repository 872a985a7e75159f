import type { Static } from 'typebox'
import { Type } from 'typebox'
import { HotlineOp } from '../hotline/schema.ts'
import { MAX_PHOTOS, TEXT_LIMITS } from '../kernel/limits.ts'

// The incident contract, shared by HTTP, sockets, the store and the client. Types come from Static<>.

export const IncidentState = Type.Union([
  Type.Literal('reported'), // 上报: waiting for the owning loop to accept
  Type.Literal('accepted'), // 受理: accepted, waiting for assignment
  Type.Literal('assigned'), // 转办: assigned to a sector/post/person
  Type.Literal('handling'), // 处置: being handled on scene
  Type.Literal('resolved'), // 办结: handler says done, waiting for verification
  Type.Literal('verified'), // 核查: verified, waiting for the reporter's feedback
  Type.Literal('closed'), // 反馈/结案
  Type.Literal('rejected'), // 不予受理
  Type.Literal('merged'), // 合并为重复件
])
export type IncidentState = Static<typeof IncidentState>

export const ActionKind = Type.Union([
  Type.Literal('report'),
  Type.Literal('accept'),
  Type.Literal('assign'),
  Type.Literal('transfer'),
  Type.Literal('start'),
  Type.Literal('arrive'), // 到场: the handler is on scene (state stays handling; time and place recorded)
  Type.Literal('progress'), // 进展: a note from anyone working it, e.g. a helper post in a joint case (state unchanged)
  Type.Literal('resolve'),
  Type.Literal('verify'),
  Type.Literal('feedback'),
  Type.Literal('close'),
  Type.Literal('return'),
  Type.Literal('escalate'),
  Type.Literal('reopen'),
  Type.Literal('merge'),
  Type.Literal('reject'),
  Type.Literal('hotline'), // 12345工单: an op on the incident's 12345 order, body.hotline (state unchanged but an approved 退单)
])
export type ActionKind = Static<typeof ActionKind>

export const LoopT = Type.Union([Type.Literal('grid'), Type.Literal('community'), Type.Literal('subdistrict')])
export const Severity = Type.Integer({ minimum: 1, maximum: 4, description: '1 = I (most severe) … 4 = IV' })
// Closed like every request object: an unknown key would carry unchecked data (any size, any depth) into
// fingerprints and stored rows.
export const LngLatT = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
}, { additionalProperties: false })

export const Channel = Type.Union([
  Type.Literal('grid_worker'),
  Type.Literal('resident'),
  Type.Literal('hotline_12345'),
  Type.Literal('open311'),
  Type.Literal('system'),
  Type.Literal('simulator'),
])
export type Channel = Static<typeof Channel>

/** A photo's content address: the SHA-256 (hex) of its stored bytes, as `POST /api/photos` answers it. */
export const PhotoId = Type.String({ pattern: '^[a-f0-9]{64}$' })
/** Up to this many photos go with one report (#6). */

export const ActorT = Type.Object({
  personId: Type.String({ minLength: 1, maxLength: 64 }),
  role: Type.String({ minLength: 1, maxLength: 32 }),
})
export type Actor = Static<typeof ActorT>

/** One recorded step of an incident. Append-only: never edited, never deleted. */
export const HistoryEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: ActionKind,
  actor: ActorT,
  device: Type.Optional(Type.String()),
  from: Type.Union([IncidentState, Type.Null()]),
  to: IncidentState,
  note: Type.Optional(Type.String()),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
export type HistoryEntry = Static<typeof HistoryEntry>

export const Ownership = Type.Object({
  loop: LoopT,
  communityId: Type.Union([Type.String(), Type.Null()]),
  gridId: Type.Union([Type.String(), Type.Null()]),
  sectorId: Type.Union([Type.String(), Type.Null()]),
  postId: Type.Union([Type.String(), Type.Null()]),
  helperSectorIds: Type.Array(Type.String()),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
})
export type Ownership = Static<typeof Ownership>

/**
 * A 12345 hotline work order (工单) carried with the incident it became (#16). The hotline sends the order with the
 * report; the desk answers it (答复), asks for more time (延期) or hands it back (退单); the hotline marks it 督办/催办.
 * caller and callerPhone are personal data (stripped with reporterName/reporterPhone).
 */
export const HotlineRequestT = Type.Object({
  kind: Type.Union([Type.Literal('extension'), Type.Literal('return')]), // 延期申请 · 退单申请
  reason: Type.String({ maxLength: TEXT_LIMITS.note }),
  /** Extension: how many more days are asked for. */
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  at: Type.String({ format: 'date-time' }),
  by: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused')]),
  answeredAt: Type.Optional(Type.String({ format: 'date-time' })),
  answer: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
})
export type HotlineRequest = Static<typeof HotlineRequestT>
export const HotlineMarkT = Type.Object({
  kind: Type.Union([Type.Literal('supervise'), Type.Literal('urge')]), // 督办 · 催办
  at: Type.String({ format: 'date-time' }),
  note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
})
export type HotlineMark = Static<typeof HotlineMarkT>
export const HotlineOrderT = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64 }), // 工单号
  caller: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterName })),
  callerPhone: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterPhone })),
  /** The hotline's own deadline for the order, if it sets one. */
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** 答复内容: what the desk answers the hotline (and through it the caller). */
  replyText: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
  repliedAt: Type.Optional(Type.String({ format: 'date-time' })),
  requests: Type.Array(HotlineRequestT),
  marks: Type.Array(HotlineMarkT),
})
export type HotlineOrder = Static<typeof HotlineOrderT>
/** What a hotline sends with a report: the order's number, the caller, its deadline. */
export const HotlineReportT = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64 }),
  caller: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterName })),
  callerPhone: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterPhone })),
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false })
export type HotlineReport = Static<typeof HotlineReportT>

export const Incident = Type.Object({
  id: Type.String(),
  /** Bumped by every action; a client keeps the highest version it has seen. */
  version: Type.Integer({ minimum: 1 }),
  category: Type.String(),
  title: Type.String(),
  description: Type.String(),
  severity: Severity,
  location: LngLatT,
  address: Type.String(),
  channel: Channel,
  reporterId: Type.Union([Type.String(), Type.Null()]),
  /** Personal data: stripped for screens that do not need it (#3). */
  reporterName: Type.Optional(Type.String()),
  reporterPhone: Type.Optional(Type.String()),
  state: IncidentState,
  owner: Ownership,
  reportedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  /** When the current stage must be done by; null when the incident is finished. */
  stageDeadline: Type.Union([Type.String(), Type.Null()]),
  escalations: Type.Integer({ minimum: 0 }),
  reopenCount: Type.Integer({ minimum: 0 }),
  mergedInto: Type.Union([Type.String(), Type.Null()]),
  satisfied: Type.Union([Type.Boolean(), Type.Null()]),
  /** Photos taken on scene (content addresses); absent on incidents reported without any. */
  photos: Type.Optional(Type.Array(PhotoId, { maxItems: MAX_PHOTOS })),
  /** Photos of the result, taken by whoever resolved it (处置后): the "after" to the report's "before". */
  resultPhotos: Type.Optional(Type.Array(PhotoId, { maxItems: MAX_PHOTOS })),
  /** When the handler reported arrival on scene (到场), if they did. */
  arrivedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** How the resident was reached for feedback (回访方式), once they were. */
  feedbackContact: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /**
   * The names of its category, places, post and assignee as they were when it last changed: a later package that
   * renames or removes them leaves the incident readable (#15).
   */
  labels: Type.Optional(Type.Object({
    category: Type.Optional(Type.String()),
    community: Type.Optional(Type.String()),
    grid: Type.Optional(Type.String()),
    sector: Type.Optional(Type.String()),
    post: Type.Optional(Type.String()),
    assignee: Type.Optional(Type.String()),
  })),
  /** The 12345 work order this incident is (#16). */
  hotline: Type.Optional(HotlineOrderT),
  /** An Open311 request's media_url (kept as a link, never fetched). */
  mediaUrl: Type.Optional(Type.String()),
  /** An Open311 request's attribute values, by the service definition's attribute code. */
  attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
  /** Reports found at report time that may be the same problem (same or related category, near, recent): nearest first. */
  possibleDuplicates: Type.Optional(Type.Array(Type.String())),
})
export type Incident = Static<typeof Incident>
export type IncidentLabels = NonNullable<Incident['labels']>

export const IncidentWithHistory = Type.Object({ ...Incident.properties, history: Type.Array(HistoryEntry) })
export type IncidentWithHistory = Static<typeof IncidentWithHistory>

export const ReportBody = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 64 }),
  description: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.description }),
  location: LngLatT,
  title: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.title })),
  address: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.address })),
  severity: Type.Optional(Severity),
  channel: Type.Optional(Channel),
  reporterName: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterName })),
  reporterPhone: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reporterPhone })),
  reportedAt: Type.Optional(Type.String({ format: 'date-time' })),
  /**
   * Photos uploaded first through `POST /api/photos`. Not `uniqueItems`: TypeBox's error report hashes every item,
   * whatever its type, recursively (a deeply nested item overflowed the stack); a repeated id is kept once instead.
   */
  photos: Type.Optional(Type.Array(PhotoId, { maxItems: MAX_PHOTOS })),
  /** A 12345 order (channel hotline_12345). */
  hotline: Type.Optional(HotlineReportT),
  mediaUrl: Type.Optional(Type.String({ maxLength: 1024, pattern: '^https?://' })),
  /** Keys are attribute codes (an Open311 service definition's); closed to anything else. */
  attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })]), { additionalProperties: false, maxProperties: 30 })),
}, { additionalProperties: false })
export type ReportBody = Static<typeof ReportBody>

/** How a resident was reached for feedback. */
export const FeedbackContact = Type.Union([
  Type.Literal('phone'), // 电话回访
  Type.Literal('visit'), // 上门回访
  Type.Literal('sms'), // 短信
  Type.Literal('wechat'), // 微信
  Type.Literal('none'), // 联系不上
])
export type FeedbackContact = Static<typeof FeedbackContact>

export const ActionBody = Type.Object({
  action: ActionKind,
  /** Optimistic concurrency: the version the caller saw. A mismatch is a 409. */
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.note })),
  sectorId: Type.Optional(Type.String({ maxLength: 32 })),
  postId: Type.Optional(Type.String({ maxLength: 64 })),
  assigneeId: Type.Optional(Type.String({ maxLength: 64 })),
  mergeInto: Type.Optional(Type.String({ maxLength: 64 })),
  satisfied: Type.Optional(Type.Boolean()),
  /** Feedback: how the resident was reached (回访方式). */
  contact: Type.Optional(FeedbackContact),
  /** Resolve: photos of the result, uploaded first through `POST /api/photos`. */
  photos: Type.Optional(Type.Array(PhotoId, { maxItems: MAX_PHOTOS })),
  /** Arrive: where the handler's phone was. */
  location: Type.Optional(LngLatT),
  /** Hotline: the op on the incident's 12345 order (shared/hotline/order.ts). */
  hotline: Type.Optional(HotlineOp),
}, { additionalProperties: false })
export type ActionBody = Static<typeof ActionBody>

/** A socket operation id: the socket's Idempotency-Key. */
export const OpId = Type.String({ minLength: 1, maxLength: 200 })

/** `incident:report` over a socket. */
export const ReportRequest = Type.Object({ opId: OpId, body: ReportBody })
export type ReportRequest = Static<typeof ReportRequest>

/** `incident:action` over a socket. */
export const ActionRequest = Type.Object({ opId: OpId, id: Type.String({ minLength: 1, maxLength: 64 }), body: ActionBody })
export type ActionRequest = Static<typeof ActionRequest>
