import type { Database as Db } from 'better-sqlite3'
import type { Account, AuditEntry, AuditQuery, AuthStore, Credential, SessionRow, ShareLink } from '../auth-store.ts'

interface AccountRow { id: string, username: string, person_id: string | null, name: string, roles: string, password_hash: string, disabled: number, created_at: string, password_changed_at: string, scope: string | null, disabled_at: string | null }
interface SessionDbRow { id_hash: string, kind: SessionRow['kind'], subject_id: string, csrf: string, created_at: string, last_seen_at: string, idle_ms: number, expires_at: string, revoked_at: string | null }
interface ShareRow { id: string, label: string, created_by: string, created_at: string, expires_at: string, revoked_at: string | null }
interface CredentialRow { id: string, kind: Credential['kind'], name: string, roles: string, token_hash: string, created_by: string, created_at: string, revoked_at: string | null, person_id: string | null, scopes: string | null }
interface AuditRow { id: number, at: string, actor_kind: string, actor_id: string, role: string | null, ip: string | null, via: string, action: string, target: string | null, result: AuditEntry['result'], detail: string | null }

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    username: r.username,
    personId: r.person_id,
    name: r.name,
    roles: JSON.parse(r.roles),
    passwordHash: r.password_hash,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    passwordChangedAt: r.password_changed_at,
    scope: r.scope ? JSON.parse(r.scope) : null,
    disabledAt: r.disabled_at,
  }
}
function toSession(r: SessionDbRow): SessionRow {
  return {
    idHash: r.id_hash,
    kind: r.kind,
    subjectId: r.subject_id,
    csrf: r.csrf,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    idleMs: r.idle_ms,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }
}
const toShare = (r: ShareRow): ShareLink => ({ id: r.id, label: r.label, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at })
const toCredential = (r: CredentialRow): Credential => ({ id: r.id, kind: r.kind, personId: r.person_id, name: r.name, roles: JSON.parse(r.roles), tokenHash: r.token_hash, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at, grant: r.scopes ? JSON.parse(r.scopes) : null })
const toAudit = (r: AuditRow) => ({ id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, role: r.role, ip: r.ip, via: r.via, action: r.action, target: r.target, result: r.result, detail: r.detail })

/** The auth tables of the SQLite store; expects the migrations to have run. */
export function createSqliteAuth(db: Db): AuthStore {
  const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T | undefined
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args)
  const all = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[]
  return {
    async getMeta(key) {
      return one<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value ?? null
    },
    async setMeta(key, value) {
      run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value)
    },
    async createAccount(a) {
      run('INSERT INTO accounts (id, username, person_id, name, roles, password_hash, disabled, created_at, password_changed_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', a.id, a.username, a.personId, a.name, JSON.stringify(a.roles), a.passwordHash, a.disabled ? 1 : 0, a.createdAt, a.passwordChangedAt, a.scope ? JSON.stringify(a.scope) : null)
    },
    async accountByUsername(username) {
      const r = one<AccountRow>('SELECT * FROM accounts WHERE username = ?', username)
      return r ? toAccount(r) : null
    },
    async account(id) {
      const r = one<AccountRow>('SELECT * FROM accounts WHERE id = ?', id)
      return r ? toAccount(r) : null
    },
    async listAccounts() {
      return (db.prepare('SELECT * FROM accounts ORDER BY username').all() as AccountRow[]).map(toAccount)
    },
    async setPassword(id, hash, at) {
      run('UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?', hash, at, id)
    },
    async updateAccount(id, p) {
      const cols: [string, unknown][] = [['name', p.name], ['roles', p.roles && JSON.stringify(p.roles)], ['person_id', p.personId], ['scope', p.scope === undefined ? undefined : p.scope && JSON.stringify(p.scope)]]
      const set = cols.filter(([, v]) => v !== undefined)
      if (set.length)
        run(`UPDATE accounts SET ${set.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`, ...set.map(([, v]) => v), id)
    },
    async setDisabled(id, at) {
      run('UPDATE accounts SET disabled = ?, disabled_at = ? WHERE id = ?', at ? 1 : 0, at, id)
    },
    async countAccounts() {
      return one<{ n: number }>('SELECT COUNT(*) AS n FROM accounts')?.n ?? 0
    },
    async createSession(s) {
      run('INSERT INTO sessions (id_hash, kind, subject_id, csrf, created_at, last_seen_at, idle_ms, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', s.idHash, s.kind, s.subjectId, s.csrf, s.createdAt, s.lastSeenAt, s.idleMs, s.expiresAt, s.revokedAt)
    },
    async session(idHash) {
      const r = one<SessionDbRow>('SELECT * FROM sessions WHERE id_hash = ?', idHash)
      return r ? toSession(r) : null
    },
    async touchSession(idHash, at) {
      run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?', at, idHash)
    },
    async revokeSession(idHash, at) {
      run('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL', at, idHash)
    },
    async revokedSince(since) {
      return all<{ id_hash: string }>('SELECT id_hash FROM sessions WHERE revoked_at >= ? ORDER BY id_hash', since).map(r => r.id_hash)
    },
    async revokeSessionsOf(subjectId, at) {
      const ids = (db.prepare('SELECT id_hash FROM sessions WHERE subject_id = ? AND revoked_at IS NULL').all(subjectId) as { id_hash: string }[]).map(r => r.id_hash)
      run('UPDATE sessions SET revoked_at = ? WHERE subject_id = ? AND revoked_at IS NULL', at, subjectId)
      return ids
    },
    async createShareLink(l) {
      run('INSERT INTO share_links (id, label, created_by, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)', l.id, l.label, l.createdBy, l.createdAt, l.expiresAt, l.revokedAt)
    },
    async shareLink(id) {
      const r = one<ShareRow>('SELECT * FROM share_links WHERE id = ?', id)
      return r ? toShare(r) : null
    },
    async listShareLinks() {
      return (db.prepare('SELECT * FROM share_links ORDER BY created_at DESC').all() as ShareRow[]).map(toShare)
    },
    async revokeShareLink(id, at) {
      return run('UPDATE share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id).changes > 0
    },
    async createCredential(c) {
      run('INSERT INTO credentials (id, kind, name, roles, token_hash, created_by, created_at, revoked_at, person_id, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', c.id, c.kind, c.name, JSON.stringify(c.roles), c.tokenHash, c.createdBy, c.createdAt, c.revokedAt, c.personId, c.grant ? JSON.stringify(c.grant) : null)
    },
    async credentialByTokenHash(hash) {
      const r = one<CredentialRow>('SELECT * FROM credentials WHERE token_hash = ?', hash)
      return r ? toCredential(r) : null
    },
    async credential(id) {
      const r = one<CredentialRow>('SELECT * FROM credentials WHERE id = ?', id)
      return r ? toCredential(r) : null
    },
    async listCredentials(kind) {
      return all<CredentialRow>('SELECT * FROM credentials WHERE kind = ? ORDER BY created_at DESC, id', kind).map(toCredential)
    },
    async revokeCredential(id, at) {
      return run('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id).changes > 0
    },
    async appendAudit(e) {
      run('INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', e.at, e.actorKind, e.actorId, e.role, e.ip, e.via, e.action, e.target, e.result, e.detail)
    },
    async queryAudit(q) {
      const { sql, args } = auditWhere(q)
      return all<AuditRow>(`SELECT * FROM audit ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`, ...args, q.limit, q.offset ?? 0).map(toAudit)
    },
    async countAudit(q) {
      const { sql, args } = auditWhere(q)
      return one<{ n: number }>(`SELECT COUNT(*) AS n FROM audit ${sql}`, ...args)?.n ?? 0
    },
  }
}

/** The audit trail's filters as a WHERE clause: exact actor, action and outcome, a target substring, a time range. */
function auditWhere(q: Omit<AuditQuery, 'limit' | 'offset'>): { sql: string, args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  const add = (clause: string, v: unknown) => {
    where.push(clause)
    args.push(v)
  }
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
  if (q.target)
    add('instr(target, ?) > 0', q.target)
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args }
}
