import type { Change, Snapshot } from '../../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { RingBuffer } from '../../ui/ring.ts'

export interface FeedEntry {
  incidentId: string
  /** What put it on the feed: report, escalate, close … */
  action: string
  at: string
}

/** Entries the feed keeps; the panel shows the newest few. */
const CAPACITY = 40
/** Actions worth a line on the wall's feed (accept/assign/start are routine and would drown the reports). */
const NOTABLE = new Set(['report', 'escalate', 'close', 'reopen', 'reject'])

/** The live incident feed: a bounded list of notable steps, newest first, one line per incident. */
export const useFeedStore = defineStore('feed', () => {
  const ring = new RingBuffer<FeedEntry>(CAPACITY)
  const entries = shallowRef<FeedEntry[]>([])

  function publish(): void {
    entries.value = ring.toArray()
  }

  /** Seeds the feed with the latest reports of a snapshot (the wall just opened or resynchronised). */
  function seed(snapshot: Snapshot): void {
    ring.clear()
    const latest = [...snapshot.incidents].sort((a, b) => a.reportedAt.localeCompare(b.reportedAt)).slice(-CAPACITY)
    for (const i of latest)
      ring.push({ incidentId: i.id, action: 'report', at: i.reportedAt })
    publish()
  }

  function apply(changes: readonly Change[]): void {
    let changed = false
    for (const c of changes) {
      if (c.kind !== 'incident' || !NOTABLE.has(c.action))
        continue
      ring.pushUnique({ incidentId: c.id, action: c.action, at: c.at }, e => e.incidentId === c.id)
      changed = true
    }
    if (changed)
      publish()
  }

  return { entries, seed, apply }
})
