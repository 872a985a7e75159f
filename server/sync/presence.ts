import type { WorkerPosition } from '../../shared/sync/schema.ts'

/**
 * Where workers are and who is online, as every screen of this node sees them. Two implementations: this process's
 * memory (`createPresence`: one process, the SQLite install) and the tenant's database shared by every node
 * (`createSharedPresence` in shared-presence.ts, PostgreSQL).
 */
export interface Presence {
  /** A socket of this person opened on this node. */
  connect: (personId: string) => void
  /** A socket of this person closed on this node. */
  disconnect: (personId: string) => void
  /** People with at least one live socket. */
  online: () => string[]
  onOnline: (l: (personId: string, online: boolean) => void) => () => void
  /** A worker's position reported on this node. */
  update: (p: WorkerPosition) => void
  /** The latest position of every worker known. */
  all: () => WorkerPosition[]
  /** Positions that changed, at most once per interval. */
  onPublish: (l: (batch: WorkerPosition[]) => void) => () => void
  close: () => void | Promise<void>
}

/**
 * Live worker positions. Ephemeral by design (not in the change log): only the latest position matters,
 * so updates are coalesced per worker and published at most once per interval.
 */
export function createPresence(opts: { intervalMs?: number } = {}): Presence {
  const positions = new Map<string, WorkerPosition>()
  const dirty = new Map<string, WorkerPosition>()
  const listeners = new Set<(batch: WorkerPosition[]) => void>()
  const timer = setInterval(publish, opts.intervalMs ?? 1000)
  timer.unref()

  function publish(): void {
    if (dirty.size === 0)
      return
    const batch = [...dirty.values()]
    dirty.clear()
    for (const l of listeners) l(batch)
  }

  // People with at least one live socket. Socket.IO's heartbeat (5 s ping, 4 s timeout) ends a silent one.
  const online = new Map<string, number>()
  const onlineListeners = new Set<(personId: string, online: boolean) => void>()
  const setOnline = (personId: string, up: boolean) => {
    for (const l of onlineListeners) l(personId, up)
  }

  return {
    connect(personId: string): void {
      const n = (online.get(personId) ?? 0) + 1
      online.set(personId, n)
      if (n === 1)
        setOnline(personId, true)
    },
    disconnect(personId: string): void {
      const n = (online.get(personId) ?? 0) - 1
      if (n > 0) {
        online.set(personId, n)
        return
      }
      online.delete(personId)
      setOnline(personId, false)
    },
    online: (): string[] => [...online.keys()],
    onOnline(l: (personId: string, online: boolean) => void): () => void {
      onlineListeners.add(l)
      return () => onlineListeners.delete(l)
    },
    update(p: WorkerPosition): void {
      positions.set(p.id, p)
      dirty.set(p.id, p)
    },
    all: (): WorkerPosition[] => [...positions.values()],
    onPublish(l: (batch: WorkerPosition[]) => void): () => void {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    close: () => clearInterval(timer),
  }
}
