import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { DutyDay } from '../duty/schema.ts'
import { Incident } from '../incident/schema.ts'
import { InfoReport } from '../inforeport/schema.ts'
import { Message } from '../messages/schema.ts'
import { Delivery } from '../notify/schema.ts'
import { DepotStock, EvacuationTally, ShelterOccupancy } from '../resources/schema.ts'
import { ReferenceVersion } from '../setup/schema.ts'
import { BasemapSetting } from '../territory/basemap.ts'
import { Operation, Plan, Task, Warning } from '../wartime/schema.ts'

// The change log: every committed mutation appends exactly one Change, with a gap-free `seq`,
// in the same transaction. Clients apply changes in seq order and detect gaps by seq.

export const IncidentChange = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time' }),
  kind: Type.Literal('incident'),
  /** The action that produced this version (report, accept, escalate …). */
  action: Type.String(),
  id: Type.String(),
  data: Incident,
})
export type IncidentChange = Static<typeof IncidentChange>

function entityChange<K extends string, T extends TSchema>(kind: K, data: T) {
  return Type.Object({ seq: Type.Integer({ minimum: 1 }), at: Type.String(), kind: Type.Literal(kind), action: Type.String(), id: Type.String(), data })
}
export const TaskChange = entityChange('task', Task)
export const OperationChange = entityChange('operation', Operation)
export const WarningChange = entityChange('warning', Warning)
export const MessageChange = entityChange('message', Message)
export const PlanChange = entityChange('plan', Plan)
/** A subdistrict package applied (or rolled back): screens load the reference again. */
export const ReferenceChange = entityChange('reference', ReferenceVersion)
export const BasemapChange = entityChange('basemap', BasemapSetting)
/** A prescribed information report (初报、续报、终报) opened, drafted, edited, sent (#17). */
export const InfoReportChange = entityChange('inforeport', InfoReport)

/** #17: a depot's stock, a shelter's occupancy (each version carries the move that made it), evacuation counts per grid. */
export const StockChange = entityChange('stock', DepotStock)
export const ShelterChange = entityChange('shelter', ShelterOccupancy)
export const EvacuationChange = entityChange('evacuation', EvacuationTally)
/** A day's duty roster (#17): names only, no phone numbers. */
export const DutyChange = entityChange('duty', DutyDay)
/** One rung of the notification ladder for one task or message and person (#17): ids and times only. */
export const DeliveryChange = entityChange('delivery', Delivery)

/**
 * Sessions revoked (sign-out, a password changed, a link, device or key revoked) on a node of several (#19): every node
 * drops their sockets when it reads this change. `sessions` are tags derived from the sessions' ids, never the ids.
 * Screens ignore it.
 */
export const Revocation = Type.Object({ id: Type.String(), version: Type.Integer({ minimum: 1 }), at: Type.String(), sessions: Type.Array(Type.String()) })
export type Revocation = Static<typeof Revocation>
export const RevocationChange = entityChange('revocation', Revocation)

export const Change = Type.Union([IncidentChange, TaskChange, OperationChange, WarningChange, MessageChange, PlanChange, ReferenceChange, BasemapChange, StockChange, ShelterChange, EvacuationChange, InfoReportChange, DutyChange, DeliveryChange, RevocationChange])
export type Change = Static<typeof Change>
/** Kinds other than incidents, stored as versioned entities. */
export type EntityKind = Exclude<Change['kind'], 'incident'>
export type EntityOf<K extends EntityKind> = Extract<Change, { kind: K }>['data']

export const WorkerPosition = Type.Object({
  id: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  at: Type.String(),
})
export type WorkerPosition = Static<typeof WorkerPosition>

export const Snapshot = Type.Object({
  /** The snapshot reflects every change up to and including this seq. */
  seq: Type.Integer({ minimum: 0 }),
  /** The log epoch `seq` belongs to: the client sends it back with `since` when it reconnects. */
  epoch: Type.String(),
  at: Type.String({ format: 'date-time' }),
  /** Open incidents plus those finished in the last 48 hours. */
  incidents: Type.Array(Incident),
  positions: Type.Array(WorkerPosition),
})
export type Snapshot = Static<typeof Snapshot>

export const ChangesPage = Type.Object({
  /** Changes with seq > since, in order, at most `limit`. */
  changes: Type.Array(Change),
  /** Highest seq committed when the page was read. */
  head: Type.Integer({ minimum: 0 }),
  /** False when the log no longer reaches back to `since` (pruned): fetch a snapshot instead. */
  complete: Type.Boolean(),
})
export type ChangesPage = Static<typeof ChangesPage>

/** The most changes one page carries: a screen that is further behind takes a snapshot instead. */
export const MAX_CHANGES_PAGE = 1000

/** `changes:fetch` over a socket, and `GET /api/changes`: the changes after `since`, at most `limit` (default 500). */
export const ChangesRequest = Type.Object({ since: Type.Integer({ minimum: 0 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CHANGES_PAGE })) })
export type ChangesRequest = Static<typeof ChangesRequest>
