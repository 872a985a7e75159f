// The signature of a delivery, for the sender and for a receiver in any JavaScript runtime (Web Crypto: Node 20+,
// browsers, Deno, workers). `X-OneScreen-Signature: sha256=<hex>` is HMAC-SHA256 over `<timestamp>.<raw body>` with
// the shared secret; the timestamp (seconds) is signed too, so a receiver can refuse an old request replayed.

const encoder = new TextEncoder()

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map(b => b.toString(16).padStart(2, '0')).join('')
}

/** `sha256=<hex>` for a body sent at `timestamp` (seconds since the epoch, as sent in X-OneScreen-Timestamp). */
export async function signWebhook(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `sha256=${hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)))}`
}

/** Compares in time independent of where the strings differ. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0)
  return diff === 0
}

export type WebhookCheck = { ok: true } | { ok: false, reason: 'missing' | 'stale' | 'mismatch' }

/**
 * What a receiver runs on each request, with the raw body (before any JSON parsing): the signature must match and
 * the timestamp be within `toleranceSeconds` (default 300) of `now`. Deduplicate on X-OneScreen-Event-Id after.
 */
export async function verifyWebhook(secret: string, h: { timestamp?: string | null, signature?: string | null }, body: string, opts: { now?: Date, toleranceSeconds?: number } = {}): Promise<WebhookCheck> {
  if (!h.timestamp || !h.signature || !/^\d+$/.test(h.timestamp))
    return { ok: false, reason: 'missing' }
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000)
  if (Math.abs(now - Number(h.timestamp)) > (opts.toleranceSeconds ?? 300))
    return { ok: false, reason: 'stale' }
  return sameText(await signWebhook(secret, h.timestamp, body), h.signature) ? { ok: true } : { ok: false, reason: 'mismatch' }
}
