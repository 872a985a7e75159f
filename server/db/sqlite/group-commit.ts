import type { Database as Db } from 'better-sqlite3'
import type { Change } from '../../../shared/sync/schema.ts'
import type { CommitRequest, GroupStats, OpResult } from '../store.ts'
import type { Statements } from './statements.ts'
import { headSync, readOp, writeMutations } from './writes.ts'

interface Pending {
  req: CommitRequest
  resolve: (v: { changes: Change[], result: OpResult | null, replayed: boolean }) => void
  reject: (e: unknown) => void
}

/**
 * Group commit: requests arriving within one event-loop turn share one durable transaction, and each is
 * acknowledged only after that transaction is on disk (synchronous=FULL). `onCommitted` hears every committed
 * change in seq order before any caller is answered.
 */
export function createGroupCommit(db: Db, s: () => Statements, onCommitted: (changes: Change[]) => void, opts: { groupCommit?: boolean, onGroup?: (g: GroupStats) => void } = {}) {
  let queue: Pending[] = []
  let scheduled = false

  /** The writes of one request after its replay check: mutations, then its audit row and op row. */
  function applyRequest(req: CommitRequest, nextSeq: () => number, progress: { wrote: boolean }): { changes: Change[], result: OpResult | null } {
    const changes = writeMutations(s(), req.mutations, nextSeq, progress)
    const result = req.result ? req.result(changes) : null
    if (req.audit) {
      const a = req.audit
      s().insertAudit.run(a.at, a.actorKind, a.actorId, a.role, a.ip, a.via, a.action, a.target, a.result, a.detail)
      progress.wrote = true
    }
    if (req.opKey) {
      // Most answers are the data of a change just written: keep a reference, not a third copy.
      const same = changes.find(c => c.data === result?.body)
      s().insertOp.run(req.opKey, result?.status ?? 200, same ? 'null' : JSON.stringify(result?.body ?? null), req.fingerprint ?? null, new Date().toISOString(), same?.seq ?? null)
    }
    return { changes, result }
  }

  /** Inside the group's transaction, a request run through this gets a SAVEPOINT: it fails alone. */
  const isolated = db.transaction(applyRequest)

  /** A request failed after writing part of its rows: the group is undone and run again with savepoints. */
  class PartialWrite extends Error {}

  interface GroupOutcome { committed: Change[], settled: (() => void)[] }

  /**
   * One group, one transaction. Fast path (`isolate` false): no savepoints. A request refused before it wrote
   * anything (a replay, a version conflict on its first mutation) is answered alone and the group goes on; any
   * other failure throws PartialWrite, which rolls the whole transaction back so the group can be re-run with a
   * savepoint per request (`isolate` true), where each bad request fails alone as before.
   */
  const runGroup = db.transaction((batch: Pending[], isolate: boolean): GroupOutcome => {
    const settled: (() => void)[] = []
    const committed: Change[] = []
    let seq = headSync(s())
    const nextSeq = () => ++seq
    for (const p of batch) {
      const { req } = p
      if (req.opKey) {
        const result = readOp(s(), req.opKey)
        if (result) {
          settled.push(() => p.resolve({ changes: [], result, replayed: true }))
          continue
        }
      }
      const seqBefore = seq
      const progress = { wrote: false }
      try {
        const done = isolate ? isolated(req, nextSeq, progress) : applyRequest(req, nextSeq, progress)
        for (const c of done.changes) committed.push(c)
        settled.push(() => p.resolve({ ...done, replayed: false }))
      }
      catch (e) {
        if (!isolate && progress.wrote)
          throw new PartialWrite('partial request', { cause: e })
        seq = seqBefore
        settled.push(() => p.reject(e))
      }
    }
    return { committed, settled }
  })

  function flush(): void {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0)
      return
    let outcome: GroupOutcome
    const started = performance.now()
    try {
      try {
        outcome = runGroup(batch, false)
      }
      catch (e) {
        if (!(e instanceof PartialWrite))
          throw e
        outcome = runGroup(batch, true)
      }
    }
    catch (e) {
      opts.onGroup?.({ seconds: (performance.now() - started) / 1000, requests: batch.length, ok: false })
      for (const p of batch) p.reject(e)
      return
    }
    opts.onGroup?.({ seconds: (performance.now() - started) / 1000, requests: batch.length, ok: true })
    // Durable now: notify listeners in seq order, then answer the callers.
    if (outcome.committed.length > 0)
      onCommitted(outcome.committed)
    for (const f of outcome.settled) f()
  }

  return {
    commit(req: CommitRequest): Promise<{ changes: Change[], result: OpResult | null, replayed: boolean }> {
      return new Promise((resolve, reject) => {
        queue.push({ req, resolve, reject })
        if (opts.groupCommit === false) {
          flush()
        }
        else if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    /** Commits what is queued now (on close). */
    flush,
  }
}
