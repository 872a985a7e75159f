import type { Incident } from '../../shared/incident/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'

// Gap-free application of the change log. The server numbers every committed change with a seq
// that has no holes, so a client that holds seq N may apply N+1 and nothing else: anything later
// waits until the missing range has been fetched, anything ≤ N is a duplicate.

export interface Reconciled {
  /** Changes to apply now, in order, each exactly one after the previous (first = held + 1). */
  ready: Change[]
  /** Changes that arrived early, sorted, waiting for the gap before them to close. */
  pending: Change[]
  /** The missing range (since < seq ≤ until) to fetch, or null when nothing is missing. */
  gap: { since: number, until: number } | null
  /** The seq held once `ready` has been applied. */
  seq: number | null
}

/**
 * Splits buffered and incoming changes into what can be applied now and what must wait.
 * `held` is the last seq applied, or null when no snapshot has been loaded yet (everything waits).
 */
export function reconcileChanges(held: number | null, incoming: readonly Change[]): Reconciled {
  const bySeq = new Map<number, Change>()
  for (const change of incoming) {
    if (held === null || change.seq > held)
      bySeq.set(change.seq, change)
  }
  const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq)
  if (held === null)
    return { ready: [], pending: sorted, gap: null, seq: null }

  let seq = held
  let i = 0
  while (i < sorted.length && sorted[i]!.seq === seq + 1) {
    seq += 1
    i += 1
  }
  const ready = sorted.slice(0, i)
  const pending = sorted.slice(i)
  const gap = pending.length > 0 ? { since: seq, until: pending[0]!.seq - 1 } : null
  return { ready, pending, gap, seq }
}

/** The incident to keep: a change only replaces what we hold when it carries a newer version. */
export function newerIncident(current: Incident | undefined, next: Incident): Incident {
  return current !== undefined && current.version >= next.version ? current : next
}
