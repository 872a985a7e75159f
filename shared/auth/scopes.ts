// What an API key may do: a scope set chosen when the key is made, stored with it. The HTTP layer names the
// scope each integration route needs (server/auth/key-routes.ts); authz.ts decides with these.

export const KEY_SCOPES = ['incidents:report', 'incidents:read', 'changes:read', 'warnings:submit', 'callbacks:manage', 'hotline:sync', 'metrics:read', 'sensors:report'] as const
export type KeyScope = (typeof KEY_SCOPES)[number]

/** A key's grant: its scopes and, for what it reads, the communities it reads (null: every community). */
export interface KeyGrant {
  scopes: KeyScope[]
  communityIds: string[] | null
}

/**
 * Keys made before scopes existed (the demo's 12345 / Open311 / CAP sender among them) keep what the
 * integration role could do then: report and send warnings, read nothing of the live feed.
 */
export const DEFAULT_KEY_GRANT: KeyGrant = { scopes: ['incidents:report', 'warnings:submit'], communityIds: null }

/** Whether a grant's reads (an incident, the change log) cover an incident of this community. */
export function grantCovers(g: KeyGrant, communityId: string | null): boolean {
  return g.communityIds === null || (communityId !== null && g.communityIds.includes(communityId))
}
