import type { Incident } from '../../shared/incident/schema.ts'
import type { Change, ChangesPage, Snapshot } from '../../shared/sync/schema.ts'
import type { AppSocket } from '../realtime/socket.ts'
import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'
import { isOpen } from '../../shared/incident/lifecycle.ts'
import { newerIncident, reconcileChanges } from '../realtime/continuity.ts'
import { frameBatcher } from '../ui/frame.ts'
import { getJson } from '../ui/http.ts'

/** Changes buffered behind a gap before we give up on catching up and reload the snapshot. */
const MAX_PENDING = 5000
const PAGE = 500
/** Finished incidents stay on the wall this long (the snapshot's own window), then are dropped. */
const KEEP_FINISHED_MS = 48 * 3600_000

/**
 * Figures kept up to date change by change instead of recounted over every incident (#18: a wall with 10,000 open
 * incidents spent most of its time in those recounts). `reset` takes the whole set (a snapshot, or when the tracker
 * starts); `update` one incident replaced, added (`before` undefined) or dropped (`after` undefined); `settled`
 * once after each applied run, to publish the new figures once.
 */
export interface IncidentTracker {
  reset: (incidents: Iterable<Incident>) => void
  update: (before: Incident | undefined, after: Incident | undefined) => void
  settled?: () => void
}

export const useIncidentsStore = defineStore('incidents', () => {
  // Incidents are replaced whole, never mutated: a shallow map with one trigger per batch keeps
  // a wall with thousands of them cheap.
  const byId = shallowRef(new Map<string, Incident>())
  /** The last change applied; null until the first snapshot. */
  const seq = shallowRef<number | null>(null)
  /** The log epoch `seq` belongs to (from the last snapshot). */
  const epoch = shallowRef<string | null>(null)
  let pending: Change[] = []
  let inbox: Change[] = []
  let catchingUp: Promise<void> | null = null
  const appliedListeners = new Set<(changes: Change[]) => void>()
  const snapshotListeners = new Set<(snapshot: Snapshot) => void>()
  const trackers = new Set<IncidentTracker>()

  function applySnapshot(snapshot: Snapshot): void {
    byId.value = new Map(snapshot.incidents.map(i => [i.id, i]))
    seq.value = snapshot.seq
    epoch.value = snapshot.epoch
    for (const t of trackers) {
      t.reset(byId.value.values())
      t.settled?.()
    }
    for (const l of snapshotListeners) l(snapshot)
    receive([])
  }

  // Live batches are applied once per animation frame: a burst of messages is one update and one render.
  const flushSoon = frameBatcher(() => {
    const batch = inbox
    inbox = []
    receive(batch)
  })

  function enqueue(changes: readonly Change[]): void {
    inbox.push(...changes)
    flushSoon()
  }

  /** Takes changes from any source (live, catch-up, fetched range) and applies what continuity allows. */
  function receive(changes: readonly Change[]): void {
    const plan = reconcileChanges(seq.value, [...pending, ...changes])
    if (plan.ready.length > 0) {
      const map = byId.value
      // Other kinds (wartime tasks, warnings …) share the log and its seq; their own stores read them.
      for (const change of plan.ready) {
        if (change.kind !== 'incident')
          continue
        const before = map.get(change.id)
        const after = newerIncident(before, change.data)
        if (after === before)
          continue
        map.set(change.id, after)
        for (const t of trackers) t.update(before, after)
      }
      seq.value = plan.seq
      for (const t of trackers) t.settled?.()
      triggerRef(byId)
      for (const l of appliedListeners) l(plan.ready)
    }
    pending = plan.pending
    if (pending.length > MAX_PENDING)
      void resync()
    else if (plan.gap)
      void catchUp()
  }

  async function fetchPage(since: number): Promise<ChangesPage> {
    return getJson<ChangesPage>(`/api/changes?since=${since}&limit=${PAGE}`)
  }

  /** Fetches the missing range page by page; one catch-up at a time. */
  function catchUp(): Promise<void> {
    catchingUp ??= (async () => {
      try {
        while (seq.value !== null && pending.length > 0) {
          const page = await fetchPage(seq.value)
          if (!page.complete)
            return await resync()
          const before = seq.value
          receive(page.changes)
          if (seq.value === before)
            break // the server has nothing newer yet; the next live batch retries
        }
      }
      catch (err) {
        console.warn('[incidents] catch-up failed; retrying on the next batch', err)
      }
      finally {
        catchingUp = null
      }
    })()
    return catchingUp
  }

  async function resync(): Promise<void> {
    pending = pending.slice(-MAX_PENDING)
    applySnapshot(await getJson<Snapshot>('/api/snapshot'))
  }

  /** Drops finished incidents older than the snapshot window, so weeks on the wall cost what hours do. */
  function prune(now = Date.now()): void {
    const map = byId.value
    let removed = false
    for (const [id, incident] of map) {
      if (!isOpen(incident) && now - Date.parse(incident.updatedAt) > KEEP_FINISHED_MS) {
        map.delete(id)
        removed = true
        for (const t of trackers) t.update(incident, undefined)
      }
    }
    if (removed) {
      for (const t of trackers) t.settled?.()
      triggerRef(byId)
    }
  }

  /** Keeps `tracker` in step with the set from now on (it is reset with what is held at once); returns the stop. */
  function track(tracker: IncidentTracker): () => void {
    trackers.add(tracker)
    tracker.reset(byId.value.values())
    tracker.settled?.()
    return () => trackers.delete(tracker)
  }

  function bind(socket: AppSocket): void {
    socket.on('sync:snapshot', applySnapshot)
    socket.on('sync:changes', page => receive(page.changes))
    socket.on('change:batch', enqueue)
  }

  /** Called with every run of changes applied, in seq order (feed, alarm, statistics refresh). */
  function onApplied(listener: (changes: Change[]) => void): () => void {
    appliedListeners.add(listener)
    return () => appliedListeners.delete(listener)
  }

  function onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    snapshotListeners.add(listener)
    return () => snapshotListeners.delete(listener)
  }

  return { byId, seq, epoch, applySnapshot, receive, prune, bind, onApplied, onSnapshot, track }
})
