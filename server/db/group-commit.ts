import type { Change } from '../../shared/sync/schema.ts'
import type { BatchReply, EncodedRequest } from './rows.ts'
import type { CommitRequest, GroupStats, OpResult } from './store.ts'
import { changesOf, encodeRequest, fromWire, opResult } from './rows.ts'

/**
 * Where a group of encoded requests is written, in one transaction: SQLite's writer thread (or this thread for an
 * in-memory store), or a PostgreSQL connection.
 */
export interface Writer {
  write: (batch: EncodedRequest[]) => Promise<BatchReply>
  close: () => Promise<void>
}

/**
 * The most requests in one group. Under load the callers of one group prepare the next while it is being written;
 * a group that took every waiting request would leave the writer idle while they do.
 */
const MAX_GROUP = 64

interface Committed { changes: Change[], result: OpResult | null, replayed: boolean }

interface Pending {
  req: CommitRequest
  encoded: EncodedRequest
  result: OpResult | null
  resolve: (v: Committed) => void
  reject: (e: unknown) => void
}

/**
 * Group commit: requests arriving while the writer is busy (or within one event-loop turn) share one durable
 * transaction, and each is acknowledged only after that transaction is durable. A request is
 * encoded to its rows here, on the caller's thread; the writer runs the statements. `onCommitted` hears every
 * committed change in seq order before any caller is answered.
 */
export function createGroupCommit(writer: Writer, onCommitted: (changes: Change[]) => void, opts: { groupCommit?: boolean, onGroup?: (g: GroupStats) => void } = {}) {
  const queue: Pending[] = []
  let scheduled = false
  let inFlight: Promise<void> | null = null

  function settle(batch: Pending[], reply: BatchReply): void {
    opts.onGroup?.({ seconds: reply.seconds, requests: batch.length, ok: !('failed' in reply) })
    if ('failed' in reply) {
      const error = fromWire(reply.failed)
      for (const p of batch) p.reject(error)
      return
    }
    const committed: Change[] = []
    const answers: (() => void)[] = []
    reply.outcomes.forEach((o, i) => {
      const p = batch[i]!
      if ('seqs' in o) {
        const changes = changesOf(p.req.mutations, o.seqs)
        for (const c of changes) committed.push(c)
        answers.push(() => p.resolve({ changes, result: p.result, replayed: false }))
      }
      else if ('replay' in o) {
        answers.push(() => p.resolve({ changes: [], result: opResult(o.replay), replayed: true }))
      }
      else {
        answers.push(() => p.reject(fromWire(o.error)))
      }
    })
    // Durable now: notify listeners in seq order, then answer the callers (whatever a listener does).
    if (committed.length > 0) {
      try {
        onCommitted(committed)
      }
      catch (e) {
        console.error('a commit listener failed:', e)
      }
    }
    for (const answer of answers) answer()
  }

  function flush(): void {
    scheduled = false
    if (inFlight || queue.length === 0)
      return
    // Without group commit one request per transaction (the benchmarks' baseline).
    const batch = queue.splice(0, opts.groupCommit === false ? 1 : MAX_GROUP)
    inFlight = writer.write(batch.map(p => p.encoded)).then((reply) => {
      // The next group goes to the writer before this one's callers are answered: their JavaScript runs while it
      // is written.
      inFlight = null
      flush()
      settle(batch, reply)
    }, (e: unknown) => {
      inFlight = null
      flush()
      for (const p of batch) p.reject(e)
    })
  }

  return {
    commit(req: CommitRequest): Promise<Committed> {
      return new Promise((resolve, reject) => {
        let encoded: ReturnType<typeof encodeRequest>
        try {
          encoded = encodeRequest(req)
        }
        catch (e) {
          reject(e)
          return
        }
        queue.push({ req, encoded: encoded.encoded, result: encoded.result, resolve, reject })
        if (!scheduled && !inFlight) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    /** Resolves once nothing is queued or being written (on close). */
    async drain(): Promise<void> {
      while (inFlight || queue.length > 0) {
        flush()
        await inFlight
      }
    },
  }
}
