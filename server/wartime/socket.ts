import type { Socket } from 'socket.io'
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import type { Change } from '../../shared/sync/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoServer } from '../realtime/index.ts'
import { Type } from 'typebox'
import { TaskStatusBody } from '../../shared/wartime/schema.ts'
import { ackOf } from '../http/errors.ts'
import { compileCheck } from '../http/validation.ts'

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
const checkId = compileCheck(Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }))
const checkStatus = compileCheck(Type.Object({ opId: Type.String({ minLength: 1, maxLength: 200 }), id: Type.String({ minLength: 1, maxLength: 200 }), body: TaskStatusBody }))
const room = (personId: string) => `person:${personId}`

/** After each durable commit: tasks to their assignees, escalations to supervisors, messages to recipients. */
export function pushWartime(io: IoServer, changes: Change[]): void {
  for (const c of changes) {
    if (c.kind === 'task') {
      io.to(room(c.data.assigneeId)).emit('task:changed', c.data)
      if (c.action === 'escalate')
        c.data.escalatedTo.forEach(id => io.to(room(id)).emit('task:escalated', c.data))
    }
    else if (c.kind === 'message' && c.action === 'send') {
      io.to(c.data.recipients.map(r => room(r.personId))).emit('message:new', c.data)
    }
  }
}

/** A responder's phone: receipts, acknowledgements, presence. */
export function registerWartimeHandlers(socket: IoSocket, ctx: AppContext): void {
  const p = socket.data.principal
  const origin = { via: 'socket' as const, ip: socket.handshake.address }
  if (p.personId) {
    ctx.presence.connect(p.personId)
    socket.on('disconnect', () => ctx.presence.disconnect(p.personId!))
  }
  const safe = (f: () => Promise<void>) => f().catch(e => console.error('wartime socket handler:', e))

  socket.on('task:received', (req) => {
    if (!checkId(req))
      void safe(() => ctx.wartime.received(p, req.id))
  })
  socket.on('message:received', (req) => {
    if (!checkId(req))
      void safe(() => ctx.messages.receipt(p, req.id, 'delivered'))
  })
  socket.on('message:read', (req) => {
    if (!checkId(req))
      void safe(() => ctx.messages.receipt(p, req.id, 'read'))
  })
  socket.on('task:status', async (req, ack: Ack<Task>) => {
    if (typeof ack !== 'function')
      return
    const bad = checkStatus(req)
    if (bad)
      return ack({ ok: false, status: 400, error: bad.message, field: bad.field })
    try {
      const res = await ctx.wartime.taskStatus({ principal: p, origin, opKey: `task:${req.id}:${req.opId}` }, req.id, req.body)
      ack(ackOf(res))
    }
    catch (e) {
      console.error('task:status failed:', e)
      ack({ ok: false, status: 500, error: 'internal error' })
    }
  })
}
