import type { Target } from '../../../shared/auth/authz.ts'
import type { AssigneeOption } from '../../../shared/incident/assignees.ts'
import type { ActionKind, Incident } from '../../../shared/incident/schema.ts'
import type { Organisation, ReferenceData } from '../../../shared/territory/types.ts'
import { assigneeOptions } from '../../../shared/incident/assignees.ts'
import { allowedActionsFor } from '../../../shared/incident/lifecycle.ts'

/**
 * What the desk offers on `inc`: what the state machine allows now, of that what this person may do there. A 12345
 * order's ops have their own panel (DeskHotline.vue).
 */
export function deskActions(inc: Incident, mayAct: (a: ActionKind, t: Target) => boolean): ActionKind[] {
  return allowedActionsFor(inc).filter(a => a !== 'report' && a !== 'hotline' && mayAct(a, inc.owner))
}

/** The assign and transfer forms' choices; the first is the routed post when routing chose one. */
export function deskAssignees(org: Organisation | null, inc: Pick<Incident, 'owner'>): AssigneeOption[] {
  // assigneeOptions reads the organisation only.
  return org ? assigneeOptions({ org } as ReferenceData, inc) : []
}

/** The routed post, when routing chose one: confirming it is one click. */
export function routedOption(org: Organisation | null, inc: Pick<Incident, 'owner'>): AssigneeOption | null {
  const first = deskAssignees(org, inc)[0]
  return first?.why === 'routed' ? first : null
}
