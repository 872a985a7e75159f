import type { Socket } from 'socket.io-client'
import type { TSchema } from 'typebox'
import type { ClientToServerEvents } from '../../../shared/realtime/events.ts'
import type { JsonSchema } from './fuzz-arbitraries.ts'
import type { World } from './fuzz-world.ts'
import fc from 'fast-check'
import { ActionRequest, ReportRequest } from '../../../shared/incident/schema.ts'
import { ChangesRequest } from '../../../shared/sync/schema.ts'
import { IdRequest, TaskStatusRequest } from '../../../shared/wartime/schema.ts'
import { expand, hasDeep, nearMiss, valid, wild } from './fuzz-arbitraries.ts'
import { hintsFor } from './fuzz-world.ts'

// Socket events a client may send, with the schema the server checks them against. The mapped type makes this
// list complete: a new event in ClientToServerEvents does not compile until it is fuzzed here too.

type Acked<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]> extends [unknown, unknown] ? true : false
export const EVENTS: { [K in keyof ClientToServerEvents]: { acked: Acked<K>, schema: TSchema, scope: string } } = {
  'changes:fetch': { acked: true, schema: ChangesRequest, scope: 'changes' },
  'incident:report': { acked: true, schema: ReportRequest, scope: 'incidents' },
  'incident:action': { acked: true, schema: ActionRequest, scope: 'incidents' },
  'task:received': { acked: false, schema: IdRequest, scope: 'tasks' },
  'task:status': { acked: true, schema: TaskStatusRequest, scope: 'tasks' },
  'message:received': { acked: false, schema: IdRequest, scope: 'messages' },
  'message:read': { acked: false, schema: IdRequest, scope: 'messages' },
}
export type EventName = keyof ClientToServerEvents

/** How the arguments are laid out: what clients get wrong is the payload, and also the arity. */
export type Shape = 'payload+ack' | 'ack-only' | 'payload' | 'nothing' | 'payload+extra+ack'
export interface SocketCase { who: 'operator' | 'grid_worker', shape: Shape, payload: unknown }

export function socketCase(world: Pick<World, 'known' | 't'>, event: EventName): fc.Arbitrary<SocketCase> {
  const { schema, scope } = EVENTS[event]
  const hints = hintsFor(world, scope)
  const s = schema as JsonSchema
  return fc.record({
    who: fc.constantFrom('operator', 'grid_worker'),
    shape: fc.oneof({ weight: 8, arbitrary: fc.constant('payload+ack' as const) }, { weight: 1, arbitrary: fc.constantFrom<Shape>('ack-only', 'payload', 'nothing', 'payload+extra+ack') }),
    payload: fc.oneof(
      { weight: 4, arbitrary: valid(s, hints) },
      { weight: 5, arbitrary: nearMiss(s, hints) },
      { weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true, withDate: true, withSparseArray: true, withTypedArray: true, withMap: true, withSet: true, withBoxedValues: true }) },
      { weight: 1, arbitrary: wild },
    ),
  })
}

/** Huge-string markers in a payload made real (a payload with a nesting marker goes out as a raw packet). */
function materialisePayload(v: unknown): unknown {
  if (typeof v === 'string')
    return expand(v)
  if (Array.isArray(v))
    return v.map(materialisePayload)
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialisePayload(x)]))
  return v
}

/**
 * Sends one case; resolves with its ack, or `answered: false` when none came (none is due without a callback, or
 * for a receipt). Payloads nested deeper than socket.io-client can encode go out as raw Socket.IO packets, as any
 * other client may send them.
 */
export function emitCase(socket: Socket, event: EventName, c: SocketCase, waitMs: number): Promise<{ answered: boolean, ack?: unknown }> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, waitMs, { answered: false })
    const ack = (a: unknown) => {
      clearTimeout(timer)
      resolve({ answered: true, ack: a })
    }
    const callback = c.shape.includes('ack')
    const items = { 'payload+ack': [c.payload], 'ack-only': [], 'payload': [c.payload], 'nothing': [], 'payload+extra+ack': [c.payload, 'extra'] }[c.shape]
    if (hasDeep(JSON.stringify(items) ?? ''))
      rawEmit(socket, [event, ...items], callback ? ack : null, waitMs)
    else
      socket.emit(event, ...items.map(materialisePayload), ...(callback ? [ack] : []))
    if (!EVENTS[event].acked || !callback) {
      clearTimeout(timer)
      resolve({ answered: false })
    }
  })
}

interface Engine {
  write: (data: string) => void
  on: (e: 'packet', f: (p: { data?: unknown }) => void) => void
  off: (e: 'packet', f: (p: { data?: unknown }) => void) => void
}
let rawIds = 1_000_000

/** An EVENT packet written to the engine as text (`2<ack id>[event, ...args]`), its ACK (`3<id>[answer]`) read back. */
function rawEmit(socket: Socket, items: unknown[], ack: ((a: unknown) => void) | null, waitMs: number) {
  const engine = (socket.io as unknown as { engine: Engine }).engine
  const id = rawIds++
  if (ack) {
    const onPacket = ({ data }: { data?: unknown }) => {
      if (typeof data === 'string' && data.startsWith(`3${id}[`)) {
        engine.off('packet', onPacket)
        ack((JSON.parse(data.slice(`3${id}`.length)) as unknown[])[0])
      }
    }
    engine.on('packet', onPacket)
    setTimeout(() => engine.off('packet', onPacket), waitMs)
  }
  engine.write(`2${ack ? id : ''}${expand(JSON.stringify(items))}`)
}

const ACK_KEYS = new Set(['ok', 'data', 'status', 'error', 'field'])

/** What is wrong with an acknowledgement, against `{ ok: true, data } | { ok: false, status: 4xx, error, field? }`. */
export function ackProblems(a: unknown): string[] {
  if (!a || typeof a !== 'object')
    return [`the ack is ${JSON.stringify(a)}, not an object`]
  const r = a as Record<string, unknown>
  const problems = Object.keys(r).filter(k => !ACK_KEYS.has(k)).map(k => `unexpected key ${k}`)
  if (r.ok === true)
    return 'data' in r ? problems : [...problems, 'ok without data']
  if (r.ok !== false)
    return [...problems, `ok is ${JSON.stringify(r.ok)}`]
  if (typeof r.status !== 'number' || r.status < 400 || r.status >= 500)
    problems.push(`status ${JSON.stringify(r.status)} is not a 4xx`)
  if (typeof r.error !== 'string')
    problems.push('error is not a string')
  if ('field' in r && typeof r.field !== 'string')
    problems.push('field is not a string')
  return problems
}
