import type { OutboxOp, OutboxStore, Refused, Sent } from './outbox.ts'
import type { DistributiveOmit } from './types.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { useSessionStore } from '../../auth/store.ts'
import { socket } from '../../realtime/socket.ts'
import { opId as newOpId } from '../../ui/ids.ts'
import { idbStore } from './outbox-idb.ts'
import { drain } from './outbox.ts'
import { rememberedWorker } from './session.ts'
import { httpTransport } from './transport.ts'

/** While something waits, try again this often even if no "online" event comes (captive portals, flaky cells). */
const RETRY_MS = 15_000
/** After a failed try, try again sooner first: a lost answer on a weak cell is usually back within seconds. */
const BACKOFF_MS = [2000, 5000, 10_000]

export type NewOp = DistributiveOmit<OutboxOp, 'opId' | 'personId' | 'createdAt' | 'photoIds' | 'state' | 'attempts' | 'error'>

/** The field view's outbox: what waits to be sent, and the one loop that sends it. */
export const useOutboxStore = defineStore('outbox', () => {
  const ops = shallowRef<OutboxOp[]>([])
  const pending = computed(() => ops.value.filter(o => o.state === 'pending').length)
  const failed = computed(() => ops.value.filter(o => o.state === 'failed'))
  const online = shallowRef(navigator.onLine)
  const sentListeners = new Set<(sent: Sent) => void>()
  const refusedListeners = new Set<(refused: Refused) => void>()
  let store: Promise<OutboxStore> | null = null
  let running: Promise<void> | null = null
  let again = false
  let timer: ReturnType<typeof setInterval> | undefined
  let backoff: ReturnType<typeof setTimeout> | undefined
  let failures = 0

  const db = () => (store ??= idbStore())

  async function reload(): Promise<void> {
    ops.value = await (await db()).list()
  }

  /** Sends what waits; one run at a time (a request during a run makes the run go round once more). */
  function flush(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        const session = useSessionStore()
        // Back from a dead spot: the session (and its CSRF token) first, then what waits.
        if (!session.me)
          await session.refresh().catch(() => null)
        const personId = session.principal?.personId
        if (!personId)
          break
        const run = () => db().then(s => drain(s, httpTransport, personId))
        // One tab at a time: two tabs would send the same operation twice (harmless with the key, but wasteful).
        const res = navigator.locks ? await navigator.locks.request('onescreen-outbox', run) : await run()
        for (const s of res.sent) sentListeners.forEach(l => l(s))
        for (const r of res.refused) refusedListeners.forEach(l => l(r))
        await reload()
        clearTimeout(backoff)
        if (res.stopped && failures < BACKOFF_MS.length)
          backoff = setTimeout(() => void flush(), BACKOFF_MS[failures++])
        else if (!res.stopped)
          failures = 0
      } while (again)
    })().catch(err => console.warn('[outbox] send failed; will retry', err)).finally(() => {
      running = null
    })
    return running
  }

  /** Keeps an operation on the phone, then tries to send it at once. Resolves with its id once it is stored. */
  async function enqueue(op: NewOp): Promise<string> {
    const personId = useSessionStore().principal?.personId ?? rememberedWorker()?.personId
    if (!personId)
      throw new Error('sign in first')
    const full = { ...op, opId: newOpId(), personId, createdAt: new Date().toISOString(), photoIds: op.photos.map(() => null), state: 'pending', attempts: 0, error: null } as OutboxOp
    await (await db()).put(full)
    await reload()
    void flush()
    return full.opId
  }

  async function discard(opId: string): Promise<void> {
    await (await db()).delete(opId)
    await reload()
  }

  async function retry(opId: string): Promise<void> {
    const op = ops.value.find(o => o.opId === opId)
    if (!op)
      return
    await (await db()).put({ ...op, state: 'pending', error: null })
    await reload()
    void flush()
  }

  function onSent(listener: (sent: Sent) => void): () => void {
    sentListeners.add(listener)
    return () => sentListeners.delete(listener)
  }

  /** An incident action the server refused for good (dropped from the outbox). */
  function onRefused(listener: (refused: Refused) => void): () => void {
    refusedListeners.add(listener)
    return () => refusedListeners.delete(listener)
  }

  /** Starts the triggers: back online, socket reconnected, page shown again, and a slow timer. Idempotent. */
  function start(): void {
    if (timer !== undefined)
      return
    window.addEventListener('online', () => {
      online.value = true
      void flush()
    })
    window.addEventListener('offline', () => (online.value = false))
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible')
        void flush()
    })
    socket.on('connect', () => void flush())
    timer = setInterval(() => {
      if (pending.value > 0)
        void flush()
    }, RETRY_MS)
    void reload().then(flush)
  }

  return { ops, pending, failed, online, enqueue, flush, discard, retry, onSent, onRefused, start }
})
