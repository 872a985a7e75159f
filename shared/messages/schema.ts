import type { Static } from 'typebox'
import { Type } from 'typebox'

/** One-click reach (一键直达): a message with a receipt per person. */
export const Message = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  text: Type.String(),
  sentAt: Type.String(),
  sentBy: Type.String(),
  audience: Type.Object({ all: Type.Boolean(), communityIds: Type.Array(Type.String()), gridIds: Type.Array(Type.String()), forceKinds: Type.Array(Type.String()) }),
  recipients: Type.Array(Type.Object({ personId: Type.String(), deliveredAt: Type.Union([Type.String(), Type.Null()]), readAt: Type.Union([Type.String(), Type.Null()]) })),
  updatedAt: Type.String(),
})
export type Message = Static<typeof Message>

export const MessageBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 500 }),
  all: Type.Optional(Type.Boolean()),
  communityIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  gridIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200 })),
  forceKinds: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 9 })),
}, { additionalProperties: false })
export type MessageBody = Static<typeof MessageBody>
