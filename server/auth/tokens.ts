import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url')
export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url')

/** A signed, expiring share-link token: `<id>.<exp ms>.<hmac>`. The id is checked against the store for revocation. */
export function signShareToken(secret: string, id: string, expiresAt: Date): string {
  const body = `${id}.${expiresAt.getTime()}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

export function verifyShareToken(secret: string, token: string, now: Date): { id: string, expiresAt: Date } | null {
  const parts = token.split('.')
  if (parts.length !== 3)
    return null
  const [id, exp, sig] = parts as [string, string, string]
  // Compared as text: base64url decoding ignores a last character's spare bits, so only the canonical form passes.
  const expected = Buffer.from(createHmac('sha256', secret).update(`${id}.${exp}`).digest('base64url'))
  const given = Buffer.from(sig)
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return null
  const expiresAt = new Date(Number(exp))
  if (!(expiresAt.getTime() > now.getTime()))
    return null
  return { id, expiresAt }
}
