import type { Change } from '../../shared/sync/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
import type { IoServer } from '../realtime/index.ts'
import { IdRequest, TaskStatusRequest } from '../../shared/wartime/schema.ts'
import { ackOf } from '../http/errors.ts'
import { acked, notice } from '../realtime/handler.ts'

const room = (personId: string) => `person:${personId}`

/** After each durable commit: tasks to their assignees, escalations to the supervisors they name. */
export function pushTasks(io: IoServer, changes: Change[]): void {
  for (const c of changes) {
    if (c.kind !== 'task')
      continue
    io.to(room(c.data.assigneeId)).emit('task:changed', c.data)
    if (c.action === 'escalate')
      c.data.escalatedTo.forEach(id => io.to(room(id)).emit('task:escalated', c.data))
  }
}

/** A responder's phone: presence, delivery receipts and reports on their own tasks. */
export function registerWartimeHandlers(socket: IoSocket, ctx: AppContext): void {
  const p = socket.data.principal
  const origin = { via: 'socket' as const, ip: socket.handshake.address }
  if (p.personId) {
    ctx.presence.connect(p.personId)
    socket.on('disconnect', () => ctx.presence.disconnect(p.personId!))
  }
  socket.on('task:received', notice<IdRequest>(IdRequest, req => ctx.wartime.received(socket.data.principal, req.id)))
  socket.on('task:status', acked<TaskStatusRequest, Task>(TaskStatusRequest, async req =>
    ackOf(await ctx.wartime.taskStatus({ principal: socket.data.principal, origin, opKey: `task:${req.id}:${req.opId}` }, req.id, req.body))))
}
