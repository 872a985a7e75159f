import type { Change } from '../../shared/sync/schema.ts'
import type { CommitRequest, Mutation, OpResult } from './store.ts'
import { FINISHED_STATES } from '../../shared/incident/lifecycle.ts'
import { VersionConflictError } from './errors.ts'
import { deskValues } from './queue.ts'

// A commit request as the rows it writes: plain values built on the caller's thread (every JSON text, every column),
// so the writer (SQLite's worker thread, or a PostgreSQL connection) only runs statements. Each mutation's
// change gets its seq there; the caller turns the seqs back into changes with its own objects (nothing is copied back).

export type Params = (string | number | null)[]

/** An incident mutation's rows, without the seq its change will get. */
export interface IncidentRows {
  t: 'incident'
  version: number
  id: string
  /** version 1: insertIncident's parameters, else updateIncident's (the version check is in the statement). */
  row: Params
  history: Params
  /** The change row after its seq: at, kind, entity id, action, data. */
  change: Params
}

/** Another entity's rows (insertEntity's or updateEntity's parameters), and a reference version's package. */
export interface EntityRows { t: 'entity', version: number, kind: string, id: string, row: Params, blob: string | null, change: Params }

export type MutationRows = IncidentRows | EntityRows

export interface EncodedRequest {
  rows: MutationRows[]
  audit: Params | null
  /** Settings rows written with the request (CommitRequest.meta). */
  meta: [string, string][] | null
  /** The op row to write after the rows, or null without an op key. */
  op: { key: string, status: number, body: string, fingerprint: string | null, at: string, ref: number | null } | null
}

/** What the writer says of one request of a group. */
export type Outcome
  = | { seqs: number[] }
    | { replay: { status: number, body: string, fingerprint: string | null } }
    | { error: WireError }

/** What the writer answers for a group: one outcome per request, or the reason the whole transaction failed. */
export type BatchReply = { seconds: number, outcomes: Outcome[] } | { seconds: number, failed: WireError }

/** An error as it crosses the thread boundary: enough to rebuild the one the store's callers test for. */
export interface WireError { name: string, message: string, code?: string, conflict?: [string, number, number] }

export function encodeMutation(m: Mutation): MutationRows {
  if (m.kind === 'entity') {
    const e = m.entity
    const json = JSON.stringify(e)
    const row: Params = e.version === 1 ? [m.entityKind, e.id, e.version, m.at, json] : [e.version, m.at, json, m.entityKind, e.id, e.version - 1]
    return { t: 'entity', version: e.version, kind: m.entityKind, id: e.id, row, blob: m.blob ?? null, change: [m.at, m.entityKind, e.id, m.action, json] }
  }
  const inc = m.incident
  const finished = FINISHED_STATES.includes(inc.state)
  // Serialised once: the same text goes to the incident row and the change log.
  const json = JSON.stringify(inc)
  const open = finished ? 0 : 1
  const finishedAt = finished ? inc.closedAt ?? inc.updatedAt : null
  const desk = deskValues(inc, open === 1)
  const row: Params = inc.version === 1
    ? [inc.id, inc.version, inc.state, open, inc.stageDeadline, inc.reportedAt, finishedAt, json, ...desk]
    : [inc.version, inc.state, open, inc.stageDeadline, finishedAt, json, ...desk, inc.id, inc.version - 1]
  const e = m.entry
  return {
    t: 'incident',
    version: inc.version,
    id: inc.id,
    row,
    history: [inc.id, inc.version, e.at, e.action, e.actor.personId, e.actor.role, JSON.stringify(e)],
    change: [e.at, 'incident', inc.id, e.action, json],
  }
}

/** The data a mutation's change carries: the object itself. */
function dataOf(m: Mutation): unknown {
  return m.kind === 'incident' ? m.incident : m.entity
}

/** A request and the answer a retry of its op key gets, ready for the writer. */
export function encodeRequest(req: CommitRequest): { encoded: EncodedRequest, result: OpResult | null } {
  const result = req.result ? req.result() : null
  let op: EncodedRequest['op'] = null
  if (req.opKey) {
    // Most answers are the data of a change just written: keep a reference, not a third copy.
    const ref = req.mutations.findIndex(m => dataOf(m) === result?.body)
    op = {
      key: req.opKey,
      status: result?.status ?? 200,
      body: ref >= 0 ? 'null' : JSON.stringify(result?.body ?? null),
      fingerprint: req.fingerprint ?? null,
      at: new Date().toISOString(),
      ref: ref >= 0 ? ref : null,
    }
  }
  const a = req.audit
  return {
    encoded: {
      rows: req.mutations.map(encodeMutation),
      audit: a ? [a.at, a.actorKind, a.actorId, a.role, a.ip, a.via, a.action, a.target, a.result, a.detail] : null,
      meta: req.meta?.length ? req.meta : null,
      op,
    },
    result,
  }
}

/** The committed changes of mutations whose changes got `seqs`, with the callers' own objects. */
export function changesOf(mutations: Mutation[], seqs: number[]): Change[] {
  return mutations.map((m, i) => m.kind === 'incident'
    ? { seq: seqs[i]!, at: m.entry.at, kind: 'incident', action: m.entry.action, id: m.incident.id, data: m.incident }
    : { seq: seqs[i]!, at: m.at, kind: m.entityKind, action: m.action, id: m.entity.id, data: m.entity } as Change)
}

export function toWire(e: unknown): WireError {
  if (e instanceof VersionConflictError)
    return { name: 'VersionConflictError', message: e.message, conflict: [e.id, e.stored, e.attempted] }
  const err = e as { name?: unknown, message?: unknown, code?: unknown }
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
  }
}

/** The error the store's callers know (a version conflict, or an error with the dialect's code for its failure.ts). */
export function fromWire(w: WireError): Error {
  if (w.conflict)
    return new VersionConflictError(...w.conflict)
  const e = new Error(w.message) as Error & { code?: string }
  e.name = w.name
  if (w.code !== undefined)
    e.code = w.code
  return e
}

/** An op row as both dialects read it: with the data of the change it refers to (`seq`), if it refers to one. */
export interface OpRow { status: number, body: string, fingerprint: string | null, seq: number | null, data: string | null }
export interface StoredOp { status: number, body: string, fingerprint: string | null }

/** What a retry is answered with: the change's data when the op refers to it, else the body stored with the op. */
export function storedOp(row: OpRow): StoredOp {
  return { status: row.status, body: row.seq !== null ? row.data! : row.body, fingerprint: row.fingerprint }
}

export function opResult(row: { status: number, body: string, fingerprint: string | null }): OpResult {
  return { status: row.status, body: JSON.parse(row.body), fingerprint: row.fingerprint ?? undefined }
}
