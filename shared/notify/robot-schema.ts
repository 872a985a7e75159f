import type { Static } from 'typebox'
import { Type } from 'typebox'

// Government messaging robots (#17): a group chat's webhook robot (WeCom 企业微信/政务微信, DingTalk 钉钉/浙政钉,
// Feishu 飞书) that the ladder posts a notice to, mentioning the person by mobile number where the platform can.
// server/notify/robot.ts sends; docs/push-and-robots.md.

export const ROBOT_KINDS = ['wecom', 'dingtalk', 'feishu'] as const
export const RobotKindT = Type.Union([Type.Literal('wecom'), Type.Literal('dingtalk'), Type.Literal('feishu')])
export type RobotKind = Static<typeof RobotKindT>

export const RobotIdT = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }) })

/** A robot as the console reads it: never its secret, and its URL with the tokens in it masked. */
export const RobotT = Type.Object({
  id: Type.String(),
  kind: RobotKindT,
  name: Type.String(),
  urlHint: Type.String({ description: 'the webhook URL with its access tokens masked' }),
  secretSet: Type.Boolean({ description: 'whether a signing secret is stored (DingTalk 加签, Feishu 签名校验)' }),
  communities: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'whose people it reaches; null = everyone' }),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})
export type Robot = Static<typeof RobotT>

/** Create or change a robot: an omitted url or secret keeps the stored one; a null secret removes it. */
export const RobotSetT = Type.Object({
  kind: RobotKindT,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  url: Type.Optional(Type.String({ minLength: 10, maxLength: 1024 })),
  secret: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  communities: Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 }), Type.Null()]),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })
export type RobotSet = Static<typeof RobotSetT>
