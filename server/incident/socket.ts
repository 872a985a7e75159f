import type { Socket } from 'socket.io'
import type { Incident } from '../../shared/incident/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import type { AppContext } from '../context.ts'
import type { CallContext } from './service.ts'
import { Type } from 'typebox'
import { seesPersonalData } from '../../shared/auth/authz.ts'
import { redactIncident } from '../../shared/incident/privacy.ts'
import { ActionBody, ReportBody } from '../../shared/incident/schema.ts'
import { ackOf } from '../http/errors.ts'
import { compileCheck } from '../http/validation.ts'
import { readChanges } from '../sync/service.ts'

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

const OpId = Type.String({ minLength: 1, maxLength: 200 })
const checkReport = compileCheck(Type.Object({ opId: OpId, body: ReportBody }))
const checkAction = compileCheck(Type.Object({ opId: OpId, id: Type.String({ minLength: 1, maxLength: 64 }), body: ActionBody }))
const checkFetch = compileCheck(Type.Object({ since: Type.Integer({ minimum: 0 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }))

/**
 * Socket handlers: validate → act (the same service as HTTP, which checks the caller's role and territory)
 * → ack. The broadcast follows the durable commit. A handler never throws into Socket.IO.
 */
export function registerIncidentHandlers(socket: IoSocket, ctx: AppContext): void {
  const p = socket.data.principal
  const redact = !seesPersonalData(p)
  const call = (opKey: string): CallContext => ({ principal: p, origin: { via: 'socket', ip: socket.handshake.address }, opKey, device: socket.handshake.headers['user-agent']?.slice(0, 120) })
  const reply = (ack: Ack<Incident>, res: Result<Incident>) => ack(ackOf(res, inc => redact ? redactIncident(inc) : inc))

  function guarded<T>(check: (v: unknown) => { field: string, message: string } | null, run: (req: T, ack: Ack<never>) => Promise<void>) {
    return async (req: T, ack: Ack<never>) => {
      if (typeof ack !== 'function')
        return
      const bad = check(req)
      if (bad)
        return ack({ ok: false, status: 400, error: bad.message, field: bad.field })
      try {
        await run(req, ack)
      }
      catch (e) {
        console.error('socket handler failed:', e)
        ack({ ok: false, status: 500, error: 'internal error' })
      }
    }
  }

  socket.on('incident:report', guarded(checkReport, async (req: Parameters<ClientToServerEvents['incident:report']>[0], ack) => {
    reply(ack as Ack<Incident>, await ctx.incidents.report(req.body, call(`report:${req.opId}`)))
  }))

  socket.on('incident:action', guarded(checkAction, async (req: Parameters<ClientToServerEvents['incident:action']>[0], ack) => {
    reply(ack as Ack<Incident>, await ctx.incidents.act(req.id, req.body, call(`action:${req.id}:${req.opId}`)))
  }))

  socket.on('changes:fetch', guarded(checkFetch, async (req: Parameters<ClientToServerEvents['changes:fetch']>[0], ack) => {
    (ack as Ack<unknown>)({ ok: true, data: await readChanges(ctx, req.since, req.limit ?? 1000, redact) })
  }))
}
