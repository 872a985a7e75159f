import type { Incident } from '../../shared/incident/schema.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'

export interface StageClocks {
  /** Since the report until now (open) or until it finished. */
  sinceReport: number
  /** Report → accept, null while not accepted. */
  toAccept: number | null
  /** Report → resolve, null while not resolved. */
  toResolve: number | null
  /** Time left in the current stage (negative: overdue), null when the stage has no deadline. */
  remaining: number | null
}

/** The drawer's clocks, from the stored timestamps and `now` only: nothing ticks, nothing drifts. */
export function stageClocks(i: Incident, now: number): StageClocks {
  const reported = Date.parse(i.reportedAt)
  const end = isOpen(i) ? now : Date.parse(i.closedAt ?? i.updatedAt)
  return {
    sinceReport: end - reported,
    toAccept: i.acceptedAt ? Date.parse(i.acceptedAt) - reported : null,
    toResolve: i.resolvedAt ? Date.parse(i.resolvedAt) - reported : null,
    remaining: i.stageDeadline && isOpen(i) ? Date.parse(i.stageDeadline) - now : null,
  }
}
