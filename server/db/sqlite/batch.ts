import type { Database as Db } from 'better-sqlite3'
import type { BatchReply, EncodedRequest, Outcome } from '../rows.ts'
import type { Statements } from './statements.ts'
import { toWire } from '../rows.ts'
import { headSync, readOpRow, writeRows } from './writes.ts'

/** A request failed after writing part of its rows: the group is undone and run again with savepoints. */
class PartialWrite extends Error {}

/**
 * The writer of one connection: a group of encoded requests in one durable transaction (synchronous=FULL), each
 * request answered with the seqs its changes got, as a replay of its op key, or with its own error. The same code
 * runs on the writer thread (a file) and on the caller's thread (`:memory:`).
 */
export function createBatchWriter(db: Db, s: () => Statements): (batch: EncodedRequest[]) => BatchReply {
  /** The writes of one request after its replay check: rows, then its audit row and op row. */
  function applyRequest(req: EncodedRequest, nextSeq: () => number, progress: { wrote: boolean }): number[] {
    const seqs = writeRows(s(), req.rows, nextSeq, progress)
    if (req.audit) {
      s().insertAudit.run(...req.audit)
      progress.wrote = true
    }
    for (const [key, value] of req.meta ?? []) {
      s().upsertMeta.run(key, value)
      progress.wrote = true
    }
    const op = req.op
    if (op)
      s().insertOp.run(op.key, op.status, op.body, op.fingerprint, op.at, op.ref === null ? null : seqs[op.ref]!)
    return seqs
  }

  /** Inside the group's transaction, a request run through this gets a SAVEPOINT: it fails alone. */
  const isolated = db.transaction(applyRequest)

  /**
   * One group, one transaction. Fast path (`isolate` false): no savepoints. A request refused before it wrote
   * anything (a replay, a version conflict on its first mutation) is answered alone and the group goes on; any
   * other failure throws PartialWrite, which rolls the whole transaction back so the group can be re-run with a
   * savepoint per request (`isolate` true), where each bad request fails alone as before. Run IMMEDIATE: the group
   * reads the head before it writes, and another connection's commit in between must make it wait, not fail.
   */
  const runGroup = db.transaction((batch: EncodedRequest[], isolate: boolean): Outcome[] => {
    const outcomes: Outcome[] = []
    let seq = headSync(s())
    const nextSeq = () => ++seq
    for (const req of batch) {
      if (req.op) {
        const replay = readOpRow(s(), req.op.key)
        if (replay) {
          outcomes.push({ replay })
          continue
        }
      }
      const seqBefore = seq
      const progress = { wrote: false }
      try {
        outcomes.push({ seqs: isolate ? isolated(req, nextSeq, progress) : applyRequest(req, nextSeq, progress) })
      }
      catch (e) {
        if (!isolate && progress.wrote)
          throw new PartialWrite('partial request', { cause: e })
        seq = seqBefore
        outcomes.push({ error: toWire(e) })
      }
    }
    return outcomes
  })

  return (batch) => {
    const started = performance.now()
    try {
      let outcomes: Outcome[]
      try {
        outcomes = runGroup.immediate(batch, false)
      }
      catch (e) {
        if (!(e instanceof PartialWrite))
          throw e
        outcomes = runGroup.immediate(batch, true)
      }
      return { seconds: (performance.now() - started) / 1000, outcomes }
    }
    catch (e) {
      return { seconds: (performance.now() - started) / 1000, failed: toWire(e) }
    }
  }
}
