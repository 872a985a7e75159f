import type { Static } from 'typebox'
import type { Board } from '../wartime/board.ts'
import { Type } from 'typebox'
import { FOLLOW_UP_BOUNDS } from './rules.ts'

// The prescribed emergency information reports (初报、续报、终报) a subdistrict owes the district during an operation.
// Each is a versioned entity (`inforeport` in the change log, read by every screen): it carries officials' text and
// figures, never personal data (no residents' names or phone numbers).

export const InfoReportKind = Type.Union([Type.Literal('initial'), Type.Literal('follow_up'), Type.Literal('final')])
export type InfoReportKind = Static<typeof InfoReportKind>

export const InfoReportState = Type.Union([
  Type.Literal('due'), // its clock runs; nothing drafted yet
  Type.Literal('draft'), // drafted from the operation's figures (by the clock or the desk), being checked
  Type.Literal('sent'), // sent to the district: immutable from here on
  Type.Literal('cancelled'), // a 续报 the operation's end made moot (the 终报 takes its place)
])
export type InfoReportState = Static<typeof InfoReportState>

const Text = (maxLength: number) => Type.String({ maxLength })
const Count = Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()])

/** The report's fields as the district's form has them (时间、地点、事件概况 …). A null count is 正在核实. */
export const InfoReportFields = Type.Object({
  title: Text(120),
  time: Text(100),
  place: Text(300),
  summary: Text(2000),
  impact: Text(1000),
  deaths: Count,
  injured: Count,
  missing: Count,
  evacuated: Count,
  measures: Text(3000),
  forces: Text(2000),
  nextSteps: Text(1000),
  reporter: Text(40),
  signer: Text(40),
}, { additionalProperties: false })
export type InfoReportFields = Static<typeof InfoReportFields>

/** The board's figures a draft was made from (shared/wartime/board.ts `tally`), and the moment they were read. */
export const InfoReportFigures = Type.Object({
  at: Type.String(),
  total: Type.Integer({ minimum: 0 }),
  acknowledged: Type.Integer({ minimum: 0 }),
  onScene: Type.Integer({ minimum: 0 }),
  done: Type.Integer({ minimum: 0 }),
  resent: Type.Integer({ minimum: 0 }),
  escalated: Type.Integer({ minimum: 0 }),
  late: Type.Integer({ minimum: 0 }),
})
export type InfoReportFigures = Static<typeof InfoReportFigures>
// The snapshot is the board plus its time: a field added to the board must be added here too.
export type FiguresMatchBoard = Omit<InfoReportFigures, 'at'> extends Board ? (Board extends Omit<InfoReportFigures, 'at'> ? true : never) : never
export const FIGURES_MATCH_BOARD: FiguresMatchBoard = true

export const InfoReportVia = Type.Union([Type.Literal('export'), Type.Literal('webhook')])
export type InfoReportVia = Static<typeof InfoReportVia>

export const InfoReport = Type.Object({
  /** `<operation>:initial`, `<operation>:follow_up:<n>`, `<operation>:final`: opening one twice cannot double it. */
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  operationId: Type.String(),
  kind: InfoReportKind,
  /** 续报 1, 2 …; 0 for 初报 and 终报. */
  number: Type.Integer({ minimum: 0 }),
  state: InfoReportState,
  dueAt: Type.String(),
  /** When the clock drafts it if nobody has. */
  draftAt: Type.String(),
  /** When the clock noticed it past due and unsent (the desk rang), else null. */
  overdueAt: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Union([InfoReportFields, Type.Null()]),
  figures: Type.Union([InfoReportFigures, Type.Null()]),
  /** The report as sent (or as it would be sent now): plain text, ready to paste into the district's system. */
  text: Type.Union([Type.String(), Type.Null()]),
  draftedAt: Type.Union([Type.String(), Type.Null()]),
  /** Person id of who drafted or last edited it; `system` for the clock. */
  editedBy: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  sentVia: Type.Union([InfoReportVia, Type.Null()]),
  sentBy: Type.Union([Type.String(), Type.Null()]),
  /** For a sent 初报 or 续报 while the operation runs: when the next 续报 is due. */
  nextDueAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})
export type InfoReport = Static<typeof InfoReport>

/** `PUT /api/inforeports/:id`: the draft's fields, with the version edited (a stale one is refused). */
export const InfoReportEdit = Type.Object({ version: Type.Integer({ minimum: 1 }), fields: InfoReportFields }, { additionalProperties: false })
export type InfoReportEdit = Static<typeof InfoReportEdit>

/** `POST /api/inforeports/:id/send`. `nextInMinutes`: when the next 续报 is due (default: the package's interval). */
export const InfoReportSend = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  via: InfoReportVia,
  nextInMinutes: Type.Optional(Type.Integer({ minimum: FOLLOW_UP_BOUNDS.min, maximum: FOLLOW_UP_BOUNDS.max })),
}, { additionalProperties: false })
export type InfoReportSend = Static<typeof InfoReportSend>

/** `GET /api/inforeports`: the reports of the latest operations, and whether sending to the district is set up. */
export const InfoReportList = Type.Object({
  reports: Type.Array(InfoReport),
  webhook: Type.Boolean(),
})
export type InfoReportList = Static<typeof InfoReportList>

/** `inforeport:due` to the duty desks: a report was drafted by the clock, or is past due. */
export const InfoReportNotice = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  kind: InfoReportKind,
  number: Type.Integer(),
  dueAt: Type.String(),
  why: Type.Union([Type.Literal('drafted'), Type.Literal('overdue')]),
})
export type InfoReportNotice = Static<typeof InfoReportNotice>
