import type { Static } from 'typebox'
import { Type } from 'typebox'

// Web Push (#17): what a phone sends when it subscribes, and what its service worker receives and confirms.
// server/notify/push.ts sends; client/public/sw.js shows; docs/push-and-robots.md.

// The pattern carries the length (base64url of a fixed-size value, optional padding), so a string that matches it is
// one of the right size: the lengths are not a second constraint a generator has to hit.
const Base64Url = (o: { chars: number, description: string }) => Type.String({ description: o.description, minLength: o.chars, maxLength: o.chars + 2, pattern: `^[A-Za-z0-9_-]{${o.chars}}={0,2}$` })

/** A browser's PushSubscription.toJSON(). */
export const PushSubscriptionT = Type.Object({
  endpoint: Type.String({ minLength: 10, maxLength: 2048, description: 'the push service URL the browser was given' }),
  expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  keys: Type.Object({
    p256dh: Base64Url({ chars: 87, description: 'the P-256 public key (65 bytes, base64url)' }),
    auth: Base64Url({ chars: 22, description: 'the 16-byte auth secret (base64url)' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false })
export type PushSubscriptionBody = Static<typeof PushSubscriptionT>

export const PushEndpointT = Type.Object({ endpoint: Type.String({ minLength: 10, maxLength: 2048 }) }, { additionalProperties: false })

export const PushKeyT = Type.Object({ publicKey: Type.String({ description: 'the VAPID public key (base64url): applicationServerKey' }) })

export const PushSubscribedT = Type.Object({ endpoint: Type.String(), devices: Type.Integer({ description: 'how many browsers this person has subscribed' }) })

export const PushReceiptT = Type.Object({ deliveryId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false })

/** The decrypted payload of one push: what the service worker shows, and where a tap leads. */
export interface PushPayload {
  deliveryId: string
  title: string
  body: string
  /** The short signed link (opens the subject; a POST to it acknowledges), or null. */
  link: string | null
  subject: { kind: 'task' | 'message', id: string }
  ack: boolean
}
