import type { Result } from '../../shared/kernel/result.ts'
import type { WebhookDeliveries, WebhookDelivery, WebhookSaved, WebhookSet, WebhookSubscription } from '../../shared/webhooks/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { WebhookConfig } from '../config.ts'
import type { AuthStore } from '../db/auth-store.ts'
import type { Store } from '../db/store.ts'
import type { OutboxRow, SubscriptionRow, SubscriptionStats } from './store.ts'
import { authorizeKey } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { createOutbox } from './outbox.ts'
import { urlProblem } from './send.ts'
import { newSecret } from './sign.ts'

// Outcome webhooks (#16): who may register a callback (the admin for any key, a key for itself), the delivery log,
// retry and pause. The outbox worker (outbox.ts) does the sending.

export interface WebhookDeps { store: Store, authStore: AuthStore, audit: Audit, config: WebhookConfig, now: () => Date }

function deliveryOf(r: OutboxRow): WebhookDelivery {
  return {
    eventId: r.eventId,
    seq: r.seq,
    incidentId: r.incidentId,
    action: r.action,
    createdAt: r.createdAt,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt,
    nextAttemptAt: r.deliveredAt ? null : r.nextAt,
    deliveredAt: r.deliveredAt,
  }
}

export function createWebhookService(deps: WebhookDeps) {
  const { store, authStore, audit, config, now } = deps
  const db = store.webhooks
  const outbox = createOutbox(deps)

  async function viewOf(s: SubscriptionRow & SubscriptionStats): Promise<WebhookSubscription> {
    const key = await authStore.credential(s.keyId)
    return { keyId: s.keyId, keyName: key?.name ?? s.keyId, url: s.url, enabled: s.enabled, paused: s.paused, createdAt: s.createdAt, updatedAt: s.updatedAt, backlog: s.backlog, lastDeliveredAt: s.lastDeliveredAt, lastError: s.lastError }
  }
  async function view(keyId: string): Promise<WebhookSubscription | null> {
    const s = (await db.listSubscriptions()).find(x => x.keyId === keyId)
    return s ? viewOf(s) : null
  }

  /** Admin calls: the caller must hold webhook:manage; the row is written now (there is no commit to carry it). */
  async function admin(call: Call, action: string, target: string | null) {
    return audit.guard(call, 'webhook:manage', target, { action, recordAllow: true })
  }
  /** A key's own callback: only a key holding callbacks:manage, for itself. */
  async function self(call: Call, action: string) {
    const p = call.principal
    if (p.kind !== 'key')
      return fail('forbidden', 'only an API key has a callback of its own; the admin manages others under /api/webhooks/:keyId', 'authorization')
    const d = authorizeKey(p, 'callbacks:manage')
    await audit.record(p, call.origin, { action, target: p.id, result: d.allow ? 'allow' : 'deny', detail: d.allow ? null : d.reason })
    return d.allow ? { ok: true as const } : fail('forbidden', d.reason, 'authorization')
  }

  async function save(keyId: string, body: WebhookSet): Promise<Result<WebhookSaved>> {
    const problem = urlProblem(body.url, config.allowPrivate)
    if (problem)
      return fail('invalid', `callback URL refused: ${problem}`, 'url')
    const key = await authStore.credential(keyId)
    if (!key || key.kind !== 'key' || key.revokedAt)
      return fail('not_found', `API key ${keyId} does not exist or is revoked`, 'keyId')
    const was = await db.getSubscription(keyId)
    const made = body.secret === undefined && (!was || body.rotateSecret === true) ? newSecret() : undefined
    const at = now().toISOString()
    // A new subscription starts at the log's head: what happened before it is not sent.
    await db.saveSubscription({ keyId, url: body.url, secret: body.secret ?? made ?? was!.secret, enabled: body.enabled ?? was?.enabled ?? true, cursor: was?.cursor ?? await store.head(), createdAt: was?.createdAt ?? at, updatedAt: at })
    void outbox.kick()
    const saved = (await view(keyId))!
    return succeed(made ? { ...saved, secret: made } : saved, { created: !was })
  }

  async function remove(keyId: string): Promise<Result<null>> {
    return await db.deleteSubscription(keyId) ? succeed(null) : fail('not_found', `key ${keyId} has no callback`, 'keyId')
  }

  return {
    async list(call: Call): Promise<Result<WebhookSubscription[]>> {
      const g = await admin(call, 'webhook:list', null)
      if (!g.ok)
        return g
      return succeed(await Promise.all((await db.listSubscriptions()).map(viewOf)))
    },
    async set(call: Call, keyId: string, body: WebhookSet): Promise<Result<WebhookSaved>> {
      const g = await admin(call, 'webhook:set', `${keyId} ${body.url}`)
      return g.ok ? save(keyId, body) : g
    },
    async remove(call: Call, keyId: string): Promise<Result<null>> {
      const g = await admin(call, 'webhook:remove', keyId)
      return g.ok ? remove(keyId) : g
    },
    async getSelf(call: Call): Promise<Result<WebhookSubscription>> {
      const g = await self(call, 'webhook:self:read')
      if (!g.ok)
        return g
      const v = await view(call.principal.id)
      return v ? succeed(v) : fail('not_found', 'this key has no callback yet: PUT one', 'keyId')
    },
    async setSelf(call: Call, body: WebhookSet): Promise<Result<WebhookSaved>> {
      const g = await self(call, 'webhook:self:set')
      return g.ok ? save(call.principal.id, body) : g
    },
    async removeSelf(call: Call): Promise<Result<null>> {
      const g = await self(call, 'webhook:self:remove')
      return g.ok ? remove(call.principal.id) : g
    },
    async deliveries(call: Call, keyId: string, limit: number): Promise<Result<WebhookDeliveries>> {
      const g = await admin(call, 'webhook:deliveries', keyId)
      if (!g.ok)
        return g
      const subscription = await view(keyId)
      if (!subscription)
        return fail('not_found', `key ${keyId} has no callback`, 'keyId')
      return succeed({ subscription, deliveries: (await db.recent(keyId, limit)).map(deliveryOf) })
    },
    /** Every waiting event is due now (after the receiver is fixed); the worker starts at once. */
    async retry(call: Call, keyId: string): Promise<Result<WebhookSubscription>> {
      const g = await admin(call, 'webhook:retry', keyId)
      if (!g.ok)
        return g
      if (!(await db.getSubscription(keyId)))
        return fail('not_found', `key ${keyId} has no callback`, 'keyId')
      await db.retryNow(keyId, now().toISOString())
      await outbox.kick()
      return succeed((await view(keyId))!)
    },
    /** Paused: events keep queuing, nothing is sent until resumed. */
    async pause(call: Call, keyId: string, paused: boolean): Promise<Result<WebhookSubscription>> {
      const g = await admin(call, paused ? 'webhook:pause' : 'webhook:resume', keyId)
      if (!g.ok)
        return g
      if (!(await db.setPaused(keyId, paused, now().toISOString())))
        return fail('not_found', `key ${keyId} has no callback`, 'keyId')
      if (!paused)
        void outbox.kick()
      return succeed((await view(keyId))!)
    },
    /** Events queued and not yet delivered, over every subscription (the metrics gauge). */
    backlog: (): Promise<number> => db.backlog(),
    start: () => outbox.start(),
    /** One scan and the drains it starts, then waits for them (tests). */
    async flush(): Promise<void> {
      await outbox.kick()
      await outbox.idle()
    },
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>
