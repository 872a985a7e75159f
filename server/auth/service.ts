import type { Principal } from '../../shared/auth/authz.ts'
import type { KeyGrant } from '../../shared/auth/scopes.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { ReferenceData, RoleKey } from '../../shared/territory/types.ts'
import type { Account, AuthStore, Credential, SessionKind, SessionRow } from '../db/auth-store.ts'
import { READ_ONLY_ROLES, scopeOf } from '../../shared/auth/authz.ts'
import { DEFAULT_KEY_GRANT } from '../../shared/auth/scopes.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts'
import { newToken, sha256, signShareToken, verifyShareToken } from './tokens.ts'

const HOUR = 3600_000
const DAY = 24 * HOUR
/** Idle and absolute lifetimes per session kind. A wall display runs for months: its session renews. */
export const SESSION_LIMITS: Record<SessionKind, { idleMs: number, maxMs: number }> = {
  user: { idleMs: 2 * HOUR, maxMs: 12 * HOUR },
  device: { idleMs: 30 * DAY, maxMs: 400 * DAY },
  share: { idleMs: 30 * DAY, maxMs: 30 * DAY },
}
/** last_seen is written at most this often per session (each write is an fsync). */
const TOUCH_EVERY_MS = 60_000

export interface ResolvedSession { principal: Principal, session: SessionRow }
export interface Opened { token: string, session: SessionRow, principal: Principal }

export function isReadOnly(p: Principal): boolean {
  return p.kind === 'share' || p.roles.every(r => READ_ONLY_ROLES.includes(r))
}

/** Sign-in, sessions, share links, devices and API keys. The HTTP routes and the socket handshake use it. */
export function createAuthService(deps: { store: AuthStore, reference: ReferenceData, now: () => Date }) {
  const { store, now } = deps
  const revokeListeners = new Set<(idHashes: string[]) => void>()
  let secret: string | null = null
  let lastTouchWarning = 0

  async function shareSecret(): Promise<string> {
    secret ??= await store.getMeta('share_secret')
    if (!secret) {
      secret = newToken(32)
      await store.setMeta('share_secret', secret)
    }
    return secret
  }

  function principalOf(kind: Principal['kind'], id: string, name: string, roles: RoleKey[], personId: string | null): Principal {
    return { kind, id, name, roles, personId, ...scopeOf(deps.reference, personId) }
  }

  /** An account acts in its person's territory, with the parts the admin set on the account itself over it. */
  function accountPrincipal(a: Account): Principal {
    const p = principalOf('user', a.id, a.name, a.roles, a.personId)
    const own = a.scope ?? {}
    return { ...p, communityId: own.communityId ?? p.communityId, sectorId: own.sectorId ?? p.sectorId, postId: own.postId ?? p.postId }
  }
  /** A wall device shows; an enrolled phone acts as its person, in that person's roles and territory. */
  function credentialPrincipal(c: Credential): Principal {
    if (c.kind === 'person' && c.personId) {
      const person = deps.reference.org.people.find(p => p.id === c.personId)
      return principalOf('user', c.id, person?.name ?? c.name, person?.roles ?? [], c.personId)
    }
    return principalOf('device', c.id, c.name, c.roles, null)
  }

  async function open(kind: SessionKind, subjectId: string, principal: Principal, maxUntil?: Date): Promise<Opened> {
    const token = newToken()
    const at = now()
    const limits = SESSION_LIMITS[kind]
    const expires = new Date(Math.min(at.getTime() + limits.maxMs, maxUntil?.getTime() ?? Infinity))
    const session: SessionRow = { idHash: sha256(token), kind, subjectId, csrf: newToken(18), createdAt: at.toISOString(), lastSeenAt: at.toISOString(), idleMs: limits.idleMs, expiresAt: expires.toISOString(), revokedAt: null }
    await store.createSession(session)
    return { token, session, principal }
  }

  function notifyRevoked(idHashes: string[]): void {
    if (idHashes.length > 0) {
      for (const l of revokeListeners) l(idHashes)
    }
  }

  return {
    accountPrincipal,
    async login(username: string, password: string): Promise<Opened | null> {
      const account = await store.accountByUsername(username)
      // Hash even for an unknown user so timing does not reveal which usernames exist.
      const ok = await verifyPassword(password, account?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      if (!account || !ok || account.disabled)
        return null
      return open('user', account.id, accountPrincipal(account))
    },

    /** The principal behind a session cookie, or null when it is unknown, revoked or expired. */
    async resolve(token: string | undefined): Promise<ResolvedSession | null> {
      if (!token)
        return null
      const session = await store.session(sha256(token))
      if (!session || session.revokedAt)
        return null
      const t = now().getTime()
      if (t >= Date.parse(session.expiresAt) || t - Date.parse(session.lastSeenAt) > session.idleMs)
        return null
      const principal = await this.principalOfSession(session)
      if (!principal)
        return null
      if (t - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
        // Bookkeeping, not a gate: when the store cannot write (a full disk), the session still reads. It will be
        // touched again on a later request; until then its idle clock runs from the last successful touch.
        await store.touchSession(session.idHash, new Date(t).toISOString()).catch((e: unknown) => {
          if (t - lastTouchWarning > TOUCH_EVERY_MS) {
            lastTouchWarning = t
            console.warn(`session last-seen not recorded: ${e instanceof Error ? e.message : String(e)}`)
          }
        })
      }
      return { principal, session }
    },

    async principalOfSession(session: SessionRow): Promise<Principal | null> {
      if (session.kind === 'user') {
        const a = await store.account(session.subjectId)
        return a && !a.disabled ? accountPrincipal(a) : null
      }
      if (session.kind === 'share') {
        const link = await store.shareLink(session.subjectId)
        if (!link || link.revokedAt || Date.parse(link.expiresAt) <= now().getTime())
          return null
        return principalOf('share', link.id, link.label, ['leader'], null)
      }
      const c = await store.credential(session.subjectId)
      return c && !c.revokedAt ? credentialPrincipal(c) : null
    },

    async logout(token: string | undefined): Promise<void> {
      if (!token)
        return
      const idHash = sha256(token)
      await store.revokeSession(idHash, now().toISOString())
      notifyRevoked([idHash])
    },

    async changePassword(accountId: string, current: string, next: string): Promise<Result<null>> {
      const a = await store.account(accountId)
      if (!a || !(await verifyPassword(current, a.passwordHash)))
        return fail('forbidden', 'current password is wrong', 'current')
      const problem = passwordProblem(next)
      if (problem)
        return fail('invalid', problem, 'next')
      const at = now().toISOString()
      await store.setPassword(a.id, await hashPassword(next), at)
      // Every other session of this account ends: a changed password locks out whoever else had it.
      notifyRevoked(await store.revokeSessionsOf(a.id, at))
      return succeed(null)
    },

    async createAccount(input: { username: string, password: string, name: string, roles: RoleKey[], personId?: string | null, scope?: Account['scope'] }): Promise<Account> {
      const at = now().toISOString()
      const account: Account = { id: `acc_${newToken(9)}`, username: input.username, personId: input.personId ?? null, name: input.name, roles: input.roles, passwordHash: await hashPassword(input.password), disabled: false, createdAt: at, passwordChangedAt: at, scope: input.scope ?? null }
      await store.createAccount(account)
      return account
    },

    async createShareLink(createdBy: string, label: string, hours: number) {
      const at = now()
      const link = { id: `shr_${newToken(9)}`, label, createdBy, createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + hours * HOUR).toISOString(), revokedAt: null }
      await store.createShareLink(link)
      return { link, token: signShareToken(await shareSecret(), link.id, new Date(link.expiresAt)) }
    },

    async revokeShareLink(id: string): Promise<boolean> {
      const at = now().toISOString()
      const done = await store.revokeShareLink(id, at)
      notifyRevoked(await store.revokeSessionsOf(id, at))
      return done
    },

    /** Opens a read-only session from a signed share token; null if tampered, expired or revoked. */
    async openShare(token: string): Promise<Opened | null> {
      const v = verifyShareToken(await shareSecret(), token, now())
      const link = v ? await store.shareLink(v.id) : null
      if (!v || !link || link.revokedAt)
        return null
      return open('share', link.id, principalOf('share', link.id, link.label, ['leader'], null), v.expiresAt)
    },

    /** A long-lived secret for a wall PC (device), another system (key) or a person's phone. Returned once. */
    async createCredential(kind: Credential['kind'], name: string, roles: RoleKey[], createdBy: string, token = newToken(), personId: string | null = null, grant: KeyGrant | null = null) {
      const c: Credential = { id: `${kind === 'device' ? 'dev' : kind === 'key' ? 'key' : 'phn'}_${newToken(9)}`, kind, personId, name, roles, tokenHash: sha256(token), createdBy, createdAt: now().toISOString(), revokedAt: null, grant }
      await store.createCredential(c)
      return { credential: c, token }
    },

    /** Opens a session from a wall device token or an enrolled phone's token. */
    async openDevice(token: string): Promise<Opened | null> {
      const c = await store.credentialByTokenHash(sha256(token))
      if (!c || c.revokedAt || c.kind === 'key')
        return null
      return open('device', c.id, credentialPrincipal(c))
    },

    async resolveKey(token: string): Promise<Principal | null> {
      const c = await store.credentialByTokenHash(sha256(token))
      return c && !c.revokedAt && c.kind === 'key' ? { ...principalOf('key', c.id, c.name, c.roles, null), grant: c.grant ?? DEFAULT_KEY_GRANT } : null
    },

    /** Ends every session of an account or credential now, sockets included (disabled, password reset, re-roled). */
    async endSessionsOf(subjectId: string): Promise<void> {
      notifyRevoked(await store.revokeSessionsOf(subjectId, now().toISOString()))
    },

    async revokeCredential(id: string): Promise<boolean> {
      const at = now().toISOString()
      const done = await store.revokeCredential(id, at)
      notifyRevoked(await store.revokeSessionsOf(id, at))
      return done
    },

    onRevoke(l: (idHashes: string[]) => void): () => void {
      revokeListeners.add(l)
      return () => revokeListeners.delete(l)
    },
  }
}

export type AuthService = ReturnType<typeof createAuthService>
