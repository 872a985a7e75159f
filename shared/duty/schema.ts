import type { Static } from 'typebox'
import { Type } from 'typebox'

// The duty roster (值班表, #17): who leads (带班领导) and who staffs the desk (值班员) on each Asia/Shanghai day.
// One `duty` entity per day in the change log, so every wall's header follows an edit live. Names only: the
// people on duty are shown on the wall; their phone numbers are personal data and never enter the roster.

export const DutyPerson = Type.Object({ id: Type.String(), name: Type.String() })
export type DutyPerson = Static<typeof DutyPerson>

/** A local calendar day, YYYY-MM-DD. */
export const DayString = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' })

export const DutyDay = Type.Object({
  /** The day (YYYY-MM-DD, Asia/Shanghai): one entity per day. */
  id: DayString,
  version: Type.Integer({ minimum: 1 }),
  leader: Type.Union([DutyPerson, Type.Null()]),
  operators: Type.Array(DutyPerson),
  updatedAt: Type.String(),
  /** The account that last edited it; null for the demo's seeded rota. */
  updatedBy: Type.Union([Type.String(), Type.Null()]),
})
export type DutyDay = Static<typeof DutyDay>

/** The most operators one day may have. */
export const MAX_OPERATORS = 6

/** `PUT /api/duty/:date`. `version`: the version the editor saw (0 = none yet); a stale one is refused. */
export const DutyEdit = Type.Object({
  leaderId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
  operatorIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: MAX_OPERATORS }),
  version: Type.Optional(Type.Integer({ minimum: 0 })),
}, { additionalProperties: false })
export type DutyEdit = Static<typeof DutyEdit>

export const DutyQuery = Type.Object({
  /** The first day; default today (Asia/Shanghai). */
  from: Type.Optional(DayString),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
})
export type DutyQuery = Static<typeof DutyQuery>

/** `GET /api/duty`: the days of the range that have a roster, and who may be put on one. */
export const DutyRoster = Type.Object({
  days: Type.Array(DutyDay),
  candidates: Type.Object({ leaders: Type.Array(DutyPerson), operators: Type.Array(DutyPerson) }),
})
export type DutyRoster = Static<typeof DutyRoster>
