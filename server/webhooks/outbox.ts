import type { Incident } from '../../shared/incident/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import type { WebhookConfig } from '../config.ts'
import type { AuthStore } from '../db/auth-store.ts'
import type { Store } from '../db/store.ts'
import type { MergeLink, ScanWrite, SubscriptionRow } from './store.ts'
import { startTicker } from '../kernel/ticker.ts'
import { webhookEvent } from './event.ts'
import { postJson } from './send.ts'
import { signedHeaders } from './sign.ts'

// The worker. Off the request path: it wakes after commits (store.onCommit) and on its own timer, reads the durable
// change log from the subscriptions' cursors, queues events, and drains each subscription on its own: strictly in
// seq order (so in order per incident), one request at a time, a failure holding that subscription alone back.

/** Changes read per scan step; a scan goes on until it reaches the head. */
const SCAN_BATCH = 500
/** Deliveries one drain makes before it yields to a new scan. */
const DRAIN_BATCH = 200
const PRUNE_EVERY_MS = 3600_000

/** The delay before retry `attempts` (1 = the first retry): doubled each time, capped. */
export function backoffMs(attempts: number, c: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(c.retryMaxMs, c.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30))
}

export interface OutboxDeps { store: Store, authStore: AuthStore, config: WebhookConfig, now: () => Date }

export function createOutbox({ store, authStore, config, now }: OutboxDeps) {
  const db = store.webhooks
  const draining = new Map<string, Promise<void>>()
  const stopping = new AbortController()
  let running: Promise<void> | null = null
  let again = false
  let prunedAt = 0
  let started = false

  /** Keys revoked since they subscribed get nothing more. */
  async function live(subs: SubscriptionRow[]): Promise<Map<string, SubscriptionRow>> {
    const out = new Map<string, SubscriptionRow>()
    for (const s of subs) {
      const key = s.enabled ? await authStore.credential(s.keyId) : null
      if (key && key.kind === 'key' && !key.revokedAt)
        out.set(s.keyId, s)
    }
    return out
  }

  /** One step of the scan: the next changes after the lowest cursor, turned into events in one transaction. */
  async function scanStep(subs: SubscriptionRow[]): Promise<boolean> {
    const from = Math.min(...subs.map(s => s.cursor))
    const changes = (await store.changesSince(from, SCAN_BATCH)).filter(c => c.seq > from)
    if (!changes.length)
      return false
    const active = await live(subs)
    const byKey = new Map(subs.map(s => [s.keyId, s]))
    const incidents = changes.filter((c): c is Extract<Change, { kind: 'incident' }> => c.kind === 'incident')
    const links = new Map<string, MergeLink[]>()
    for (const l of await db.mergedInto([...new Set(incidents.map(c => c.id))]))
      links.set(l.masterId, [...(links.get(l.masterId) ?? []), l])
    const w: ScanWrite = { events: [], cursor: changes.at(-1)!.seq, keyIds: subs.filter(s => s.cursor < changes.at(-1)!.seq).map(s => s.keyId), links: [], unlinked: [] }
    const at = now().toISOString()
    const push = async (c: Change & { data: Incident }, own: Incident, keyId: string) => {
      const sub = active.get(keyId)
      if (!sub || sub.cursor >= c.seq)
        return
      const history = await db.history(c.data.id, c.data.version)
      const event = webhookEvent(c.seq, c.at, c.action, own, c.data, history)
      w.events.push({ eventId: event.id, keyId, seq: c.seq, incidentId: own.id, action: c.action, body: JSON.stringify(event), createdAt: at })
    }
    for (const c of incidents) {
      const inc = c.data
      const mine = inc.reporterId !== null && byKey.has(inc.reporterId) ? inc.reporterId : null
      if (mine) {
        await push(c, inc, mine)
        // Merged: the master's later steps go to this reporter too; reopened (or merged elsewhere): not any more.
        for (const list of links.values()) {
          const i = list.findIndex(l => l.incidentId === inc.id)
          if (i >= 0 && list[i]!.masterId !== inc.mergedInto)
            list.splice(i, 1)
        }
        w.unlinked.push(inc.id)
        if (inc.mergedInto) {
          const link = { masterId: inc.mergedInto, incidentId: inc.id, keyId: mine }
          links.set(link.masterId, [...(links.get(link.masterId) ?? []).filter(l => l.incidentId !== inc.id), link])
          w.links.push(link)
        }
      }
      const followers = (links.get(inc.id) ?? []).filter(l => l.incidentId !== inc.id)
      for (const l of followers) {
        const own = await store.getIncidentState(l.incidentId)
        if (own)
          await push(c, own, l.keyId)
      }
      // A master merged on into another: its followers follow the new master.
      if (inc.mergedInto && followers.length) {
        const moved = followers.map(l => ({ ...l, masterId: inc.mergedInto! }))
        links.set(inc.mergedInto, [...(links.get(inc.mergedInto) ?? []), ...moved])
        w.links.push(...moved)
      }
    }
    // Links learnt in this batch and then dropped again are written as the batch ends them.
    w.links = w.links.filter(l => links.get(l.masterId)?.some(x => x.incidentId === l.incidentId))
    await db.enqueue(w)
    for (const s of subs) s.cursor = Math.max(s.cursor, w.cursor)
    return changes.length === SCAN_BATCH
  }

  /** Sends a subscription's due events in order until one fails or none is due. */
  async function drain(keyId: string): Promise<void> {
    for (let i = 0; i < DRAIN_BATCH && !stopping.signal.aborted; i++) {
      const sub = await db.getSubscription(keyId)
      if (!sub || !sub.enabled || sub.paused)
        return
      const row = await db.nextPending(keyId)
      const t = now()
      if (!row || row.nextAt > t.toISOString())
        return
      const out = await postJson(sub.url, row.body, signedHeaders(sub.secret, row.eventId, row.body, t), { timeoutMs: config.timeoutMs, allowPrivate: config.allowPrivate, signal: stopping.signal })
      if (stopping.signal.aborted)
        return
      const done = now()
      if (out.ok) {
        await db.markDelivered(row.eventId, out.status, done.toISOString())
        continue
      }
      const next = new Date(done.getTime() + backoffMs(row.attempts + 1, config))
      await db.markFailed(row.eventId, { status: out.status, error: out.error, at: done.toISOString(), nextAt: next.toISOString() })
      return
    }
  }

  async function runOnce(): Promise<void> {
    const subs = await db.subscriptions()
    if (!subs.length)
      return
    while (await scanStep(subs)) { /* until the head */ }
    for (const s of subs) {
      if (s.enabled && !s.paused && !draining.has(s.keyId)) {
        const d = drain(s.keyId)
          .catch((e: unknown) => console.error(`webhooks ${s.keyId}:`, e instanceof Error ? e.message : e))
          .finally(() => draining.delete(s.keyId))
        draining.set(s.keyId, d)
      }
    }
    if (now().getTime() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now().getTime()
      await db.prune(new Date(prunedAt - config.keepDays * 86_400_000).toISOString())
    }
  }

  /** Runs now, or once more right after the run in progress (commits coalesce). */
  function kick(): Promise<void> {
    // Nothing is sent before start(): a context built for a script or a test that never starts the worker stays quiet.
    if (!started || stopping.signal.aborted)
      return Promise.resolve()
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await runOnce()
        }
        catch (e) {
          console.error('webhooks:', e instanceof Error ? e.message : e)
        }
      } while (again && !stopping.signal.aborted)
    })().finally(() => (running = null))
    return running
  }

  return {
    kick,
    /** Until the scan and every drain in progress have finished (tests). */
    async idle(): Promise<void> {
      for (let busy = () => running ?? (draining.size ? Promise.all(draining.values()) : null), p = busy(); p; p = busy())
        await p
    },
    /** Starts the timer and the wake-up after commits; returns the stop function (in-flight requests are aborted). */
    start(): () => void {
      started = true
      const stopTicker = startTicker('webhooks', config.everyMs, kick, { immediate: true })
      const unlisten = store.onCommit((changes) => {
        if (changes.some(c => c.kind === 'incident'))
          setImmediate(() => void kick())
      })
      return () => {
        stopTicker()
        unlisten()
        stopping.abort()
      }
    },
  }
}

export type Outbox = ReturnType<typeof createOutbox>
