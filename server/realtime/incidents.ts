import type { Socket } from 'socket.io'
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import type { AppContext } from '../context.ts'
import type { ServiceResult } from '../services/incidents.ts'
import { Type } from 'typebox'
import { ActionBody, ReportBody } from '../../shared/schemas/incident.ts'
import { readChanges } from '../services/sync.ts'
import { compileCheck } from '../validation.ts'

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

const OpId = Type.String({ minLength: 1, maxLength: 200 })
const checkReport = compileCheck(Type.Object({ opId: OpId, body: ReportBody }))
const checkAction = compileCheck(Type.Object({ opId: OpId, id: Type.String({ minLength: 1, maxLength: 64 }), body: ActionBody }))
const checkFetch = compileCheck(Type.Object({ since: Type.Integer({ minimum: 0 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }))

function reply<T>(ack: Ack<T>, res: ServiceResult<T>): void {
  if (res.ok)
    ack({ ok: true, data: res.data })
  else
    ack({ ok: false, status: res.status, error: res.message, field: res.field })
}

/** validate → act (the same service as HTTP) → ack; the broadcast follows the durable commit. */
export function registerIncidentHandlers(socket: IoSocket, ctx: AppContext): void {
  const device = socket.handshake.headers['user-agent']?.slice(0, 120)
  // TODO(#3): the actor comes from the authenticated handshake.
  const actor = { personId: 'socket', role: 'operator' }

  socket.on('incident:report', async (req, ack) => {
    if (typeof ack !== 'function')
      return
    const bad = checkReport(req)
    if (bad)
      return ack({ ok: false, status: 400, error: bad.message, field: bad.field })
    reply(ack, await ctx.incidents.report(req.body, { actor: req.body.actor ?? actor, opKey: `report:${req.opId}`, device }))
  })

  socket.on('incident:action', async (req, ack) => {
    if (typeof ack !== 'function')
      return
    const bad = checkAction(req)
    if (bad)
      return ack({ ok: false, status: 400, error: bad.message, field: bad.field })
    reply(ack, await ctx.incidents.act(req.id, req.body, { actor: req.body.actor ?? actor, opKey: `action:${req.id}:${req.opId}`, device }))
  })

  socket.on('changes:fetch', async (req, ack) => {
    if (typeof ack !== 'function')
      return
    const bad = checkFetch(req)
    if (bad)
      return ack({ ok: false, status: 400, error: bad.message, field: bad.field })
    ack({ ok: true, data: await readChanges(ctx, req.since, req.limit ?? 1000) })
  })
}
