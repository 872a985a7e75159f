import { describe, expect, it } from 'vitest'
import { backoffMs } from '../../../server/webhooks/outbox.ts'
import { isInternalAddress, urlProblem } from '../../../server/webhooks/send.ts'
import { signatureOf, signedHeaders } from '../../../server/webhooks/sign.ts'
import { verifyWebhook } from '../../../shared/webhooks/signature.ts'

const secret = 'whsec_test-secret-of-some-length'
const body = JSON.stringify({ id: 'evt_1_inc', type: 'incident.changed', note: '已办结：路灯已修复' })
const at = new Date('2026-07-12T06:30:00Z')

describe('webhook signatures', () => {
  it('verifies what the sender signed, with the receiver-side helper', async () => {
    const h = signedHeaders(secret, 'evt_1_inc', body, at)
    expect(h['x-onescreen-event-id']).toBe('evt_1_inc')
    expect(h['x-onescreen-timestamp']).toBe(String(at.getTime() / 1000))
    expect(h['x-onescreen-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    const check = await verifyWebhook(secret, { timestamp: h['x-onescreen-timestamp'], signature: h['x-onescreen-signature'] }, body, { now: at })
    expect(check).toEqual({ ok: true })
  })

  it('matches an HMAC-SHA256 computed independently over "<timestamp>.<body>"', () => {
    // printf '1.{}' | openssl dgst -sha256 -hmac key
    expect(signatureOf('key', '1', '{}')).toBe('sha256=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224')
  })

  it('refuses a changed body, another secret, an old timestamp and missing headers', async () => {
    const h = signedHeaders(secret, 'evt_1_inc', body, at)
    const sig = { timestamp: h['x-onescreen-timestamp'], signature: h['x-onescreen-signature'] }
    expect(await verifyWebhook(secret, sig, body.replace('已办结', '未办结'), { now: at })).toEqual({ ok: false, reason: 'mismatch' })
    expect(await verifyWebhook('another-secret-0000000', sig, body, { now: at })).toEqual({ ok: false, reason: 'mismatch' })
    expect(await verifyWebhook(secret, sig, body, { now: new Date(at.getTime() + 301_000) })).toEqual({ ok: false, reason: 'stale' })
    expect(await verifyWebhook(secret, { timestamp: null, signature: sig.signature }, body, { now: at })).toEqual({ ok: false, reason: 'missing' })
  })
})

describe('retry backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const c = { retryBaseMs: 1000, retryMaxMs: 30_000 }
    expect([1, 2, 3, 4, 5, 6, 50].map(n => backoffMs(n, c))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
  })
})

describe('callback URLs', () => {
  it('takes only http(s) and, unless allowed, no internal address', () => {
    expect(urlProblem('ftp://example.org/x', true)).toMatch(/http/)
    expect(urlProblem('file:///etc/passwd', true)).toMatch(/http/)
    expect(urlProblem('https://user:pw@example.org/', true)).toMatch(/credentials/)
    expect(urlProblem('https://example.org/hook', false)).toBeNull()
    for (const u of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://169.254.169.254/latest', 'http://10.1.2.3/', 'http://[::1]/', 'http://[::ffff:192.168.1.1]/'])
      expect(urlProblem(u, false), u).toMatch(/internal/)
    expect(urlProblem('http://127.0.0.1:9/x', true)).toBeNull()
    expect(isInternalAddress('8.8.8.8')).toBe(false)
    expect(isInternalAddress('2001:4860:4860::8888')).toBe(false)
  })
})
