import type { Static } from 'typebox'
import type { KeyScope } from './scopes.ts'
import { Type } from 'typebox'
import { RoleKeyT } from './schema.ts'
import { KEY_SCOPES } from './scopes.ts'

// The admin console's contract (#15): accounts, API-key scopes, the audit trail's filters.

const Id = Type.String({ minLength: 1, maxLength: 64 })
const NullableId = Type.Union([Id, Type.Null()])

/** Where an account acts when its roles have a territory; unset parts come from the person behind it. */
export const AccountScopeT = Type.Object({
  communityId: Type.Optional(NullableId),
  sectorId: Type.Optional(NullableId),
  postId: Type.Optional(NullableId),
}, { additionalProperties: false })
export type AccountScope = Static<typeof AccountScopeT>

/** An account as listed: never its password hash. */
export const AccountT = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleKeyT),
  personId: Type.Union([Type.String(), Type.Null()]),
  scope: AccountScopeT,
  disabled: Type.Boolean(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  passwordChangedAt: Type.String(),
})
export type AccountView = Static<typeof AccountT>

const Password = Type.String({ minLength: 1, maxLength: 200 })
const AccountRoles = Type.Array(RoleKeyT, { minItems: 1, maxItems: 4 })

export const AccountCreate = Type.Object({
  username: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{1,31}$', description: 'lower-case letters, digits, _ . -' }),
  name: Type.String({ minLength: 1, maxLength: 40 }),
  password: Password,
  roles: AccountRoles,
  personId: Type.Optional(NullableId),
  scope: Type.Optional(AccountScopeT),
}, { additionalProperties: false })
export type AccountCreate = Static<typeof AccountCreate>

export const AccountUpdate = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  roles: Type.Optional(AccountRoles),
  personId: Type.Optional(NullableId),
  scope: Type.Optional(AccountScopeT),
}, { additionalProperties: false, minProperties: 1 })
export type AccountUpdate = Static<typeof AccountUpdate>

export const AccountDisable = Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false })
export const PasswordReset = Type.Object({ password: Password }, { additionalProperties: false })

export const KeyScopeT = Type.Unsafe<KeyScope>(Type.Union(KEY_SCOPES.map(s => Type.Literal(s))))
export const ApiKeyCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  /** Omitted: what keys could do before scopes (report, send warnings). */
  scopes: Type.Optional(Type.Array(KeyScopeT, { minItems: 1, maxItems: KEY_SCOPES.length })),
  /** The communities its reads cover; omitted or null: all. */
  communityIds: Type.Optional(Type.Union([Type.Array(Id, { minItems: 1, maxItems: 50 }), Type.Null()])),
  /** Kept for older callers: a key is always `integration`. */
  roles: Type.Optional(Type.Array(Type.Literal('integration'), { minItems: 1, maxItems: 1 })),
}, { additionalProperties: false })
export type ApiKeyCreate = Static<typeof ApiKeyCreate>

/** An API key as listed: never its token or its hash. */
export const ApiKeyT = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  scopes: Type.Array(KeyScopeT),
  communityIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
})
export type ApiKeyView = Static<typeof ApiKeyT>

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, an Asia/Shanghai day' })
const auditFilter = {
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  target: Type.Optional(Type.String({ maxLength: 120 })),
  result: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('fail')])),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  /** Kept for older callers: rows at or after this instant. */
  since: Type.Optional(Type.String({ format: 'date-time' })),
}
export const AuditFilter = Type.Object(auditFilter)
export type AuditFilter = Static<typeof AuditFilter>
export const AuditPageQuery = Type.Object({
  ...auditFilter,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
})
