import type { Change } from '../../../shared/sync/schema.ts'
import type { Mutation, OpResult } from '../store.ts'
import type { Statements } from './statements.ts'
import { FINISHED_STATES } from '../../../shared/incident/lifecycle.ts'
import { VersionConflictError } from '../errors.ts'
import { deskValues } from './queue.ts'

/**
 * Writes mutations in the open transaction. Each mutation's first statement is its version check: a conditional
 * INSERT (version 1) or UPDATE (`WHERE version = v - 1`) that writes nothing when the stored version is not the
 * one expected, so a conflict on the first mutation of a request leaves no write behind (`progress.wrote` false).
 */
export function writeMutations(st: Statements, mutations: Mutation[], nextSeq: () => number, progress: { wrote: boolean } = { wrote: false }): Change[] {
  const out: Change[] = []
  for (const m of mutations) {
    if (m.kind === 'entity') {
      const e = m.entity
      const json = JSON.stringify(e)
      const done = e.version === 1
        ? st.insertEntity.run(m.entityKind, e.id, e.version, m.at, json)
        : st.updateEntity.run(e.version, m.at, json, m.entityKind, e.id, e.version - 1)
      if (done.changes !== 1) {
        const current = st.entityVersion.get(m.entityKind, e.id) as { version: number } | undefined
        throw new VersionConflictError(`${m.entityKind}:${e.id}`, current?.version ?? 0, e.version)
      }
      progress.wrote = true
      if (m.blob !== undefined)
        st.insertReferenceVersion.run(e.version, m.at, json, m.blob)
      const change = { seq: nextSeq(), at: m.at, kind: m.entityKind, action: m.action, id: e.id, data: e } as Change
      st.insertChange.run(change.seq, change.at, change.kind, change.id, change.action, json)
      out.push(change)
      continue
    }
    const inc = m.incident
    const finished = FINISHED_STATES.includes(inc.state)
    // Serialised once: the same text goes to the incident row and the change log.
    const json = JSON.stringify(inc)
    const open = finished ? 0 : 1
    const finishedAt = finished ? inc.closedAt ?? inc.updatedAt : null
    const done = inc.version === 1
      ? st.insertIncident.run(inc.id, inc.version, inc.state, open, inc.stageDeadline, inc.reportedAt, finishedAt, json, ...deskValues(inc, open === 1))
      : st.updateIncident.run(inc.version, inc.state, open, inc.stageDeadline, finishedAt, json, ...deskValues(inc, open === 1), inc.id, inc.version - 1)
    if (done.changes !== 1) {
      const current = st.incidentVersion.get(inc.id) as { version: number } | undefined
      throw new VersionConflictError(inc.id, current?.version ?? 0, inc.version)
    }
    progress.wrote = true
    st.insertHistory.run(inc.id, inc.version, m.entry.at, m.entry.action, m.entry.actor.personId, m.entry.actor.role, JSON.stringify(m.entry))
    const change: Change = { seq: nextSeq(), at: m.entry.at, kind: 'incident', action: m.entry.action, id: inc.id, data: inc }
    st.insertChange.run(change.seq, change.at, change.kind, change.id, change.action, json)
    out.push(change)
  }
  return out
}

/** The stored answer of an operation: by reference to its change when the answer is that change's data. */
export function readOp(st: Statements, key: string): OpResult | null {
  const row = st.getOp.get(key) as { status: number, body: string, fingerprint: string | null, seq: number | null, data: string | null } | undefined
  if (!row)
    return null
  return { status: row.status, body: JSON.parse(row.seq !== null ? row.data! : row.body), fingerprint: row.fingerprint ?? undefined }
}

export function headSync(st: Statements): number {
  return (st.head.get() as { h: number | null }).h ?? 0
}
