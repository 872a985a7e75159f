import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Incident } from './incident.ts'

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

export const Change = Type.Union([IncidentChange])
export type Change = Static<typeof Change>

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
