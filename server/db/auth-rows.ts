import type { Account, AuditEntry, AuditQuery, Credential, SessionRow, ShareLink } from './auth-store.ts'

// The auth tables' rows as the objects of auth-store.ts, and the audit trail's filters: the same columns and SQL in
// both dialects (PostgreSQL numbers the `?` placeholders; its core schema has SQLite's instr()).

export interface AccountRow { id: string, username: string, person_id: string | null, name: string, roles: string, password_hash: string, disabled: number, created_at: string, password_changed_at: string, scope: string | null, disabled_at: string | null }
export interface SessionDbRow { id_hash: string, kind: SessionRow['kind'], subject_id: string, csrf: string, created_at: string, last_seen_at: string, idle_ms: number, expires_at: string, revoked_at: string | null }
export interface ShareRow { id: string, label: string, created_by: string, created_at: string, expires_at: string, revoked_at: string | null }
export interface CredentialRow { id: string, kind: Credential['kind'], name: string, roles: string, token_hash: string, created_by: string, created_at: string, revoked_at: string | null, person_id: string | null, scopes: string | null }
export interface AuditRow { id: number, at: string, actor_kind: string, actor_id: string, role: string | null, ip: string | null, via: string, action: string, target: string | null, result: AuditEntry['result'], detail: string | null }

export const toAccount = (r: AccountRow): Account => ({ id: r.id, username: r.username, personId: r.person_id, name: r.name, roles: JSON.parse(r.roles), passwordHash: r.password_hash, disabled: r.disabled === 1, createdAt: r.created_at, passwordChangedAt: r.password_changed_at, scope: r.scope ? JSON.parse(r.scope) : null, disabledAt: r.disabled_at })
export const toSession = (r: SessionDbRow): SessionRow => ({ idHash: r.id_hash, kind: r.kind, subjectId: r.subject_id, csrf: r.csrf, createdAt: r.created_at, lastSeenAt: r.last_seen_at, idleMs: r.idle_ms, expiresAt: r.expires_at, revokedAt: r.revoked_at })
export const toShare = (r: ShareRow): ShareLink => ({ id: r.id, label: r.label, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at })
export const toCredential = (r: CredentialRow): Credential => ({ id: r.id, kind: r.kind, personId: r.person_id, name: r.name, roles: JSON.parse(r.roles), tokenHash: r.token_hash, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at, grant: r.scopes ? JSON.parse(r.scopes) : null })
export const toAudit = (r: AuditRow) => ({ id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, role: r.role, ip: r.ip, via: r.via, action: r.action, target: r.target, result: r.result, detail: r.detail })

/** The audit trail's filters as a WHERE clause with `?` placeholders: exact actor, action and outcome, a target substring, a time range. */
export function auditWhere(q: Omit<AuditQuery, 'limit' | 'offset'>): { sql: string, args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  const add = (clause: string, v: unknown) => {
    where.push(clause)
    args.push(v)
  }
  // Instants compare as text, bytewise (SQLite's BINARY; PostgreSQL's audit.at is COLLATE "C").
  if (q.since)
    add('at >= ?', q.since)
  if (q.from)
    add('at >= ?', q.from)
  if (q.to)
    add('at < ?', q.to)
  if (q.actorId)
    add('actor_id = ?', q.actorId)
  if (q.action)
    add('action = ?', q.action)
  if (q.result)
    add('result = ?', q.result)
  // A plain substring (no LIKE wildcards to escape), case-sensitive, false on a null target.
  if (q.target)
    add('instr(target, ?) > 0', q.target)
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args }
}
