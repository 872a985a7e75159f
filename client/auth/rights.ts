import type { Static } from 'typebox'
import type { Principal as AuthzPrincipal, Permission, Target } from '../../shared/auth/authz.ts'
import type { PrincipalT } from '../../shared/auth/schema.ts'
import type { ActionKind } from '../../shared/incident/schema.ts'
import { authorize, authorizeIncident } from '../../shared/auth/authz.ts'

// What a screen offers follows the server's own rule: every check here asks shared/auth/authz.ts, the one place
// that decides who may do what, where. The server refuses anyway; this keeps the screen honest.

/** The principal `GET /api/auth/me` answers with. */
export type Principal = Static<typeof PrincipalT>

/**
 * The principal as authz.ts reads it. The server built MeResponse's principal from one; its schema types roles
 * and sector as plain strings, hence the cast.
 */
export const asAuthz = (p: Principal): AuthzPrincipal => p as AuthzPrincipal

/** May `p` do this (declare wartime, start a drill, check in on patrol …)? */
export const permits = (p: Principal | null | undefined, permission: Permission): boolean => !!p && authorize(asAuthz(p), permission).allow

/** May `p` take this incident action at `target` (an incident's owner, or where a report would land)? */
export const permitsAction = (p: Principal | null | undefined, action: ActionKind, target: Target): boolean => !!p && authorizeIncident(asAuthz(p), action, target).allow

/**
 * May this person report at home (their own grid, community and sector)? Who works in the street: a read-only
 * session, or a grid worker with no grid, gets the sign-in form rather than a report form that fails.
 */
export function mayReportAtHome(p: Principal | null | undefined): p is Principal {
  return !!p?.personId && permitsAction(p, 'report', { gridId: p.gridIds[0] ?? null, communityId: p.communityId, sectorId: p.sectorId, helperSectorIds: [], assigneeId: null })
}
