import type { Catalog } from '../organisation/catalog.ts'
import type { ActionResult } from './lifecycle.ts'
import type { Incident } from './schema.ts'
import { allowedActionsFor, applyAction, isOpen, nextLoop } from './lifecycle.ts'

// The escalation clock: an incident whose stage deadline passes moves up one loop (grid → community → subdistrict).

export { nextLoop }

export const SYSTEM_ACTOR = { personId: 'system', role: 'system' } as const

/** True once `now` is past the current stage's deadline. Finished incidents are never overdue. */
export function isOverdue(incident: Incident, now: Date): boolean {
  return isOpen(incident) && incident.stageDeadline !== null && now.getTime() > Date.parse(incident.stageDeadline)
}

/**
 * Escalates an overdue incident one loop as the system. Null when nothing is due: not overdue, already at the
 * subdistrict (the wall flags it instead), or waiting on verification/feedback, which a higher loop cannot speed up.
 */
export function escalateOverdue(incident: Incident, now: Date, catalog: Catalog): ActionResult | null {
  if (!isOverdue(incident, now) || !allowedActionsFor(incident).includes('escalate'))
    return null
  const note = `超时自动上报 (overdue since ${incident.stageDeadline})`
  return applyAction(incident, { action: 'escalate', note }, SYSTEM_ACTOR, { now, catalog, device: 'system' })
}
