import type { AccountCreate, AccountScope, AccountUpdate, AccountView } from '../../shared/auth/admin-schema.ts'
import type { Failure, Result } from '../../shared/kernel/result.ts'
import type { ReferenceData, RoleKey } from '../../shared/territory/types.ts'
import type { Call } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import type { Account } from '../db/auth-store.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { hashPassword, passwordProblem } from './passwords.ts'

// Accounts as the admin console manages them (#15): every mutation asks authz.ts (`user:manage`) through
// audit.guard(), and leaves a row in the audit trail, allowed or not.

/** Roles a person's account may hold: the system and integrations are not people. */
const NOT_FOR_PEOPLE: readonly RoleKey[] = ['system', 'integration']

export function accountView(a: Account): AccountView {
  return { id: a.id, username: a.username, name: a.name, roles: a.roles, personId: a.personId, scope: a.scope ?? {}, disabled: a.disabled, disabledAt: a.disabledAt ?? null, createdAt: a.createdAt, passwordChangedAt: a.passwordChangedAt }
}

/**
 * Checks roles, the person and the territory against the reference data; answers the scope to store (a post
 * brings its sector) or the field that is wrong. A role with a territory must have one, from the account or its person.
 */
export function checkShape(ref: ReferenceData, roles: RoleKey[], personId: string | null, scope: AccountScope): Result<AccountScope> {
  const bad = roles.find(r => NOT_FOR_PEOPLE.includes(r))
  if (bad)
    return fail('invalid', `an account cannot hold the ${bad} role`, 'roles')
  const person = personId ? ref.org.people.find(p => p.id === personId) : undefined
  if (personId && !person)
    return fail('invalid', `person ${personId} is not in the reference data`, 'personId')
  const post = scope.postId ? ref.org.posts.find(p => p.id === scope.postId) : undefined
  if (scope.communityId && !ref.territory.communities.some(c => c.id === scope.communityId))
    return fail('invalid', `community ${scope.communityId} does not exist`, 'scope.communityId')
  if (scope.sectorId && !ref.org.sectors.some(s => s.id === scope.sectorId))
    return fail('invalid', `sector ${scope.sectorId} does not exist`, 'scope.sectorId')
  if (scope.postId && !post)
    return fail('invalid', `post ${scope.postId} does not exist`, 'scope.postId')
  if (post && scope.sectorId && post.sectorId !== scope.sectorId)
    return fail('invalid', `post ${post.id} belongs to sector ${post.sectorId}`, 'scope.postId')
  const kept: AccountScope = { communityId: scope.communityId ?? null, sectorId: scope.sectorId ?? post?.sectorId ?? null, postId: scope.postId ?? null }
  const has = (k: keyof AccountScope) => Boolean(kept[k] ?? person?.[k])
  const needs: [RoleKey, keyof AccountScope | 'personId'][] = [['community_staff', 'communityId'], ['sector_lead', 'sectorId'], ['post_staff', 'postId'], ['grid_worker', 'personId'], ['force_member', 'personId']]
  for (const [role, need] of needs) {
    if (roles.includes(role) && !(need === 'personId' ? person : has(need)))
      return fail('invalid', need === 'personId' ? `a ${role} account acts as a person: choose who` : `a ${role} account needs a ${need.replace('Id', '')}`, need === 'personId' ? 'personId' : `scope.${need}`)
  }
  return succeed(kept)
}

export function createAccountService(ctx: Pick<AppContext, 'auth' | 'authStore' | 'audit' | 'reference' | 'now'>) {
  const { auth, authStore: store, audit } = ctx

  /** Authorises, runs, and records the outcome: the allowed row on success, a `fail` row naming the problem. */
  async function audited<T>(call: Call, action: string, target: string, act: () => Promise<Result<T>>): Promise<Result<T>> {
    const g = await audit.guard(call, 'user:manage', target, { action })
    if (!g.ok)
      return g
    const res = await act()
    if (res.ok)
      await store.appendAudit(g.audit)
    else
      await audit.record(call.principal, call.origin, { action, target, result: 'fail', role: g.role, detail: res.message })
    return res
  }
  const missing = (id: string): Failure => fail('not_found', `account ${id} does not exist`, 'id')

  return {
    async list(): Promise<AccountView[]> {
      return (await store.listAccounts()).map(accountView)
    },

    create: (call: Call, body: AccountCreate) => audited(call, 'account:create', body.username, async () => {
      const problem = passwordProblem(body.password)
      if (problem)
        return fail('invalid', problem, 'password')
      const shape = checkShape(ctx.reference, body.roles, body.personId ?? null, body.scope ?? {})
      if (!shape.ok)
        return shape
      if (await store.accountByUsername(body.username))
        return fail('conflict', `username ${body.username} is taken`, 'username')
      const a = await auth.createAccount({ ...body, roles: [...new Set(body.roles)], personId: body.personId ?? null, scope: shape.data })
      return succeed(accountView(a), { created: true })
    }),

    update: (call: Call, id: string, patch: AccountUpdate) => audited(call, 'account:update', id, async () => {
      const a = await store.account(id)
      if (!a)
        return missing(id)
      const roles = patch.roles ?? a.roles
      if (id === call.principal.id && !roles.includes('admin') && a.roles.includes('admin'))
        return fail('conflict', 'you cannot take the admin role from your own account', 'roles')
      const personId = patch.personId === undefined ? a.personId : patch.personId
      const shape = checkShape(ctx.reference, roles, personId, patch.scope ?? a.scope ?? {})
      if (!shape.ok)
        return shape
      await store.updateAccount(id, { name: patch.name, roles: patch.roles && [...new Set(patch.roles)], personId: patch.personId, scope: shape.data })
      // Roles and territory are read once by a socket at its handshake: the account signs in again with the new ones.
      if (patch.roles || patch.scope || patch.personId !== undefined)
        await auth.endSessionsOf(id)
      return succeed(accountView((await store.account(id))!))
    }),

    setDisabled: (call: Call, id: string, disabled: boolean) => audited(call, disabled ? 'account:disable' : 'account:enable', id, async () => {
      const a = await store.account(id)
      if (!a)
        return missing(id)
      if (disabled && id === call.principal.id)
        return fail('conflict', 'you cannot disable your own account', 'disabled')
      await store.setDisabled(id, disabled ? (a.disabledAt ?? ctx.now().toISOString()) : null)
      if (disabled)
        await auth.endSessionsOf(id)
      return succeed(accountView((await store.account(id))!))
    }),

    resetPassword: (call: Call, id: string, password: string) => audited(call, 'account:password', id, async () => {
      const a = await store.account(id)
      if (!a)
        return missing(id)
      const problem = passwordProblem(password)
      if (problem)
        return fail('invalid', problem, 'password')
      await store.setPassword(id, await hashPassword(password), ctx.now().toISOString())
      await auth.endSessionsOf(id)
      return succeed(null)
    }),
  }
}
