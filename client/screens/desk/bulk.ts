import type { Target } from '../../../shared/auth/authz.ts'
import type { ActionBody, ActionKind, Incident } from '../../../shared/incident/schema.ts'
import type { Organisation } from '../../../shared/territory/types.ts'
import { deskActions, routedOption } from './offer.ts'

export interface BulkStep { incident: Incident, body: Omit<ActionBody, 'expectedVersion'> }

/** Bulk accept: each checked incident this person may accept now. */
export function bulkAcceptSteps(items: readonly Incident[], mayAct: (a: ActionKind, t: Target) => boolean): BulkStep[] {
  return items.filter(i => deskActions(i, mayAct).includes('accept')).map(incident => ({ incident, body: { action: 'accept' } }))
}

/** Bulk assign: each checked incident this person may assign now, to the post routing chose for it. */
export function bulkAssignSteps(items: readonly Incident[], org: Organisation | null, mayAct: (a: ActionKind, t: Target) => boolean): BulkStep[] {
  const out: BulkStep[] = []
  for (const incident of items) {
    const routed = deskActions(incident, mayAct).includes('assign') ? routedOption(org, incident) : null
    if (routed?.postId)
      out.push({ incident, body: { action: 'assign', postId: routed.postId } })
  }
  return out
}
