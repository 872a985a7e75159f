import type { ActionBody, ReportBody } from '../../../shared/incident/schema.ts'
import type { TaskStatusBody } from '../../../shared/wartime/schema.ts'

// The phone's outbox: every report, task update and patrol check-in is written here first and sent from here,
// online or not. Each operation keeps the id it was born with and sends it as `Idempotency-Key` on every try,
// so a request that reached the server but whose answer was lost is answered from the server's record, not
// done twice. Photos are uploaded first (content-addressed: a retried upload lands on the same file) and their
// ids are kept on the operation, so a retry does not upload them again.

interface OpBase {
  /** The operation id: the Idempotency-Key of every try. */
  opId: string
  /** Who made it: only their session sends it (a shared phone must not send one worker's report as another's). */
  personId: string
  createdAt: string
  /** Photos taken with it, compressed, not yet uploaded, and the ids of those that were. */
  photos: Blob[]
  photoIds: (string | null)[]
  state: 'pending' | 'failed'
  attempts: number
  /** Why the last try did not go through (the server's words), and its status and field when it refused. */
  error: string | null
  errorStatus?: number | null
  errorField?: string | null
}

export type ReportOp = OpBase & { kind: 'report', body: Omit<ReportBody, 'photos'> }
export type TaskStatusOp = OpBase & { kind: 'task-status', taskId: string, body: TaskStatusBody }
export type PatrolOp = OpBase & { kind: 'patrol', body: { location: { lon: number, lat: number }, at: string, note?: string } }
/** An action on an incident in the worker's hands (accept, start, resolve …); `photos` are the result photos. */
export type IncidentActionOp = OpBase & { kind: 'incident-action', incidentId: string, body: Omit<ActionBody, 'photos'> }
export type OutboxOp = ReportOp | TaskStatusOp | PatrolOp | IncidentActionOp

/** A try that did not go through. `retry`: keep the operation and try again later (network, 5xx, 429, sign-in). */
export class SendError extends Error {
  constructor(message: string, readonly retry: boolean, readonly status: number | null = null, readonly body: unknown = null) {
    super(message)
  }
}

export interface Transport {
  /** Uploads one photo; answers its content address. */
  upload: (photo: Blob) => Promise<string>
  /** POSTs JSON with the operation id as Idempotency-Key; answers the server's body. */
  post: (path: string, body: unknown, opId: string) => Promise<unknown>
}

export interface OutboxStore {
  /** Every operation, oldest first. */
  list: () => Promise<OutboxOp[]>
  put: (op: OutboxOp) => Promise<void>
  delete: (opId: string) => Promise<void>
}

export interface Sent { op: OutboxOp, result: unknown }
/** An incident action the server refused for good: dropped from the outbox, told to the worker once. */
export interface Refused { op: IncidentActionOp, status: number | null, message: string, body: unknown }
export interface DrainResult {
  sent: Sent[]
  failed: OutboxOp[]
  refused: Refused[]
  /** True when a try must be repeated later (offline, server away): later operations were not tried. */
  stopped: boolean
}

function request(op: OutboxOp, photoIds: string[]): { path: string, body: unknown } {
  switch (op.kind) {
    case 'report':
      return { path: '/api/incidents', body: photoIds.length ? { ...op.body, photos: photoIds } : op.body }
    case 'task-status':
      return { path: `/api/tasks/${encodeURIComponent(op.taskId)}/status`, body: op.body }
    case 'patrol':
      return { path: '/api/patrols', body: op.body }
    case 'incident-action':
      return { path: `/api/incidents/${encodeURIComponent(op.incidentId)}/actions`, body: photoIds.length ? { ...op.body, photos: photoIds } : op.body }
  }
}

/**
 * Sends what is waiting, oldest first, as `personId`. Stops at the first try that must be repeated (order
 * matters: "on scene" must not overtake "acknowledged"); an operation the server refuses for good (400, 403,
 * 404, 409) is marked failed and kept for the worker to see. An incident action refused for good is dropped
 * instead: the incident moved on (409: someone acted first) or the action is not the worker's to take, so
 * trying it again can never work; the caller shows why, with the incident's state now.
 */
export async function drain(store: OutboxStore, transport: Transport, personId: string): Promise<DrainResult> {
  const result: DrainResult = { sent: [], failed: [], refused: [], stopped: false }
  for (const op of await store.list()) {
    if (op.state !== 'pending' || op.personId !== personId)
      continue
    try {
      for (const [i, photo] of op.photos.entries()) {
        if (op.photoIds[i])
          continue
        op.photoIds[i] = await transport.upload(photo)
        await store.put(op)
      }
      const { path, body } = request(op, op.photoIds.filter((id): id is string => !!id))
      const answer = await transport.post(path, body, op.opId)
      await store.delete(op.opId)
      result.sent.push({ op, result: answer })
    }
    catch (err) {
      const e = err instanceof SendError ? err : new SendError(err instanceof Error ? err.message : String(err), true)
      op.attempts += 1
      op.error = e.message
      op.errorStatus = e.status
      op.errorField = (e.body as { field?: unknown } | null)?.field as string | undefined ?? null
      if (e.retry) {
        await store.put(op)
        result.stopped = true
        return result
      }
      if (op.kind === 'incident-action') {
        await store.delete(op.opId)
        result.refused.push({ op, status: e.status, message: e.message, body: e.body })
        continue
      }
      op.state = 'failed'
      await store.put(op)
      result.failed.push(op)
    }
  }
  return result
}

/** An in-memory store: for tests, and for a browser without IndexedDB (private mode on old Safari). */
export function memoryStore(): OutboxStore {
  const ops = new Map<string, OutboxOp>()
  return {
    list: async () => [...ops.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    put: async (op) => {
      ops.set(op.opId, structuredClone(op))
    },
    delete: async (opId) => {
      ops.delete(opId)
    },
  }
}
