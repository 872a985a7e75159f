import type { Permission, Principal } from '../../shared/auth/authz.ts'
import type { Failure } from '../../shared/kernel/result.ts'
import type { RoleKey } from '../../shared/territory/types.ts'
import type { AuditEntry, AuthStore } from '../db/auth-store.ts'
import { authorize } from '../../shared/auth/authz.ts'
import { fail } from '../../shared/kernel/result.ts'
import { StoreUnavailableError } from '../db/errors.ts'

/** Where a call came from, for the audit trail. */
export interface Origin { via: 'http' | 'socket' | 'internal', ip: string | null }

export const INTERNAL: Origin = { via: 'internal', ip: null }

/** Who asks, and from where: what every service method is called with. */
export interface Call { principal: Principal, origin: Origin }

/** An allowed call: the role it acts in and the audit row to commit in the same transaction as the action. */
export interface Granted { ok: true, role: RoleKey, audit: AuditEntry }

export function auditEntry(p: Principal | null, origin: Origin, e: { action: string, target?: string | null, result: AuditEntry['result'], role?: string | null, detail?: string | null }, at: Date): AuditEntry {
  return {
    at: at.toISOString(),
    actorKind: p?.kind ?? 'anonymous',
    actorId: p ? p.personId ?? p.id : 'anonymous',
    role: e.role ?? p?.roles.join(',') ?? null,
    ip: origin.ip,
    via: origin.via,
    action: e.action,
    target: e.target ?? null,
    result: e.result,
    detail: e.detail ? e.detail.slice(0, 500) : null,
  }
}

/** Appends to the audit trail (append-only: the table refuses updates and deletes). */
export function createAudit(store: AuthStore, now: () => Date) {
  /**
   * Writes a row of its own (a refusal, a sign-in). When the store cannot write, the refusal still stands and the
   * row is logged instead; an allowed action's row commits in the action's own transaction, never here.
   */
  async function record(p: Principal | null, origin: Origin, e: Parameters<typeof auditEntry>[2]): Promise<void> {
    const row = auditEntry(p, origin, e, now())
    await store.appendAudit(row).catch((err: unknown) => {
      if (!(err instanceof StoreUnavailableError) || row.result === 'allow')
        throw err
      console.warn(`audit row not written (${err.problem}): ${JSON.stringify(row)}`)
    })
  }

  return {
    entry: (p: Principal | null, origin: Origin, e: Parameters<typeof auditEntry>[2]) => auditEntry(p, origin, e, now()),
    record,
    /**
     * Asks the one authorisation module (shared/auth/authz.ts) whether the caller holds `permission`. A refusal
     * is recorded now and answered as a Failure; an allowed call gets its audit row to commit with the action.
     */
    async guard(call: Call, permission: Permission, target: string | null = null, opts: { action?: string, recordAllow?: boolean } = {}): Promise<Granted | Failure> {
      const action = opts.action ?? permission
      const d = authorize(call.principal, permission)
      if (!d.allow) {
        await record(call.principal, call.origin, { action, target, result: 'deny', detail: d.reason })
        return fail('forbidden', d.reason, 'role')
      }
      const audit = auditEntry(call.principal, call.origin, { action, target, result: 'allow', role: d.role }, now())
      // A privileged read has no transaction of its own to carry its audit row: it is written now.
      if (opts.recordAllow)
        await store.appendAudit(audit)
      return { ok: true, role: d.role, audit }
    },
  }
}

export type Audit = ReturnType<typeof createAudit>
