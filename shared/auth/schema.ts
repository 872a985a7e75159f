import type { Static } from 'typebox'
import type { RoleKey } from '../territory/types.ts'
import { Type } from 'typebox'
import { ROLE_KEYS } from '../territory/types.ts'

// Sign-in, sessions, share links and the audit trail: the HTTP contract.

export const RoleKeyT = Type.Unsafe<RoleKey>(Type.Union(ROLE_KEYS.map(r => Type.Literal(r))))

export const PrincipalT = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('device'), Type.Literal('share'), Type.Literal('key'), Type.Literal('system')]),
  id: Type.String(),
  personId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  gridIds: Type.Array(Type.String()),
  communityId: Type.Union([Type.String(), Type.Null()]),
  sectorId: Type.Union([Type.String(), Type.Null()]),
  postId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
})

/** What `GET /api/auth/me` and a successful sign-in answer. Send `csrf` as `x-csrf-token` on every mutation. */
export const MeResponse = Type.Object({
  principal: PrincipalT,
  csrf: Type.String(),
  expiresAt: Type.String(),
  /** True when this principal can change nothing (leader, wall, share link). */
  readOnly: Type.Boolean(),
  demo: Type.Boolean(),
})
export type MeResponse = Static<typeof MeResponse>

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const PasswordBody = Type.Object({
  current: Type.String({ minLength: 1, maxLength: 200 }),
  next: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false })

export const TokenBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 400 }) }, { additionalProperties: false })

export const ShareLinkCreate = Type.Object({
  label: Type.Optional(Type.String({ maxLength: 60 })),
  hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 })),
}, { additionalProperties: false })

export const ShareLinkT = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
})

export const ShareLinkCreated = Type.Object({
  link: ShareLinkT,
  /** Path that opens the leader view with this link: `/m?share=<token>`. */
  path: Type.String(),
  token: Type.String(),
  /** QR code of the full URL as SVG markup, for the wall console. */
  qrSvg: Type.String(),
})

export const AuditRowT = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorKind: Type.String(),
  actorId: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  via: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  result: Type.String(),
  detail: Type.Union([Type.String(), Type.Null()]),
})
