import type { MutationRows, OpRow, StoredOp } from '../rows.ts'
import type { OpResult } from '../store.ts'
import type { Statements } from './statements.ts'
import { VersionConflictError } from '../errors.ts'
import { opResult, storedOp } from '../rows.ts'

/**
 * Writes a request's rows in the open transaction and answers the seq each change got. Each mutation's first
 * statement is its version check: a conditional INSERT (version 1) or UPDATE (`WHERE version = v - 1`) that writes
 * nothing when the stored version is not the one expected, so a conflict on the first mutation of a request leaves
 * no write behind (`progress.wrote` false).
 */
export function writeRows(st: Statements, rows: MutationRows[], nextSeq: () => number, progress: { wrote: boolean } = { wrote: false }): number[] {
  const seqs: number[] = []
  for (const r of rows) {
    if (r.t === 'entity') {
      const done = r.version === 1 ? st.insertEntity.run(...r.row) : st.updateEntity.run(...r.row)
      if (done.changes !== 1) {
        const current = st.entityVersion.get(r.kind, r.id) as { version: number } | undefined
        throw new VersionConflictError(`${r.kind}:${r.id}`, current?.version ?? 0, r.version)
      }
      progress.wrote = true
      if (r.blob !== null)
        st.insertReferenceVersion.run(r.version, r.change[0], r.change[4], r.blob)
    }
    else {
      const done = r.version === 1 ? st.insertIncident.run(...r.row) : st.updateIncident.run(...r.row)
      if (done.changes !== 1) {
        const current = st.incidentVersion.get(r.id) as { version: number } | undefined
        throw new VersionConflictError(r.id, current?.version ?? 0, r.version)
      }
      progress.wrote = true
      st.insertHistory.run(...r.history)
    }
    const seq = nextSeq()
    st.insertChange.run(seq, ...r.change)
    seqs.push(seq)
  }
  return seqs
}

/** An op's stored row: its status, its body as JSON text (the change's data when the op refers to it). */
export function readOpRow(st: Statements, key: string): StoredOp | null {
  const row = st.getOp.get(key) as OpRow | undefined
  return row ? storedOp(row) : null
}

/** The stored answer of an operation: by reference to its change when the answer is that change's data. */
export function readOp(st: Statements, key: string): OpResult | null {
  const row = readOpRow(st, key)
  return row && opResult(row)
}

export function headSync(st: Statements): number {
  return (st.head.get() as { h: number | null }).h ?? 0
}
