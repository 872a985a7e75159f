import type { Static, TSchema } from 'typebox'
import type { ClientToServerEvents, ServerToClientEvents } from './events.ts'
import { Type } from 'typebox'
import { RoutedNotice } from '../desk/schema.ts'
import { ActionRequest, Incident, ReportRequest } from '../incident/schema.ts'
import { InfoReportNotice } from '../inforeport/schema.ts'
import { Message } from '../messages/schema.ts'
import { SensorState } from '../sensors/schema.ts'
import { Change, ChangesPage, ChangesRequest, Snapshot, WorkerPosition } from '../sync/schema.ts'
import { IdRequest, Task, TaskStatusRequest } from '../wartime/schema.ts'

// The Socket.IO events of events.ts as data, for the API documentation (/docs/json `x-socket-events`,
// docs/socket-events.md). The mapped types below make a missing or unknown event a compile error, and each payload
// schema must describe the payload type events.ts declares.

/** A payload schema under the name the documentation shows (a domain schema's name, or the event's own). */
export interface NamedSchema { name: string, schema: TSchema }

export interface SocketEventDoc {
  name: string
  direction: 'server→client' | 'client→server'
  summary: string
  /** Who receives it (server events) or who may send it (client events). */
  audience: string
  payload: NamedSchema
  /** What the acknowledgement carries on success (client events with an ack). */
  ack?: NamedSchema
}

/** A schema that describes `P`: the phantom function type makes `P` invariant, so the check runs both ways. */
interface Describing<P> extends NamedSchema { readonly describes?: (p: P) => P }

function named<S extends TSchema>(name: string, schema: S): Describing<Static<S>> {
  return { name, schema }
}

type First<F> = F extends (first: infer A, ...rest: any[]) => void ? A : never
type AckData<F> = F extends (req: any, ack: (res: infer R) => void) => void ? R extends { ok: true, data: infer D } ? D : never : never

interface Entry { summary: string, audience: string }
type ServerDocs = { [K in keyof ServerToClientEvents]: Entry & { payload: Describing<First<ServerToClientEvents[K]>> } }
type ClientDocs = { [K in keyof ClientToServerEvents]: Entry & { payload: Describing<First<ClientToServerEvents[K]>>, ack?: Describing<AckData<ClientToServerEvents[K]>> } }

// Payloads events.ts declares inline.
const Changes = Type.Array(Change)
const SyncChanges = Type.Object({ changes: Changes, head: Type.Integer({ minimum: 0 }) })
const Positions = Type.Array(WorkerPosition)
const ScoresFrozen = Type.Object({ month: Type.String() })
const ReferenceChanged = Type.Object({ kind: Type.Union([Type.Literal('reference'), Type.Literal('basemap')]), version: Type.Integer() })
const PresenceChanged = Type.Object({ personId: Type.String(), online: Type.Boolean(), at: Type.String() })

const SERVER: ServerDocs = {
  'sync:snapshot': { summary: 'The whole current state; the client replaces what it holds.', audience: 'the connecting socket, when its `since` is too old or absent', payload: named('Snapshot', Snapshot) },
  'sync:changes': { summary: 'Catch-up after (re)connect: the changes after the client\'s `since`.', audience: 'the connecting socket', payload: named('SyncChanges', SyncChanges) },
  'change:batch': { summary: 'Live committed changes, in seq order.', audience: 'rooms live:full and live:redacted (reporters\' personal data removed)', payload: named('ChangeBatch', Changes) },
  'positions:update': { summary: 'Worker positions: coalesced, not in the change log.', audience: 'rooms live:full and live:redacted', payload: named('WorkerPositions', Positions) },
  'task:changed': { summary: 'A task of the assignee\'s was sent, re-sent or changed.', audience: 'the assignee (person:<id>)', payload: named('Task', Task) },
  'task:escalated': { summary: 'A responder did not acknowledge their task.', audience: 'the grid instructor / contact leader', payload: named('Task', Task) },
  'incident:routed': { summary: 'An incident has just landed with this person (assignee, the post\'s staff, the owning desk).', audience: 'person:<id> of each person it landed with', payload: named('RoutedNotice', RoutedNotice) },
  'message:new': { summary: 'A one-click message.', audience: 'each recipient (person:<id>)', payload: named('Message', Message) },
  'scores:frozen': { summary: 'A month\'s horse race was frozen (定榜): screens showing rankings fetch them again.', audience: 'rooms live:full and live:redacted', payload: named('ScoresFrozen', ScoresFrozen) },
  'reference:changed': { summary: 'A new subdistrict package or basemap is in force.', audience: 'every socket, streaming or not', payload: named('ReferenceChanged', ReferenceChanged) },
  'presence:changed': { summary: 'A responder\'s device came online or fell silent (heartbeat: within 10 s).', audience: 'rooms live:full and live:redacted', payload: named('PresenceChanged', PresenceChanged) },
  'inforeport:due': { summary: 'An information report (初报、续报、终报) was drafted by its clock, or is past due.', audience: 'rooms role:commander and role:operator', payload: named('InfoReportNotice', InfoReportNotice) },
  'sensor:readings': { summary: 'Sensor stations whose readings just came in: their latest reading and level (not in the change log).', audience: 'rooms live:full and live:redacted', payload: named('SensorStates', Type.Array(SensorState)) },
}

const CLIENT: ClientDocs = {
  'changes:fetch': { summary: 'Fetch a missing range (seq > since), e.g. after the client saw a gap.', audience: 'any streaming socket (the log-read budget applies)', payload: named('ChangesRequest', ChangesRequest), ack: named('ChangesPage', ChangesPage) },
  'incident:report': { summary: 'Report an incident (as POST /api/incidents; `opId` makes a retry safe).', audience: 'callers who may report', payload: named('ReportRequest', ReportRequest), ack: named('Incident', Incident) },
  'incident:action': { summary: 'Act on an incident (as POST /api/incidents/:id/actions).', audience: 'callers the action is allowed to', payload: named('ActionRequest', ActionRequest), ack: named('Incident', Incident) },
  'task:received': { summary: 'Delivery receipt: the assignee\'s device has the task.', audience: 'the task\'s assignee', payload: named('IdRequest', IdRequest) },
  'task:status': { summary: 'Acknowledge, arrive at or finish a task.', audience: 'the task\'s assignee', payload: named('TaskStatusRequest', TaskStatusRequest), ack: named('Task', Task) },
  'message:received': { summary: 'Delivery receipt of a message.', audience: 'the message\'s recipient', payload: named('IdRequest', IdRequest) },
  'message:read': { summary: 'Read receipt of a message.', audience: 'the message\'s recipient', payload: named('IdRequest', IdRequest) },
}

/** Every Socket.IO event, server events first, each in events.ts's order. */
export const SOCKET_EVENTS: SocketEventDoc[] = [
  ...Object.entries(SERVER).map(([name, e]) => ({ name, direction: 'server→client' as const, summary: e.summary, audience: e.audience, payload: named(e.payload.name, e.payload.schema) })),
  ...Object.entries(CLIENT).map(([name, e]) => ({ name, direction: 'client→server' as const, summary: e.summary, audience: e.audience, payload: named(e.payload.name, e.payload.schema), ...(e.ack ? { ack: named(e.ack.name, e.ack.schema) } : {}) })),
]

/** The payload schemas by name, for an OpenAPI document's components. */
export function socketSchemas(): Record<string, TSchema> {
  const out: Record<string, TSchema> = {}
  for (const e of SOCKET_EVENTS) {
    out[e.payload.name] = e.payload.schema
    if (e.ack)
      out[e.ack.name] = e.ack.schema
  }
  return out
}

/** docs/socket-events.md (written by `npm run docs:socket`): one section per event. */
export function socketEventsMarkdown(): string {
  const lines = [
    '# Socket.IO events',
    '',
    '<!-- Generated from shared/realtime/catalog.ts by `npm run docs:socket`; do not edit by hand. -->',
    '',
    'One Socket.IO connection at `/socket.io/`, opened with the session cookie (a signed-in screen, a device, a share',
    'link). The handshake `auth` may carry `since` (the last change-log seq the client holds) and `stream: false`',
    '(a phone that wants only its tasks and messages). Client events with an ack are answered',
    '`{ ok: true, data }` or `{ ok: false, status, error, field? }` (the HTTP error shape). The payload schemas are also',
    'in `/docs/json` under `components.schemas` and `x-socket-events`.',
    '',
    '| event | direction | payload | ack | summary |',
    '|---|---|---|---|---|',
    ...SOCKET_EVENTS.map(e => `| \`${e.name}\` | ${e.direction} | ${e.payload.name} | ${e.ack?.name ?? '—'} | ${e.summary} |`),
    '',
  ]
  for (const e of SOCKET_EVENTS) {
    lines.push(`## \`${e.name}\` (${e.direction})`, '', e.summary, '', `- ${e.direction === 'server→client' ? 'to' : 'from'}: ${e.audience}`, `- payload: \`${e.payload.name}\``)
    if (e.ack)
      lines.push(`- ack data: \`${e.ack.name}\``)
    lines.push('', ...describe(e.payload.schema), '')
  }
  return lines.join('\n')
}

/** Small schemas in full; large ones (an incident inside) by their top-level fields, the rest in /docs/json. */
function describe(schema: TSchema): string[] {
  const json = JSON.stringify(schema, null, 2)
  if (json.length <= 1500)
    return ['```json', json, '```']
  const s = schema as { type?: string, items?: TSchema, anyOf?: { properties?: { kind?: { const?: string } } }[], properties?: Record<string, { type?: unknown }>, required?: string[] }
  if (s.anyOf)
    return [`One of: ${s.anyOf.map(o => o.properties?.kind?.const ? `\`kind: ${o.properties.kind.const}\`` : 'a shape').join(', ')} (the full schema is in /docs/json).`]
  if (s.type === 'array' && s.items)
    return ['An array of:', '', ...describe(s.items)]
  if (s.type === 'object' && s.properties) {
    const fields = Object.entries(s.properties).map(([k, v]) => `\`${k}\`${s.required?.includes(k) ? '' : '?'}: ${typeof v.type === 'string' ? v.type : 'see the schema'}`)
    return [`Fields (the full schema is in /docs/json): ${fields.join(', ')}.`]
  }
  return ['The full schema is in /docs/json (`components.schemas`).']
}
