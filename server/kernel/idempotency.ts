import type { Principal } from '../../shared/auth/authz.ts'
import type { Result } from '../../shared/kernel/result.ts'
import { hash } from 'node:crypto'
import { configure } from 'safe-stable-stringify'
import { fail, succeed } from '../../shared/kernel/result.ts'

// Idempotency keys (HTTP `Idempotency-Key`, a socket op id): a retry of a stored request gets the stored answer;
// the same key with another request is refused. The fingerprint is canonical JSON (keys sorted at every depth,
// safe-stable-stringify), so a client that rebuilds the object with its keys in another order still matches.

const canonical = configure({ deterministic: true, bigint: false, circularValue: Error })

/** What a key stands for: a hash of the request, independent of key order. */
export function fingerprintOf(value: unknown): string {
  // One-shot hash (Node ≥ 20.12): the same digest as createHash().update().digest(), without a Hash object per call.
  return hash('sha256', canonical(value) ?? 'undefined', 'base64url')
}

/** The stored answer of an earlier request with this key, unless the key comes back with another request. */
export function answerReplay<T>(prior: { status: number, body: unknown, fingerprint?: string }, fingerprint: string): Result<T> {
  if (prior.fingerprint && prior.fingerprint !== fingerprint)
    return fail('key_reused', 'Idempotency-Key was already used with a different request body', 'Idempotency-Key')
  return succeed(prior.body as T, { created: prior.status === 201, replayed: true })
}

/**
 * A client's idempotency key, scoped to the caller: another caller who sends the same key makes its own request
 * and never gets someone else's stored answer.
 */
export function opKeyOf(call: { principal: Principal, opKey?: string }): string | undefined {
  return call.opKey ? `${call.principal.kind}:${call.principal.id}|${call.opKey}` : undefined
}
