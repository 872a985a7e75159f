import type { WorkerPosition } from '../../shared/sync/schema.ts'
import type { Presence } from './presence.ts'

/** Where the nodes of a tenant meet: its database (server/db/postgres/presence.ts). */
export interface PresenceStore {
  readonly nodeId: string
  /**
   * One heartbeat of this node: writes the positions reported here since the last beat (a newer report of a worker
   * wins, whichever node it came through) and makes `online` the set of people online through this node. Answers
   * every worker's latest position and who is online through the other nodes whose last beat is younger than
   * `staleMs` (this node knows its own people better than its last write).
   */
  beat: (mine: { positions: WorkerPosition[], online: string[] }, staleMs: number) => Promise<{ positions: WorkerPosition[], online: string[] }>
  /** This node stops: the people online through it go offline now, not after the timeout. */
  leave: () => Promise<void>
}

export interface SharedPresenceOptions {
  store: PresenceStore
  /** How often this node beats: writes what it was told and publishes what changed anywhere (default 1 s). */
  intervalMs?: number
  /** People online only through a node silent this long are offline (default 15 s). */
  staleMs?: number
}

function moved(held: WorkerPosition | undefined, p: WorkerPosition) {
  return !held || held.at < p.at || (held.at === p.at && (held.lon !== p.lon || held.lat !== p.lat))
}

/**
 * Presence shared by every node of a tenant: each node beats once per interval, writing its own phones' positions
 * and online state and reading everyone's, so a wall on any node shows the phones of all. A node's own reports
 * are published at its next beat even when the database is away; the others' when a beat reads them.
 */
export function createSharedPresence(opts: SharedPresenceOptions): Presence & { close: () => Promise<void> } {
  const { store } = opts
  const staleMs = opts.staleMs ?? 15_000
  const local = new Map<string, number>() // sockets on this node, by person
  const dirty = new Map<string, WorkerPosition>() // reported here since the last beat: published at the next
  const unsent = new Map<string, WorkerPosition>() // reported here and not yet written (kept while writes fail)
  let positions = new Map<string, WorkerPosition>()
  let others = new Set<string>() // online through the other nodes, as the last beat read it
  let readAt = 0
  const shown = new Set<string>() // online as last announced
  const listeners = new Set<(batch: WorkerPosition[]) => void>()
  const onlineListeners = new Set<(personId: string, online: boolean) => void>()
  let failing = false

  /** Announces every change of "online here or on another node". Past `staleMs` without a read, only this node counts. */
  function announce(): void {
    const fresh = Date.now() - readAt < staleMs
    const now = new Set([...local.keys(), ...(fresh ? others : [])])
    for (const id of now) {
      if (!shown.has(id)) {
        shown.add(id)
        onlineListeners.forEach(l => l(id, true))
      }
    }
    for (const id of shown) {
      if (!now.has(id)) {
        shown.delete(id)
        onlineListeners.forEach(l => l(id, false))
      }
    }
  }

  async function beat(): Promise<void> {
    const mine = [...dirty.values()]
    dirty.clear()
    const sending = [...unsent.values()]
    unsent.clear()
    const batch = new Map(mine.map(p => [p.id, p]))
    try {
      const read = await store.beat({ positions: sending, online: [...local.keys()] }, staleMs)
      for (const p of read.positions) {
        if (moved(positions.get(p.id), p))
          batch.set(p.id, p)
      }
      // What was reported here during the beat stays over what the beat read.
      positions = new Map(read.positions.map(p => [p.id, p]))
      for (const p of dirty.values()) positions.set(p.id, p)
      others = new Set(read.online)
      readAt = Date.now()
      if (failing)
        console.log('presence: the shared database answers again')
      failing = false
    }
    catch (e) {
      for (const p of sending) {
        if (!unsent.has(p.id))
          unsent.set(p.id, p)
      }
      if (!failing)
        console.error('presence: a beat failed; this node shows its own phones until the database answers:', e instanceof Error ? e.message : e)
      failing = true
    }
    announce()
    if (batch.size)
      listeners.forEach(l => l([...batch.values()]))
  }

  let running: Promise<void> | null = null
  const tick = () => {
    running ??= beat().finally(() => (running = null))
  }
  const timer = setInterval(tick, opts.intervalMs ?? 1000)
  timer.unref()
  // The first beat at once: a screen opening now gets the other nodes' positions in its snapshot.
  tick()

  return {
    connect(personId) {
      local.set(personId, (local.get(personId) ?? 0) + 1)
      announce()
    },
    disconnect(personId) {
      const n = (local.get(personId) ?? 0) - 1
      if (n > 0)
        local.set(personId, n)
      else
        local.delete(personId)
      // Still online while the last beat saw them on another node.
      announce()
    },
    online: () => [...shown],
    onOnline(l) {
      onlineListeners.add(l)
      return () => onlineListeners.delete(l)
    },
    update(p) {
      positions.set(p.id, p)
      dirty.set(p.id, p)
      unsent.set(p.id, p)
    },
    all: () => [...positions.values()],
    onPublish(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    async close() {
      clearInterval(timer)
      // A beat under way would write this node's online set again after it leaves.
      await running
      await store.leave().catch(() => {})
    },
  }
}
