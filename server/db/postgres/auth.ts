import type pg from 'pg'
import type { AccountRow, AuditRow, CredentialRow, SessionDbRow, ShareRow } from '../auth-rows.ts'
import type { AuthStore } from '../auth-store.ts'
import { auditWhere, toAccount, toAudit, toCredential, toSession, toShare } from '../auth-rows.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one, rows } from './pool.ts'

// Accounts, sessions, share links and credentials on PostgreSQL: SQLite's tables (server/db/sqlite/migrations.ts,
// the #3 tables with the #5 and #15 columns folded in). `meta` and `audit` are PG_CORE_DDL's. Text is ordered and
// compared under COLLATE "C" in the queries: SQLite's BINARY collation, whatever the database's locale.

export const PG_AUTH_DDL = `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    person_id TEXT,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    scope TEXT,
    disabled_at TEXT
  );
  -- idle_ms is BIGINT: a device's 30 days (2.6e9 ms) do not fit an int4.
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_ms BIGINT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX sessions_subject ON sessions (subject_id);
  CREATE INDEX sessions_revoked ON sessions (revoked_at COLLATE "C") WHERE revoked_at IS NOT NULL;
  CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    person_id TEXT,
    scopes TEXT
  );
`

/** The auth tables of a tenant's schema on PostgreSQL; expects PG_CORE_DDL and PG_AUTH_DDL to be in place. */
export function createPgAuth(pool: pg.Pool): AuthStore {
  const run = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rowCount ?? 0
  const store: AuthStore = {
    async getMeta(key) {
      return (await one<{ value: string }>(pool, 'SELECT value FROM meta WHERE key = $1', [key]))?.value ?? null
    },
    async setMeta(key, value) {
      await run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value])
    },
    async createAccount(a) {
      await run('INSERT INTO accounts (id, username, person_id, name, roles, password_hash, disabled, created_at, password_changed_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [a.id, a.username, a.personId, a.name, JSON.stringify(a.roles), a.passwordHash, a.disabled ? 1 : 0, a.createdAt, a.passwordChangedAt, a.scope ? JSON.stringify(a.scope) : null])
    },
    async accountByUsername(username) {
      const r = await one<AccountRow>(pool, 'SELECT * FROM accounts WHERE username = $1', [username])
      return r ? toAccount(r) : null
    },
    async account(id) {
      const r = await one<AccountRow>(pool, 'SELECT * FROM accounts WHERE id = $1', [id])
      return r ? toAccount(r) : null
    },
    async listAccounts() {
      return (await rows<AccountRow>(pool, 'SELECT * FROM accounts ORDER BY username COLLATE "C"')).map(toAccount)
    },
    async setPassword(id, hash, at) {
      await run('UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3', [hash, at, id])
    },
    async updateAccount(id, p) {
      // As SQLite: undefined leaves a column, null clears person_id and scope.
      const cols: [string, unknown][] = [['name', p.name], ['roles', p.roles && JSON.stringify(p.roles)], ['person_id', p.personId], ['scope', p.scope === undefined ? undefined : p.scope && JSON.stringify(p.scope)]]
      const set = cols.filter(([, v]) => v !== undefined)
      if (set.length)
        await run(`UPDATE accounts SET ${set.map(([c], i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${set.length + 1}`, [...set.map(([, v]) => v), id])
    },
    async setDisabled(id, at) {
      await run('UPDATE accounts SET disabled = $1, disabled_at = $2 WHERE id = $3', [at ? 1 : 0, at, id])
    },
    async countAccounts() {
      return (await one<{ n: number }>(pool, 'SELECT COUNT(*) AS n FROM accounts'))?.n ?? 0
    },
    async createSession(s) {
      await run('INSERT INTO sessions (id_hash, kind, subject_id, csrf, created_at, last_seen_at, idle_ms, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [s.idHash, s.kind, s.subjectId, s.csrf, s.createdAt, s.lastSeenAt, s.idleMs, s.expiresAt, s.revokedAt])
    },
    async session(idHash) {
      const r = await one<SessionDbRow>(pool, 'SELECT * FROM sessions WHERE id_hash = $1', [idHash])
      return r ? toSession(r) : null
    },
    async touchSession(idHash, at) {
      await run('UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash])
    },
    async revokeSession(idHash, at) {
      await run('UPDATE sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL', [at, idHash])
    },
    async revokeSessionsOf(subjectId, at) {
      // SQLite reads the ids, then updates, as the only writer. One UPDATE … RETURNING answers exactly the sessions this
      // call revoked: a concurrent call waits on the row locks, re-checks `revoked_at IS NULL` and skips them. Sorted
      // by hash, the order SQLite's subject index gives.
      const r = await rows<{ id_hash: string }>(pool, `WITH r AS (UPDATE sessions SET revoked_at = $1 WHERE subject_id = $2 AND revoked_at IS NULL RETURNING id_hash)
        SELECT id_hash FROM r ORDER BY id_hash COLLATE "C"`, [at, subjectId])
      return r.map(x => x.id_hash)
    },
    async createShareLink(l) {
      await run('INSERT INTO share_links (id, label, created_by, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)', [l.id, l.label, l.createdBy, l.createdAt, l.expiresAt, l.revokedAt])
    },
    async shareLink(id) {
      const r = await one<ShareRow>(pool, 'SELECT * FROM share_links WHERE id = $1', [id])
      return r ? toShare(r) : null
    },
    async listShareLinks() {
      // SQLite names no tie-break; its scan gives ties in id order, made explicit here.
      return (await rows<ShareRow>(pool, 'SELECT * FROM share_links ORDER BY created_at COLLATE "C" DESC, id COLLATE "C"')).map(toShare)
    },
    async revokeShareLink(id, at) {
      // Conditional: of two concurrent revokes, the second finds revoked_at set and answers false.
      return await run('UPDATE share_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]) > 0
    },
    async createCredential(c) {
      await run('INSERT INTO credentials (id, kind, name, roles, token_hash, created_by, created_at, revoked_at, person_id, scopes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [c.id, c.kind, c.name, JSON.stringify(c.roles), c.tokenHash, c.createdBy, c.createdAt, c.revokedAt, c.personId, c.grant ? JSON.stringify(c.grant) : null])
    },
    async credentialByTokenHash(hash) {
      const r = await one<CredentialRow>(pool, 'SELECT * FROM credentials WHERE token_hash = $1', [hash])
      return r ? toCredential(r) : null
    },
    async credential(id) {
      const r = await one<CredentialRow>(pool, 'SELECT * FROM credentials WHERE id = $1', [id])
      return r ? toCredential(r) : null
    },
    async listCredentials(kind) {
      return (await rows<CredentialRow>(pool, 'SELECT * FROM credentials WHERE kind = $1 ORDER BY created_at COLLATE "C" DESC, id COLLATE "C"', [kind])).map(toCredential)
    },
    async revokeCredential(id, at) {
      return await run('UPDATE credentials SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]) > 0
    },
    async appendAudit(e) {
      await run('INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [e.at, e.actorKind, e.actorId, e.role, e.ip, e.via, e.action, e.target, e.result, e.detail])
    },
    async queryAudit(q) {
      const { sql, args } = numbered(auditWhere(q))
      // SQLite reads a negative LIMIT as none and a negative OFFSET as 0; PostgreSQL refuses both.
      const limit = q.limit < 0 ? null : q.limit
      const offset = Math.max(0, q.offset ?? 0)
      return (await rows<AuditRow>(pool, `SELECT * FROM audit ${sql} ORDER BY id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`, [...args, limit, offset])).map(toAudit)
    },
    async countAudit(q) {
      const { sql, args } = numbered(auditWhere(q))
      return (await one<{ n: number }>(pool, `SELECT COUNT(*) AS n FROM audit ${sql}`, args))?.n ?? 0
    },
  }
  return withProblems(store, pgProblemOf)
}

/** A clause's `?` placeholders as PostgreSQL's `$1, $2…`. */
function numbered(w: { sql: string, args: unknown[] }): { sql: string, args: unknown[] } {
  let n = 0
  return { sql: w.sql.replace(/\?/g, () => `$${++n}`), args: w.args }
}
