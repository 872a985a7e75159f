import type { AccountScope } from '../../shared/auth/admin-schema.ts'
import type { KeyGrant } from '../../shared/auth/scopes.ts'
import type { RoleKey } from '../../shared/territory/types.ts'

// Accounts, sessions, share links, device/API credentials and the audit trail, behind one interface
// so a PostgreSQL implementation can replace the SQLite one.

export interface Account {
  id: string
  username: string
  personId: string | null
  name: string
  roles: RoleKey[]
  passwordHash: string
  disabled: boolean
  createdAt: string
  passwordChangedAt: string
  /** The account's own territory, over the person's (#15); absent parts come from the person. */
  scope?: AccountScope | null
  disabledAt?: string | null
}

/** What an admin may change on an account (#15). */
export type AccountPatch = Partial<Pick<Account, 'name' | 'roles' | 'personId' | 'scope'>>

export type SessionKind = 'user' | 'device' | 'share'

export interface SessionRow {
  /** sha256 of the cookie value: a leaked database does not leak live sessions. */
  idHash: string
  kind: SessionKind
  /** Account id (user), credential id (device) or share link id (share). */
  subjectId: string
  csrf: string
  createdAt: string
  lastSeenAt: string
  idleMs: number
  expiresAt: string
  revokedAt: string | null
}

export interface ShareLink { id: string, label: string, createdBy: string, createdAt: string, expiresAt: string, revokedAt: string | null }

/** A device (wall display), an API key, or an enrolled phone of a person: a long-lived secret. */
export interface Credential {
  id: string
  kind: 'device' | 'key' | 'person'
  /** For a person's phone: whose. Their roles and territory come from the reference data. */
  personId: string | null
  name: string
  roles: RoleKey[]
  tokenHash: string
  createdBy: string
  createdAt: string
  revokedAt: string | null
  /** An API key's scopes; null for keys made before scopes existed (they keep the default grant). */
  grant?: KeyGrant | null
}

export interface AuditEntry {
  at: string
  actorKind: string
  actorId: string
  role: string | null
  ip: string | null
  /** http or socket */
  via: string
  action: string
  target: string | null
  result: 'allow' | 'deny' | 'fail'
  detail: string | null
}

export interface AuditQuery {
  since?: string
  /** Instants, inclusive from and exclusive to. */
  from?: string
  to?: string
  actorId?: string
  action?: string
  /** A substring of the target. */
  target?: string
  result?: string
  limit: number
  offset?: number
}

export interface AuthStore {
  getMeta: (key: string) => Promise<string | null>
  setMeta: (key: string, value: string) => Promise<void>

  createAccount: (a: Account) => Promise<void>
  accountByUsername: (username: string) => Promise<Account | null>
  account: (id: string) => Promise<Account | null>
  listAccounts: () => Promise<Account[]>
  setPassword: (id: string, hash: string, at: string) => Promise<void>
  countAccounts: () => Promise<number>
  updateAccount: (id: string, patch: AccountPatch) => Promise<void>
  setDisabled: (id: string, disabledAt: string | null) => Promise<void>

  createSession: (s: SessionRow) => Promise<void>
  session: (idHash: string) => Promise<SessionRow | null>
  touchSession: (idHash: string, at: string) => Promise<void>
  revokeSession: (idHash: string, at: string) => Promise<void>
  /** Revokes every session of a subject (password change, share link or credential revoked). */
  revokeSessionsOf: (subjectId: string, at: string) => Promise<string[]>

  createShareLink: (l: ShareLink) => Promise<void>
  shareLink: (id: string) => Promise<ShareLink | null>
  listShareLinks: () => Promise<ShareLink[]>
  revokeShareLink: (id: string, at: string) => Promise<boolean>

  createCredential: (c: Credential) => Promise<void>
  credentialByTokenHash: (hash: string) => Promise<Credential | null>
  credential: (id: string) => Promise<Credential | null>
  /** Credentials of one kind, newest first, revoked ones included. */
  listCredentials: (kind: Credential['kind']) => Promise<Credential[]>
  revokeCredential: (id: string, at: string) => Promise<boolean>

  /** Append-only: there is no update or delete. */
  appendAudit: (e: AuditEntry) => Promise<void>
  queryAudit: (q: AuditQuery) => Promise<(AuditEntry & { id: number })[]>
  countAudit: (q: Omit<AuditQuery, 'limit' | 'offset'>) => Promise<number>
}
