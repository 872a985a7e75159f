import type { PushPayload, PushSubscriptionBody } from '../../shared/notify/push-schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { PushConfig } from '../config.ts'
import type { ChannelStore, PushSubscriptionRow, VapidKeys } from './channel-store.ts'
import type { Channel, ChannelSink, Notice, SendOutcome } from './channel.ts'
import { Buffer } from 'node:buffer'
import { createHash, createPublicKey } from 'node:crypto'
import { isIP } from 'node:net'
import webpush from 'web-push'
import { authorizeOwnNotices } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { isInternalAddress } from '../webhooks/send.ts'
import { post } from './http.ts'

// Web Push (#17): the ladder's rung that rings a phone whose page is closed. Each person's browsers subscribe with
// this install's VAPID key; a notice is encrypted for each of them (RFC 8291, web-push) and handed to their push
// services. The service worker shows it and confirms with a receipt (POST /api/push/receipt): that is `delivered`.

export interface PushDeps { store: ChannelStore, config: PushConfig, audit: Audit, now: () => Date }

/** Browsers kept per person: a new one beyond this drops the longest unused. */
const DEVICES_PER_PERSON = 8
const KEEP_SENDS_MS = 7 * 86_400_000

/** Why a browser's push endpoint is refused, or null: https only (http on loopback when testing). */
export function endpointProblem(raw: string, allowHttp: boolean): string | null {
  let u: URL
  try {
    u = new URL(raw)
  }
  catch {
    return 'not a URL'
  }
  const host = u.hostname.replace(/^\[|\]$/g, '')
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.')
  if (u.protocol === 'http:' && allowHttp && loopback)
    return null
  if (u.protocol !== 'https:')
    return 'a push endpoint is an https URL'
  if (u.username || u.password)
    return 'a push endpoint carries no credentials'
  if (!allowHttp && (host === 'localhost' || (isIP(host) !== 0 && isInternalAddress(host))))
    return `${host} is an internal address, not a push service`
  return null
}

/** Whether the subscription's keys are a P-256 point and a 16-byte secret (a bad key would fail every send). */
function keysProblem(keys: PushSubscriptionBody['keys']): { field: string, message: string } | null {
  const point = Buffer.from(keys.p256dh, 'base64url')
  try {
    if (point.length !== 65 || point[0] !== 4)
      throw new Error('length')
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' })
  }
  catch {
    return { field: 'keys.p256dh', message: 'keys.p256dh is not an uncompressed P-256 public key' }
  }
  return Buffer.from(keys.auth, 'base64url').length === 16 ? null : { field: 'keys.auth', message: 'keys.auth is not a 16-byte secret' }
}

/** A push service replaces a queued notice with a newer one of the same topic: a re-send of one task. */
const topicOf = (s: Notice['subject']) => createHash('sha256').update(`${s.kind}:${s.id}`).digest('base64url').slice(0, 32)

export function createPushChannel(deps: PushDeps) {
  const { store, config, audit, now } = deps
  let keys: Promise<VapidKeys> | null = null
  const vapid = () => (keys ??= config.vapidPublicKey && config.vapidPrivateKey
    ? Promise.resolve({ publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey })
    : store.vapidKeys(() => webpush.generateVAPIDKeys(), now().toISOString()))
  let sink: ChannelSink | null = null
  let prunedAt = 0

  async function own(call: Call, action: string) {
    const d = authorizeOwnNotices(call.principal)
    if (!d.allow) {
      await audit.record(call.principal, call.origin, { action, result: 'deny', detail: d.reason })
      return fail('forbidden', d.reason, 'authorization')
    }
    return { ok: true as const, personId: call.principal.personId! }
  }

  /** One encrypted POST to one browser's push service: accepted, gone (404/410: forget it), or failed. */
  async function pushTo(sub: PushSubscriptionRow, payload: string, n: Notice): Promise<'accepted' | 'gone' | string> {
    const k = await vapid()
    let req: webpush.RequestDetails
    try {
      req = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, payload, {
        vapidDetails: { subject: config.vapidSubject, publicKey: k.publicKey, privateKey: k.privateKey },
        TTL: config.ttlSeconds,
        urgency: n.ack ? 'high' : 'normal',
        topic: topicOf(n.subject),
      })
    }
    catch (e) {
      return `not sent: ${e instanceof Error ? e.message : String(e)}`
    }
    const problem = endpointProblem(sub.endpoint, config.allowHttp)
    if (problem)
      return problem
    const ans = await post(req.endpoint, req.body ?? '', req.headers as Record<string, string>, { timeoutMs: config.timeoutMs, allowPrivate: config.allowHttp })
    if (ans.status === null)
      return ans.error
    if (ans.status >= 200 && ans.status < 300)
      return 'accepted'
    if (ans.status === 404 || ans.status === 410) {
      await store.deleteSubscription(sub.endpoint)
      return 'gone'
    }
    return `push service answered HTTP ${ans.status}`
  }

  async function send(n: Notice): Promise<SendOutcome> {
    const subs = await store.subscriptions(n.personId)
    if (subs.length === 0)
      return { status: 'skipped', reason: 'no browser of this person has subscribed' }
    const at = now()
    if (at.getTime() - prunedAt > 3_600_000) {
      prunedAt = at.getTime()
      await store.pruneSends(new Date(at.getTime() - KEEP_SENDS_MS).toISOString())
    }
    // At most once per delivery, a restart included: a claim left `sending` by a crash counts as sent.
    if (!await store.claimSend({ channel: 'push', deliveryId: n.deliveryId, personId: n.personId, at: at.toISOString() }))
      return { status: 'sent', providerId: 'sent before' }
    const payload: PushPayload = { deliveryId: n.deliveryId, title: n.title, body: n.body, link: n.link, subject: n.subject, ack: n.ack }
    const results = await Promise.all(subs.map(s => pushTo(s, JSON.stringify(payload), n)))
    const accepted = results.filter(r => r === 'accepted').length
    const errors = results.filter(r => r !== 'accepted')
    const detail = errors.length ? `${accepted}/${subs.length} accepted; ${[...new Set(errors)].join('; ')}` : `${accepted}/${subs.length} accepted`
    await store.markSend('push', n.deliveryId, accepted ? 'sent' : 'failed', detail, now().toISOString())
    return accepted ? { status: 'sent', providerId: `${accepted}/${subs.length} browsers` } : { status: 'failed', error: detail }
  }

  const channel: Channel = {
    name: 'push',
    reaches: async personId => (await store.subscriptions(personId)).length > 0,
    send,
  }

  return {
    channel,
    /** The ladder's sink: a receipt from a service worker becomes `delivered` there. */
    connect(s: ChannelSink): void {
      sink = s
    },
    /** The VAPID public key the browsers subscribe with (applicationServerKey). */
    async publicKey(): Promise<string> {
      return (await vapid()).publicKey
    },
    /** The caller's own browser subscribes (again: the endpoint moves to this person). */
    async subscribe(call: Call, body: PushSubscriptionBody) {
      const who = await own(call, 'push:subscribe')
      if (!who.ok)
        return who
      const problem = endpointProblem(body.endpoint, config.allowHttp)
      if (problem)
        return fail('invalid', `push endpoint refused: ${problem}`, 'endpoint')
      const bad = keysProblem(body.keys)
      if (bad)
        return fail('invalid', bad.message, bad.field)
      const before = await store.subscriptions(who.personId)
      const at = now().toISOString()
      const was = before.find(s => s.endpoint === body.endpoint)
      await store.saveSubscription({ endpoint: body.endpoint, personId: who.personId, p256dh: body.keys.p256dh, auth: body.keys.auth, device: call.principal.id, createdAt: was?.createdAt ?? at, updatedAt: at }, DEVICES_PER_PERSON)
      if (!was)
        await audit.record(call.principal, call.origin, { action: 'push:subscribe', target: who.personId, result: 'allow' })
      const devices = (await store.subscriptions(who.personId)).length
      return succeed({ endpoint: body.endpoint, devices }, { created: !was })
    },
    async unsubscribe(call: Call, endpoint: string) {
      const who = await own(call, 'push:unsubscribe')
      if (!who.ok)
        return who
      if (!await store.deleteSubscription(endpoint, who.personId))
        return fail('not_found', 'this browser has no push subscription of yours', 'endpoint')
      await audit.record(call.principal, call.origin, { action: 'push:unsubscribe', target: who.personId, result: 'allow' })
      return succeed(null)
    },
    /** The service worker showed the notice: delivered, for the person it was sent to only. */
    async receipt(call: Call, deliveryId: string) {
      const who = await own(call, 'push:receipt')
      if (!who.ok)
        return who
      const sent = await store.send('push', deliveryId)
      if (!sent)
        return fail('not_found', `no push notice ${deliveryId}`, 'deliveryId')
      if (sent.personId !== who.personId) {
        const reason = 'this notice was sent to someone else'
        await audit.record(call.principal, call.origin, { action: 'push:receipt', target: deliveryId, result: 'deny', detail: reason })
        return fail('forbidden', reason, 'deliveryId')
      }
      if (sent.state !== 'delivered') {
        await store.markSend('push', deliveryId, 'delivered', sent.detail, now().toISOString())
        sink?.status(deliveryId, 'delivered')
      }
      return succeed(null)
    },
  }
}

export type PushService = ReturnType<typeof createPushChannel>
