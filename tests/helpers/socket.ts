import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { io } from 'socket.io-client'

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * A socket client that records what it receives, as a screen would: the first sync message, then every
 * live change. `seq` is the highest seq it holds.
 */
export function watcher(url: string, since: number | null = null, cookie?: string) {
  const socket: TestSocket = io(url, { auth: { since }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: cookie ? { cookie } : {} })
  const received: Change[] = []
  let seq = since ?? 0
  let synced!: () => void
  const ready = new Promise<void>(resolve => (synced = resolve))
  let sync: { kind: 'snapshot' | 'changes', seq: number, changes: Change[] } | null = null

  socket.on('sync:snapshot', (snap) => {
    sync = { kind: 'snapshot', seq: snap.seq, changes: [] }
    seq = snap.seq
    synced()
  })
  socket.on('sync:changes', (page) => {
    sync = { kind: 'changes', seq: page.head, changes: page.changes }
    for (const c of page.changes) {
      if (c.seq > seq) {
        received.push(c)
        seq = c.seq
      }
    }
    synced()
  })
  socket.on('change:batch', (changes) => {
    for (const c of changes) {
      if (c.seq > seq) {
        received.push(c)
        seq = c.seq
      }
    }
  })
  return {
    socket,
    received,
    ready,
    get seq() { return seq },
    get sync() { return sync },
    /** Resolves once the client holds `target` (or rejects after `ms`). */
    async until(target: number, ms = 5000) {
      const start = Date.now()
      // eslint-disable-next-line no-unmodified-loop-condition -- seq moves in the socket listeners above
      while (seq < target) {
        if (Date.now() - start > ms)
          throw new Error(`client holds seq ${seq}, waited for ${target}`)
        await new Promise(r => setTimeout(r, 10))
      }
    },
    close: () => socket.close(),
  }
}
