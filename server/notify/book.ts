import type { Rung } from '../../shared/notify/ladder.ts'
import type { Delivery, Subject } from '../../shared/notify/schema.ts'
import type { AuditEntry } from '../db/auth-store.ts'
import type { Mutation, Store } from '../db/store.ts'
import type { Channel, Notice, SendOutcome } from './channel.ts'
import { deliveryId } from '../../shared/notify/ladder.ts'
import { VersionConflictError } from '../db/errors.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { linkKey } from './link.ts'

// The ladder's record in memory (#17): every delivery row, by id, by the key its link names, and by the gateway's
// message id (receipts), kept current from the store's commits. Loaded once; the store stays the truth.

const INTERRUPTED = 'interrupted before the channel answered: not sent again (at most once)'

/** A channel's send; a throw is a failure like any other. */
export async function sendSafely(ch: Channel, n: Notice): Promise<SendOutcome> {
  try {
    return await ch.send(n)
  }
  catch (e) {
    return { status: 'failed', error: e instanceof Error ? e.message : String(e) }
  }
}

export function createDeliveryBook(deps: { store: Store, now: () => Date, log: (line: string) => void }) {
  const lock = new KeyedLock()
  const rows = new Map<string, Delivery>()
  const byLink = new Map<string, string>()
  const byProvider = new Map<string, string>()

  function keep(d: Delivery): void {
    const was = rows.get(d.id)
    if (was && was.version >= d.version)
      return
    rows.set(d.id, d)
    byLink.set(linkKey(d.id), d.id)
    if (d.providerId)
      byProvider.set(`${d.channel}|${d.providerId}`, d.id)
  }

  async function update(d: Delivery, patch: Partial<Delivery>): Promise<Delivery> {
    const at = deps.now().toISOString()
    const next: Delivery = { ...d, ...patch, version: d.version + 1, updatedAt: at }
    await deps.store.commit({ mutations: [entity('delivery', next, next.status, at)] })
    return next
  }

  function outcomePatch(o: SendOutcome): Partial<Delivery> {
    const at = deps.now().toISOString()
    if (o.status === 'sent')
      return { status: 'sent', sentAt: at, providerId: o.providerId ?? null }
    return o.status === 'skipped' ? { status: 'skipped', error: o.reason } : { status: 'failed', doneAt: at, error: o.error.slice(0, 200) }
  }

  return {
    rows: rows as ReadonlyMap<string, Delivery>,
    get: (id: string) => rows.get(id),
    byLinkKey: (key: string) => rows.get(byLink.get(key) ?? ''),
    byProvider: (channel: string, providerId: string) => byProvider.get(`${channel}|${providerId}`),
    keep,
    update,
    /** Loads every row and settles what a crash left queued: failed, never re-sent (at most once). */
    async load(): Promise<void> {
      for (const d of await deps.store.listEntities('delivery'))
        keep(d)
      for (const d of [...rows.values()].filter(x => x.status === 'queued'))
        await update(d, { status: 'failed', error: INTERRUPTED }).catch((e: unknown) => deps.log(`delivery ${d.id} not settled: ${(e as Error).message}`))
    },
    /**
     * One step, exactly once: the row (queued, or skipped when nothing can reach the person) commits first, with
     * `also` in the same transaction; only then is the channel called, and its outcome committed. A second attempt
     * at the same step finds the row's version 1 taken and sends nothing.
     */
    async step(row: Delivery, also: Mutation[], audit: AuditEntry | undefined, send: (() => Promise<SendOutcome>) | null): Promise<Delivery['status']> {
      try {
        await deps.store.commit({ mutations: [entity('delivery', row, row.status, row.queuedAt), ...also], audit })
      }
      catch (e) {
        // Another commit won the step (or moved the task): the next tick sees it.
        if (e instanceof VersionConflictError)
          return 'skipped'
        throw e
      }
      if (row.status !== 'queued' || !send)
        return row.status
      const outcome = await send()
      // Known at once, before the outcome commits: a carrier's receipt can come back faster than the commit, and
      // it waits for the outcome behind the row's lock.
      if (outcome.status === 'sent' && outcome.providerId)
        byProvider.set(`${row.channel}|${outcome.providerId}`, row.id)
      return lock.run(`delivery:${row.id}`, async () => (await update(rows.get(row.id) ?? row, outcomePatch(outcome))).status)
    },
    /** Updates a row from a receipt or an answer, under its lock, from its latest version. */
    settle(id: string, f: (d: Delivery) => Partial<Delivery> | null): Promise<void> {
      return lock.run(`delivery:${id}`, async () => {
        const d = rows.get(id) ?? await deps.store.getEntity('delivery', id)
        const patch = d && f(d)
        if (d && patch)
          await update(d, patch).catch((e: unknown) => deps.log(`delivery ${id} not updated: ${(e as Error).message}`))
      })
    },
    newRow(subject: Subject, personId: string, rung: Pick<Rung, 'index' | 'channel'>, operationId: string | null): Delivery {
      const at = deps.now().toISOString()
      return { id: deliveryId(subject, personId, rung.index), version: 1, subject, operationId, personId, rung: rung.index, channel: rung.channel, status: 'queued', to: [], queuedAt: at, sentAt: null, doneAt: null, providerId: null, error: null, updatedAt: at }
    },
  }
}

export type DeliveryBook = ReturnType<typeof createDeliveryBook>
