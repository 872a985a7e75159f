import type { Change, Revocation } from '../../shared/sync/schema.ts'
import type { Store } from '../db/store.ts'
import type { AuthService } from './service.ts'
import { entity } from '../db/store.ts'
import { newToken, sha256 } from './tokens.ts'

// With several nodes on one tenant, a revoked session must lose its sockets on every node, not only the one that
// revoked it. The revocation travels through the change log like wartime and CAP state do (#19): each node's tail
// reads it and drops its own sockets. The log names a session by a tag derived from its id hash, so the log (which
// screens, `/api/changes` and every node read) never carries what identifies a session in the sessions table.

/** The name the change log gives a session: one more hash of its id hash. */
export function sessionTag(idHash: string): string {
  return sha256(`revoked:${idHash}`)
}

/** The tags of the sessions these changes revoke. */
export function revokedTags(changes: readonly Change[]): string[] {
  return changes.flatMap(c => c.kind === 'revocation' ? c.data.sessions : [])
}

/** Writes each revocation the auth service announces into the change log; answers the function that stops it. */
export function logRevocations(deps: { store: Pick<Store, 'commit'>, auth: Pick<AuthService, 'onRevoke'>, now: () => Date }): () => void {
  return deps.auth.onRevoke((idHashes) => {
    const at = deps.now().toISOString()
    const r: Revocation = { id: `rev_${newToken(12)}`, version: 1, at, sessions: idHashes.map(sessionTag) }
    // The sessions are already revoked in the store (a store that cannot write fails before this) and this node's
    // sockets dropped; should the log alone fail, other nodes' sockets last until they reconnect, which is refused.
    deps.store.commit({ mutations: [entity('revocation', r, 'revoke', at)] })
      .catch((e: unknown) => console.warn(`revocation not logged for the other nodes: ${e instanceof Error ? e.message : String(e)}`))
  })
}
