import type { SmsEvents, SmsTransport } from './sms.ts'
import { createHmac, timingSafeEqual } from 'node:crypto'

// SMS through an HTTP gateway in the shape Chinese carrier platforms use (#17): POST JSON
// {phone, templateId, params, sign} signed with HMAC-SHA256 over `<timestamp>.<body>` (headers `x-timestamp`,
// `x-signature`, hex). The gateway answers {id} (or {messageId}/{bizId}). Receipts and replies come back to our
// callback route, `POST /notify/sms/callback`, signed the same way with the same key:
//   {"type":"receipt","id":"<gateway id>","status":"DELIVRD"|"UNDELIV"|…}
//   {"type":"reply","phone":"138…","text":"1"}

export function signBody(key: string, timestamp: string, body: string): string {
  return createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')
}

/** Checks a callback's signature and that its timestamp is within five minutes of ours. */
export function verifyBody(key: string, timestamp: string | undefined, signature: string | undefined, body: string, now: Date): boolean {
  if (!timestamp || !signature || !/^[0-9a-f]{64}$/i.test(signature) || Math.abs(now.getTime() - Number(timestamp) * 1000) > 5 * 60_000)
    return false
  return timingSafeEqual(Buffer.from(signBody(key, timestamp, body), 'hex'), Buffer.from(signature, 'hex'))
}

export interface HttpSmsOptions { url: string, key: string, sign: string, now: () => Date, timeoutMs?: number }

export function createHttpSmsTransport(o: HttpSmsOptions): SmsTransport {
  return {
    async send(m) {
      const body = JSON.stringify({ phone: m.phone, templateId: m.templateId, params: m.params, sign: o.sign })
      const timestamp = String(Math.floor(o.now().getTime() / 1000))
      const res = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-timestamp': timestamp, 'x-signature': signBody(o.key, timestamp, body) },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      })
      const answer = await res.json().catch(() => ({})) as { id?: unknown, messageId?: unknown, bizId?: unknown }
      const id = answer.id ?? answer.messageId ?? answer.bizId
      if (!res.ok || id === undefined)
        throw new Error(`SMS gateway answered ${res.status}`)
      return { providerId: String(id) }
    },
    close: async () => {},
  }
}

/** A verified callback body, passed on to the ladder. Unknown shapes are refused (false). */
export function handleCallback(events: SmsEvents, body: unknown): boolean {
  const b = body as { type?: unknown, id?: unknown, status?: unknown, phone?: unknown, text?: unknown }
  if (b?.type === 'receipt' && typeof b.id === 'string' && typeof b.status === 'string') {
    events.receipt(b.id, b.status.toUpperCase() === 'DELIVRD' || b.status.toLowerCase() === 'delivered' ? 'delivered' : 'failed', b.status)
    return true
  }
  if (b?.type === 'reply' && typeof b.phone === 'string' && typeof b.text === 'string') {
    events.reply(b.phone, b.text)
    return true
  }
  return false
}
