import type { Principal } from '../../shared/auth/authz.ts'
import type { AuditEntry, AuthStore } from '../db/auth-store.ts'

/** Where a call came from, for the audit trail. */
export interface Origin { via: 'http' | 'socket' | 'internal', ip: string | null }

export const INTERNAL: Origin = { via: 'internal', ip: null }

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
  return {
    entry: (p: Principal | null, origin: Origin, e: Parameters<typeof auditEntry>[2]) => auditEntry(p, origin, e, now()),
    async record(p: Principal | null, origin: Origin, e: Parameters<typeof auditEntry>[2]): Promise<void> {
      await store.appendAudit(auditEntry(p, origin, e, now()))
    },
  }
}

export type Audit = ReturnType<typeof createAudit>
