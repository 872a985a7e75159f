import type { Store } from '../db/store.ts'

// The jobs a cluster runs once (the escalation, ladder and report clocks, the webhooks' worker, the feeds' pollers)
// run on one node: the one holding the tenant's leader lock. One node alone (SQLite) always leads. With PostgreSQL
// the lock is an advisory lock on a connection of its own: when that node dies its connection closes, the lock is
// free, and another node takes it within `retryMs`. Should a node keep leading for a moment after losing the lock,
// its writes go through the same version checks as everyone's, so a clock step it repeats is refused.

export interface Leadership {
  isLeader: () => boolean
  close: () => Promise<void>
}

/**
 * Runs `lead()` while this node holds the leader lock (its answer stops what it started when the lock is lost or the
 * node closes); tries again every `retryMs` while another node holds it.
 */
export function startLeadership(store: Pick<Store, 'lockLeader'>, lead: () => () => void, opts: { retryMs?: number, onChange?: (leading: boolean) => void } = {}): Leadership {
  let stop: (() => void) | null = null
  let release: (() => Promise<void>) | null = null
  let closed = false
  let timer: ReturnType<typeof setTimeout> | null = null

  function lost(): void {
    release = null
    if (stop) {
      stop()
      stop = null
      opts.onChange?.(false)
    }
    schedule()
  }

  function schedule(): void {
    if (closed || timer)
      return
    timer = setTimeout(() => {
      timer = null
      void attempt()
    }, opts.retryMs ?? 2000)
    timer.unref()
  }

  async function attempt(): Promise<void> {
    if (closed || stop)
      return
    if (!store.lockLeader) {
      stop = lead()
      opts.onChange?.(true)
      return
    }
    try {
      const held = await store.lockLeader(lost)
      if (closed) {
        await held?.()
        return
      }
      if (held) {
        release = held
        stop = lead()
        opts.onChange?.(true)
        return
      }
    }
    catch (e) {
      console.error('leader lock:', e instanceof Error ? e.message : e)
    }
    schedule()
  }

  void attempt()
  return {
    isLeader: () => stop !== null,
    async close() {
      closed = true
      if (timer)
        clearTimeout(timer)
      stop?.()
      stop = null
      await release?.()
    },
  }
}
