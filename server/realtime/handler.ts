import type { Socket } from 'socket.io'
import type { TSchema } from 'typebox'
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import { compileCheck } from '../http/validation.ts'

export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
type Answer<T> = Parameters<Ack<T>>[0]

/**
 * An acknowledged socket event: validate (a compiled TypeBox check) → act → ack. Handlers run validate → act
 * (through the same service as HTTP) → ack; the broadcast follows the durable commit. Nothing a handler does
 * throws into Socket.IO or leaves a promise rejection unhandled: a failure is logged and answered 500.
 */
export function acked<Req, Res>(schema: TSchema, run: (req: Req) => Promise<Answer<Res>>) {
  const check = compileCheck(schema)
  // Socket.IO passes the client's callback last, whatever came before it: a client that sent no payload (or
  // extra arguments) still gets its 400 rather than waiting for an ack that never comes.
  return (...args: unknown[]): void => {
    const ack = args.at(-1) as Ack<Res>
    if (typeof ack !== 'function')
      return
    const req = (args.length > 1 ? args[0] : undefined) as Req
    // The check runs inside the promise too: whatever it throws is answered, never thrown into Socket.IO (where
    // it would end the process).
    Promise.resolve(req).then((r) => {
      const bad = check(r)
      return bad ? { ok: false as const, status: 400, error: bad.message, field: bad.field } : run(r)
    }).then(ack, (e: unknown) => {
      console.error('socket handler failed:', e)
      ack({ ok: false, status: 500, error: 'internal error' })
    })
  }
}

/** A fire-and-forget socket event (a receipt): invalid input is dropped, a failure logged. */
export function notice<Req>(schema: TSchema, run: (req: Req) => Promise<void>) {
  const check = compileCheck(schema)
  return (req: Req): void => {
    Promise.resolve(req).then(r => check(r) ? undefined : run(r)).catch((e: unknown) => console.error('socket notice failed:', e))
  }
}
