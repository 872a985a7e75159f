import { createHmac, randomBytes } from 'node:crypto'
import { WEBHOOK_HEADERS } from '../../shared/webhooks/schema.ts'

// The sender's side of shared/webhooks/signature.ts (same bytes, node:crypto: synchronous, no key import per call).

/** `sha256=<hex>`: HMAC-SHA256 of `<timestamp>.<body>` with the subscription's secret. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** The headers of one attempt: the event id is the stored one, the timestamp is this attempt's. */
export function signedHeaders(secret: string, eventId: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000))
  return {
    [WEBHOOK_HEADERS.id]: eventId,
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: signatureOf(secret, timestamp, body),
  }
}

/** A new shared secret: 32 random bytes, URL-safe. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`
