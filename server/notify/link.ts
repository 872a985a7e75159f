import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

// The short signed link an SMS carries (#17): `/t/<token>`, 28 characters. The token names a delivery (which
// names the subject and the person) by a 9-byte hash of its id, with an expiry and an 8-byte HMAC: nothing to
// store, nothing to guess, and short enough that a Chinese SMS with its link stays within one or two segments.

const HASH = 9
const MAC = 8

/** The key a delivery is found by from its token. */
export const linkKey = (deliveryId: string) => createHash('sha256').update(deliveryId).digest().subarray(0, HASH).toString('base64url')

function mac(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, MAC)
}

export function signLink(secret: string, deliveryId: string, expiresAt: Date): string {
  const body = Buffer.alloc(HASH + 4)
  createHash('sha256').update(deliveryId).digest().copy(body, 0, 0, HASH)
  body.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), HASH)
  return Buffer.concat([body, mac(secret, body)]).toString('base64url')
}

/** The delivery's key, or why not: a forged or mangled token, or one past its expiry. */
export function verifyLink(secret: string, token: string, now: Date): { key: string } | { error: 'invalid' | 'expired' } {
  const raw = /^[\w-]{28}$/.test(token) ? Buffer.from(token, 'base64url') : Buffer.alloc(0)
  if (raw.length !== HASH + 4 + MAC)
    return { error: 'invalid' }
  const body = raw.subarray(0, HASH + 4)
  if (!timingSafeEqual(raw.subarray(HASH + 4), mac(secret, body)))
    return { error: 'invalid' }
  if (body.readUInt32BE(HASH) * 1000 <= now.getTime())
    return { error: 'expired' }
  return { key: body.subarray(0, HASH).toString('base64url') }
}
