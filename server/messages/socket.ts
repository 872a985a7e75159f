import type { Change } from '../../shared/sync/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
import type { IoServer } from '../realtime/index.ts'
import { IdRequest } from '../../shared/wartime/schema.ts'
import { notice } from '../realtime/handler.ts'

/** After each durable commit: a sent message to each of its recipients. */
export function pushMessages(io: IoServer, changes: Change[]): void {
  for (const c of changes) {
    if (c.kind === 'message' && c.action === 'send')
      io.to(c.data.recipients.map(r => `person:${r.personId}`)).emit('message:new', c.data)
  }
}

/** A recipient's phone: delivered and read receipts. */
export function registerMessageHandlers(socket: IoSocket, ctx: AppContext): void {
  socket.on('message:received', notice<IdRequest>(IdRequest, req => ctx.messages.receipt(socket.data.principal, req.id, 'delivered')))
  socket.on('message:read', notice<IdRequest>(IdRequest, req => ctx.messages.receipt(socket.data.principal, req.id, 'read')))
}
