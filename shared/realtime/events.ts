import type { Principal } from '../auth/authz.ts'
import type { RoutedNotice } from '../desk/schema.ts'
import type { ActionRequest, Incident, ReportRequest } from '../incident/schema.ts'
import type { InfoReportNotice } from '../inforeport/schema.ts'
import type { Message } from '../messages/schema.ts'
import type { SensorState } from '../sensors/schema.ts'
import type { Change, ChangesPage, ChangesRequest, Snapshot, WorkerPosition } from '../sync/schema.ts'
import type { IdRequest, Task, TaskStatusRequest } from '../wartime/schema.ts'

// Every Socket.IO event, typed once for both sides. Names are `domain:verb`. What a client sends is declared
// as TypeBox in its domain's schema.ts (ReportRequest, …): the server checks it before anything acts on it.

export type Ack<T> = (res: { ok: true, data: T } | { ok: false, status: number, error: string, field?: string }) => void

/** Sent in the handshake `auth`: the last seq the client holds (null: it holds nothing). */
export interface HandshakeAuth {
  since?: number | null
  /** The log epoch `since` belongs to (from the last snapshot): another epoch's seq gets a snapshot, not a resume. */
  epoch?: string | null
  /** false: a responder's phone that wants only its own tasks and messages, not the change stream. */
  stream?: boolean
}

export interface ServerToClientEvents {
  /** The whole current state; the client replaces what it holds. */
  'sync:snapshot': (snapshot: Snapshot) => void
  /** Catch-up after (re)connect: the changes after the client's `since`. */
  'sync:changes': (page: { changes: Change[], head: number }) => void
  /** Live committed changes, in seq order. */
  'change:batch': (changes: Change[]) => void
  /** Worker positions: coalesced, not in the change log. */
  'positions:update': (positions: WorkerPosition[]) => void
  /** To the assignee: a task of theirs was sent, re-sent or changed. */
  'task:changed': (task: Task) => void
  /** To a grid instructor / contact leader: a responder did not acknowledge their task. */
  'task:escalated': (task: Task) => void
  /** To each person an incident has just landed with (assignee, the post's staff, the owning desk). */
  'incident:routed': (notice: RoutedNotice) => void
  /** To each recipient of a one-click message. */
  'message:new': (message: Message) => void
  /** A month's horse race was frozen (定榜): screens showing rankings fetch them again. */
  'scores:frozen': (e: { month: string }) => void
  /** A new subdistrict package or basemap is in force: told to every screen and phone, streaming or not. */
  'reference:changed': (e: { kind: 'reference' | 'basemap', version: number }) => void
  /** A responder's device came online or fell silent (heartbeat: within 10 s). */
  'presence:changed': (p: { personId: string, online: boolean, at: string }) => void
  /** To the duty desks (commanders, operators): an information report was drafted by its clock, or is past due. */
  'inforeport:due': (notice: InfoReportNotice) => void
  /** Sensor stations whose readings just came in (#17): their latest reading and level. Not in the change log. */
  'sensor:readings': (states: SensorState[]) => void
}

export interface ClientToServerEvents {
  /** Fetch a missing range (seq > since), e.g. after the client saw a gap. */
  'changes:fetch': (req: ChangesRequest, ack: Ack<ChangesPage>) => void
  'incident:report': (req: ReportRequest, ack: Ack<Incident>) => void
  'incident:action': (req: ActionRequest, ack: Ack<Incident>) => void
  /** Delivery receipt: the assignee's device has the task. */
  'task:received': (req: IdRequest) => void
  'task:status': (req: TaskStatusRequest, ack: Ack<Task>) => void
  'message:received': (req: IdRequest) => void
  'message:read': (req: IdRequest) => void
}

export interface InterServerEvents {}

export interface SocketData {
  since: number | null
  principal: Principal
  /** The session behind this socket: revoking it disconnects the socket. */
  sessionHash: string
  /** The same session as the change log names it when it is revoked on another node (server/auth/revocations.ts). */
  sessionTag: string
  expiresAt: number
}
