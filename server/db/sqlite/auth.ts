import type { Database as Db } from 'better-sqlite3'
import type { AccountRow, AuditRow, CredentialRow, SessionDbRow, ShareRow } from '../auth-rows.ts'
import type { AuthStore } from '../auth-store.ts'
import { auditWhere, toAccount, toAudit, toCredential, toSession, toShare } from '../auth-rows.ts'

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
