import type { Static } from 'typebox'
import { Type } from 'typebox'

/** Who a message is for: any mix of these parts (their union is the recipient list, fixed when it is sent). */
export const Audience = Type.Object({
  all: Type.Boolean(),
  communityIds: Type.Array(Type.String()),
  gridIds: Type.Array(Type.String()),
  forceKinds: Type.Array(Type.String()),
  /** The responders of wartime plans (who each plan reaches). Absent on messages sent before plans could be chosen. */
  planIds: Type.Optional(Type.Array(Type.String())),
})
export type Audience = Static<typeof Audience>

/** One-click reach (一键直达): a message with a receipt per person. */
export const Message = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  text: Type.String(),
  sentAt: Type.String(),
  sentBy: Type.String(),
  audience: Audience,
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
  planIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
}, { additionalProperties: false })
export type MessageBody = Static<typeof MessageBody>
