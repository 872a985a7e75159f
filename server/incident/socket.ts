import type { Incident } from '../../shared/incident/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
import type { CallContext } from './service.ts'
import { seesPersonalData } from '../../shared/auth/authz.ts'
import { redactIncident } from '../../shared/incident/privacy.ts'
import { ActionRequest, ReportRequest } from '../../shared/incident/schema.ts'
import { ackOf } from '../http/errors.ts'
import { acked } from '../realtime/handler.ts'

/** Reports and actions over a socket: the same service as HTTP, which checks the caller's role and territory. */
export function registerIncidentHandlers(socket: IoSocket, ctx: AppContext): void {
  // Read at each event: a new subdistrict package can change the caller's territory while the socket is open.
  const view = (inc: Incident) => seesPersonalData(socket.data.principal) ? inc : redactIncident(inc)
  const call = (opKey: string): CallContext => ({ principal: socket.data.principal, origin: { via: 'socket', ip: socket.handshake.address }, opKey, device: socket.handshake.headers['user-agent']?.slice(0, 120) })

  socket.on('incident:report', acked<ReportRequest, Incident>(ReportRequest, async req =>
    ackOf(await ctx.incidents.report(req.body, call(`report:${req.opId}`)), view)))

  socket.on('incident:action', acked<ActionRequest, Incident>(ActionRequest, async req =>
    ackOf(await ctx.incidents.act(req.id, req.body, call(`action:${req.id}:${req.opId}`)), view)))
}
