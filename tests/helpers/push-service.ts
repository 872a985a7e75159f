import type { AddressInfo } from 'node:net'
import { Buffer } from 'node:buffer'
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto'
import http from 'node:http'

// A push service on loopback (#17): what FCM or Mozilla's autopush is to a browser. It hands out subscriptions
// (an endpoint plus a P-256 key pair and auth secret it keeps, as the browser would), checks each request's VAPID
// JWT (RFC 8292: ES256 by the key in `k`, `aud` = this origin, not expired), decrypts the aes128gcm body (RFC 8291
// over RFC 8188) written independently of the sender's library, and records what arrived. `gone()` makes an
// endpoint answer 410 like an unsubscribed browser's.

export interface PushSubscriptionJSON { endpoint: string, expirationTime: null, keys: { p256dh: string, auth: string } }

export interface ReceivedPush {
  endpoint: string
  /** The decrypted payload, parsed as JSON when it is JSON. */
  payload: unknown
  ttl: number
  urgency: string | null
  topic: string | null
  /** The VAPID claims and key that signed the request. */
  vapid: { aud: string, sub: string, exp: number, k: string }
}

export interface Rejected { endpoint: string, status: number, reason: string }

export interface PushServiceHandle {
  url: string
  /** A new browser's subscription (PushSubscription.toJSON()), its private key kept here to decrypt. */
  subscription: () => PushSubscriptionJSON
  received: ReceivedPush[]
  rejected: Rejected[]
  /** From now on this endpoint answers 410 Gone. */
  gone: (endpoint: string) => void
  /** Resolves once `n` pushes have arrived (all of them), or rejects after `timeoutMs`. */
  waitFor: (n: number, timeoutMs?: number) => Promise<ReceivedPush[]>
  close: () => Promise<void>
}

interface Subscriber { ecdh: ReturnType<typeof createECDH>, auth: Buffer }

const hkdf = (salt: Buffer, ikm: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync('sha256', ikm, salt, info, length))

/** RFC 8291 §3.4 + RFC 8188 §2: the aes128gcm body decrypted with the subscriber's private key and auth secret. */
export function decryptAes128gcm(body: Buffer, sub: Subscriber): Buffer {
  const salt = body.subarray(0, 16)
  const rs = body.readUInt32BE(16)
  const idlen = body[20]!
  const senderKey = body.subarray(21, 21 + idlen)
  const ecdhSecret = sub.ecdh.computeSecret(senderKey)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), sub.ecdh.getPublicKey(), senderKey])
  const ikm = hkdf(sub.auth, ecdhSecret, keyInfo, 32)
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16)
  const baseNonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12)
  const records = body.subarray(21 + idlen)
  const out: Buffer[] = []
  for (let i = 0, seq = 0; i < records.length; i += rs, seq++) {
    const record = records.subarray(i, Math.min(i + rs, records.length))
    const nonce = Buffer.from(baseNonce)
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8)
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
    decipher.setAuthTag(record.subarray(record.length - 16))
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()])
    // Padding: the data, a delimiter (2 in the last record, 1 before), then zeros.
    let end = plain.length - 1
    while (end >= 0 && plain[end] === 0) end--
    out.push(plain.subarray(0, end))
  }
  return Buffer.concat(out)
}

/** RFC 8292: `vapid t=<JWT>, k=<key>`; answers the claims or why they are refused. */
export function checkVapid(header: string | undefined, origin: string, nowSeconds = Math.floor(Date.now() / 1000)): ReceivedPush['vapid'] | string {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '')
  if (!m)
    return `no VAPID authorization (${header ?? 'none'})`
  const [h, p, s] = m[1]!.split('.') as [string, string, string]
  const k = m[2]!
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string }
  if (head.alg !== 'ES256')
    return `JWT alg ${head.alg}, not ES256`
  const point = Buffer.from(k, 'base64url')
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' })
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')))
    return 'the JWT signature does not verify with k'
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud?: string, sub?: string, exp?: number }
  if (claims.aud !== origin)
    return `aud ${claims.aud} is not ${origin}`
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || claims.exp > nowSeconds + 86_400)
    return `exp ${claims.exp} is not within the next 24 h`
  if (!claims.sub || !/^(?:mailto:|https:)/.test(claims.sub))
    return `sub ${claims.sub} is not a mailto: or https: URL`
  return { aud: claims.aud, sub: claims.sub, exp: claims.exp, k }
}

export async function startPushService(opts: { vapidPublicKey?: string } = {}): Promise<PushServiceHandle> {
  const subscribers = new Map<string, Subscriber>()
  const goneIds = new Set<string>()
  const received: ReceivedPush[] = []
  const rejected: Rejected[] = []
  const waiters = new Set<() => void>()
  let origin = ''

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const endpoint = `${origin}${req.url ?? ''}`
      const refuse = (status: number, reason: string) => {
        rejected.push({ endpoint, status, reason })
        res.writeHead(status).end(reason)
      }
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1]
      const sub = id ? subscribers.get(id) : undefined
      if (req.method !== 'POST' || !id || !sub)
        return refuse(404, 'no such subscription')
      if (goneIds.has(id))
        return refuse(410, 'the subscription is gone')
      const vapid = checkVapid(req.headers.authorization, origin)
      if (typeof vapid === 'string')
        return refuse(401, vapid)
      if (opts.vapidPublicKey && vapid.k !== opts.vapidPublicKey)
        return refuse(403, 'signed with another key than the subscription was made for')
      if (req.headers.ttl === undefined || !/^\d+$/.test(String(req.headers.ttl)))
        return refuse(400, 'TTL header missing')
      if (req.headers['content-encoding'] !== 'aes128gcm')
        return refuse(415, `content-encoding ${req.headers['content-encoding']}`)
      let text: string
      try {
        text = decryptAes128gcm(Buffer.concat(chunks), sub).toString('utf8')
      }
      catch (e) {
        return refuse(400, `cannot decrypt: ${e instanceof Error ? e.message : String(e)}`)
      }
      let payload: unknown = text
      try {
        payload = JSON.parse(text)
      }
      catch {}
      received.push({ endpoint, payload, ttl: Number(req.headers.ttl), urgency: (req.headers.urgency as string | undefined) ?? null, topic: (req.headers.topic as string | undefined) ?? null, vapid })
      res.writeHead(201, { location: `${endpoint}/m/${randomUUID()}` }).end()
      for (const w of waiters) w()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: origin,
    received,
    rejected,
    subscription() {
      const id = randomUUID()
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const auth = randomBytes(16)
      subscribers.set(id, { ecdh, auth })
      return { endpoint: `${origin}/push/${id}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }
    },
    gone(endpoint) {
      goneIds.add(endpoint.split('/').pop()!)
    },
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined
        const check = () => {
          if (received.length < n)
            return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(received.slice())
        }
        timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${received.length} of ${n} pushes within ${timeoutMs} ms; refused: ${JSON.stringify(rejected)}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}
