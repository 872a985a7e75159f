import type { Principal } from '../domain/authz.ts'
import type { Change, ChangesPage, Snapshot, WorkerPosition } from '../schemas/changes.ts'
import type { ActionBody, Incident, ReportBody } from '../schemas/incident.ts'

// Every Socket.IO event, typed once for both sides. Names are `domain:verb`.

export type Ack<T> = (res: { ok: true, data: T } | { ok: false, status: number, error: string, field?: string }) => void

/** Sent in the handshake `auth`: the last seq the client holds (null: it holds nothing). */
export interface HandshakeAuth { since?: number | null }

export interface ServerToClientEvents {
  /** The whole current state; the client replaces what it holds. */
  'sync:snapshot': (snapshot: Snapshot) => void
  /** Catch-up after (re)connect: the changes after the client's `since`. */
  'sync:changes': (page: { changes: Change[], head: number }) => void
  /** Live committed changes, in seq order. */
  'change:batch': (changes: Change[]) => void
  /** Worker positions: coalesced, not in the change log. */
  'positions:update': (positions: WorkerPosition[]) => void
}

export interface ClientToServerEvents {
  /** Fetch a missing range (seq > since), e.g. after the client saw a gap. */
  'changes:fetch': (req: { since: number, limit?: number }, ack: Ack<ChangesPage>) => void
  'incident:report': (req: { opId: string, body: ReportBody }, ack: Ack<Incident>) => void
  'incident:action': (req: { opId: string, id: string, body: ActionBody }, ack: Ack<Incident>) => void
}

export interface InterServerEvents {}

export interface SocketData {
  since: number | null
  principal: Principal
  /** The session behind this socket: revoking it disconnects the socket. */
  sessionHash: string
  expiresAt: number
}
