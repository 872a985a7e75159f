import type { Store } from '../db/store.ts'
import type { KeyedLock } from '../kernel/keyed-lock.ts'
import { advanceTask } from '../../shared/wartime/plans.ts'
import { entity } from '../db/store.ts'

/** A delivery receipt waiting to be written: whose device, which task, when it came. */
export interface Receipt { id: string, personId: string, at: Date }

/**
 * Delivery receipts wait one short window: a phone that acknowledges at once sends its receipt and its
 * acknowledgement together, and the acknowledgement implies the receipt (it records `deliveredAt` too), so that
 * phone costs one durable commit, not two. Receipts that arrive within one window are written together: their
 * commits are issued in one turn and share one group commit. A receipt alone is still written after the window.
 * Waiting receipts are keyed by person and task: someone else's receipt for a task never stands in for the assignee's.
 */
export function createReceiptWindow(deps: { store: Store, lock: KeyedLock, now: () => Date, windowMs: number }) {
  const receipts = new Map<string, Receipt>()
  const keyOf = (personId: string, id: string) => `${personId}|${id}`
  let written: Promise<void> | null = null

  async function write(): Promise<void> {
    const due = [...receipts.values()]
    receipts.clear()
    written = null
    await Promise.all(due.map(({ id, ...r }) => deps.lock.run(`task:${id}`, async () => {
      const task = await deps.store.getEntity('task', id)
      // Acknowledged meanwhile (or cancelled, or not theirs): nothing is left to record.
      const next = task && task.assigneeId === r.personId ? advanceTask(task, 'delivered', r.at) : null
      if (next)
        await deps.store.commit({ mutations: [entity('task', next, 'delivered', next.updatedAt)] })
    }).catch((e: unknown) => console.error(`[wartime] receipt for ${id} not recorded`, e))))
  }

  return {
    /** Holds a receipt for the window; resolves once it is durable or folded into an acknowledgement. */
    add(personId: string, id: string): Promise<void> {
      const key = keyOf(personId, id)
      if (!receipts.has(key))
        receipts.set(key, { id, personId, at: deps.now() })
      written ??= new Promise<void>(resolve => setTimeout(() => resolve(write()), deps.windowMs).unref())
      return written
    },
    /** The receipt still waiting for this person's task, if any (an acknowledgement folds it in). */
    waiting: (personId: string, id: string): Receipt | undefined => receipts.get(keyOf(personId, id)),
    /** The acknowledgement that folded `r` in is durable: it is not written again. */
    folded(r: Receipt): void {
      if (receipts.get(keyOf(r.personId, r.id)) === r)
        receipts.delete(keyOf(r.personId, r.id))
    },
    /** Writes the receipts still waiting now (on close). */
    flush: (): Promise<void> => receipts.size ? write() : Promise.resolve(),
  }
}
