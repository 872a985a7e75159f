import type { WorkerPosition } from '../../shared/schemas/changes.ts'

/**
 * Live worker positions. Ephemeral by design (not in the change log): only the latest position matters,
 * so updates are coalesced per worker and published at most once per interval.
 */
export function createPresence(opts: { intervalMs?: number } = {}) {
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

  return {
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

export type Presence = ReturnType<typeof createPresence>
