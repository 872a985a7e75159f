import type { Static } from 'typebox'
import { Type } from 'typebox'
import { PackageProblemT } from '../setup/schema.ts'

// Live resources (#17): depots' stock and shelters' occupancy change through recorded moves; each move is one new
// version of the depot's `stock` entity or the shelter's `shelter` entity in the change log, the move that made it
// carried as `last` (so the log is the ledger of moves). Evacuation check-offs reach the log only as counts per grid
// (`evacuation`): the register of vulnerable people is personal data and lives in its own table.

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const STOCK_MOVES = ['issue', 'return'] as const
export const SHELTER_MOVES = ['check_in', 'check_out'] as const
export type StockMoveKind = typeof STOCK_MOVES[number]
export type ShelterMoveKind = typeof SHELTER_MOVES[number]
const StockMoveKindT = Type.Union([Type.Literal('issue'), Type.Literal('return')])
const ShelterMoveKindT = Type.Union([Type.Literal('check_in'), Type.Literal('check_out')])

/** The most of one kind a single move may carry: a typo of three extra zeros is refused, not booked. */
export const MOVE_MAX = 100_000

/** One recorded move, as the version it produced carries it. */
export const ResourceMove = Type.Object({
  kind: Type.Union([Type.Literal('issue'), Type.Literal('return'), Type.Literal('check_in'), Type.Literal('check_out')]),
  /** The resource kind of a stock move (`Facilities.resourceKinds`); null for a shelter move. */
  itemKind: Nullable(Type.String()),
  /** Items issued or returned; people checked in or out. */
  qty: Type.Integer({ minimum: 1 }),
  /** Households checked in or out with them, when known. */
  households: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  at: Type.String(),
  /** The person (or account) who recorded it. */
  by: Type.String(),
  /** The operation active when it was recorded (null in peacetime). */
  operationId: Nullable(Type.String()),
})
export type ResourceMove = Static<typeof ResourceMove>

export const StockLevel = Type.Object({ kind: Type.String(), qty: Type.Integer({ minimum: 0 }) })
export type StockLevel = Static<typeof StockLevel>

/** A depot's current stock (entity kind `stock`, id = the depot's id). Version 0: the package's baseline, no move yet. */
export const DepotStock = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 0 }),
  items: Type.Array(StockLevel),
  last: Type.Union([ResourceMove, Type.Null()]),
  updatedAt: Nullable(Type.String()),
})
export type DepotStock = Static<typeof DepotStock>

/** A shelter's occupancy (entity kind `shelter`, id = the shelter's id). Over capacity is allowed and flagged. */
export const ShelterOccupancy = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 0 }),
  capacity: Type.Integer({ minimum: 0 }),
  people: Type.Integer({ minimum: 0 }),
  households: Type.Integer({ minimum: 0 }),
  over: Type.Boolean(),
  last: Type.Union([ResourceMove, Type.Null()]),
  updatedAt: Nullable(Type.String()),
})
export type ShelterOccupancy = Static<typeof ShelterOccupancy>

/** 每户到人 in one grid during one operation (entity kind `evacuation`, id `<operationId>:<gridId>`): counts only. */
export const EvacuationTally = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  operationId: Type.String(),
  gridId: Type.String(),
  /** People on the grid's register. */
  total: Type.Integer({ minimum: 0 }),
  reached: Type.Integer({ minimum: 0 }),
  evacuated: Type.Integer({ minimum: 0 }),
  stays: Type.Integer({ minimum: 0 }),
  updatedAt: Type.String(),
})
export type EvacuationTally = Static<typeof EvacuationTally>

export const StockMoveBody = Type.Object({
  kind: StockMoveKindT,
  itemKind: Type.String({ minLength: 1, maxLength: 60 }),
  qty: Type.Integer({ minimum: 1, maximum: MOVE_MAX }),
}, { additionalProperties: false })
export type StockMoveBody = Static<typeof StockMoveBody>

export const ShelterMoveBody = Type.Object({
  kind: ShelterMoveKindT,
  people: Type.Integer({ minimum: 1, maximum: MOVE_MAX }),
  households: Type.Optional(Type.Integer({ minimum: 0, maximum: MOVE_MAX })),
}, { additionalProperties: false })
export type ShelterMoveBody = Static<typeof ShelterMoveBody>

/** `GET /api/resources`: every depot and shelter of the package in force, moved or not. */
export const ResourcesState = Type.Object({
  depots: Type.Array(DepotStock),
  shelters: Type.Array(ShelterOccupancy),
  evacuation: Type.Array(EvacuationTally),
})
export type ResourcesState = Static<typeof ResourcesState>

// The register of vulnerable people (独居老人, 残疾人, 卧床): personal data, never in the change log.

export const VULNERABLE_CATEGORIES = ['elderly_alone', 'disabled', 'bedridden'] as const
export type VulnerableCategory = typeof VULNERABLE_CATEGORIES[number]

const Text = (max: number) => Type.String({ maxLength: max })

export const VulnerableBody = Type.Object({
  gridId: Type.String({ minLength: 1, maxLength: 60 }),
  category: Type.Union([Type.Literal('elderly_alone'), Type.Literal('disabled'), Type.Literal('bedridden')]),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  address: Text(200),
  phone: Text(40),
  guardian: Text(100),
  notes: Text(500),
}, { additionalProperties: false })
export type VulnerableBody = Static<typeof VulnerableBody>

export const VulnerablePerson = Type.Object({ id: Type.String(), ...VulnerableBody.properties, updatedAt: Type.String() })
export type VulnerablePerson = Static<typeof VulnerablePerson>

export const EVACUATION_STATUSES = ['reached', 'evacuated', 'stays'] as const
export type EvacuationStatus = typeof EVACUATION_STATUSES[number]
const EvacuationStatusT = Type.Union([Type.Literal('reached'), Type.Literal('evacuated'), Type.Literal('stays')])

export const EvacuationCheck = Type.Object({
  operationId: Type.String(),
  personId: Type.String(),
  gridId: Type.String(),
  status: EvacuationStatusT,
  /** Why someone stays (required then). */
  reason: Type.String(),
  at: Type.String(),
  by: Type.String(),
})
export type EvacuationCheck = Static<typeof EvacuationCheck>

export const EvacuationBody = Type.Object({
  status: EvacuationStatusT,
  reason: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false })
export type EvacuationBody = Static<typeof EvacuationBody>

/** `GET /api/vulnerable`: the register within the caller's territory, with the active operation's check-offs. */
export const RegisterAnswer = Type.Object({
  people: Type.Array(VulnerablePerson),
  operationId: Nullable(Type.String()),
  checks: Type.Array(EvacuationCheck),
})
export type RegisterAnswer = Static<typeof RegisterAnswer>

/** `POST /api/vulnerable/import`: all or nothing; nothing is written while any row has a problem. */
/** Each problem names its row as the spreadsheet shows it (the header is row 1) and its column. */
export const RegisterImportAnswer = Type.Object({ imported: Type.Integer(), problems: Type.Array(PackageProblemT) })
export type RegisterImportAnswer = Static<typeof RegisterImportAnswer>
