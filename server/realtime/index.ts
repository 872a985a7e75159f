import type { FastifyInstance } from 'fastify'
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import type { AppContext } from '../context.ts'
import { Server } from 'socket.io'
import { readChanges, readSnapshot } from '../services/sync.ts'
import { registerIncidentHandlers } from './incidents.ts'

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

/** Catch-up larger than this is cheaper as a snapshot. */
const MAX_CATCHUP = 5000
export const ROOM_LIVE = 'live'

/**
 * The live stream. A client says the last seq it holds; it gets what it missed (or a snapshot), then every
 * committed change in seq order. This rests on the durable change log, so it survives a server restart.
 */
export function attachRealtime(app: FastifyInstance, ctx: AppContext): IoServer {
  const io: IoServer = new Server(app.server, {
    serveClient: false,
    // Wartime needs a silent phone noticed within 10 s, not Socket.IO's default 45 s.
    pingInterval: 5000,
    pingTimeout: 4000,
  })

  const offCommit = ctx.store.onCommit((changes) => {
    io.to(ROOM_LIVE).emit('change:batch', changes)
  })
  const offPositions = ctx.presence.onPublish(batch => io.to(ROOM_LIVE).emit('positions:update', batch))

  io.on('connection', async (socket) => {
    const raw = (socket.handshake.auth as { since?: unknown }).since
    const since = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : null
    socket.data.since = since
    registerIncidentHandlers(socket, ctx)
    // Join first, then read: a change committed in between arrives twice (the client drops the repeat)
    // rather than not at all.
    socket.join(ROOM_LIVE)
    const head = await ctx.store.head()
    if (since === null || since > head || head - since > MAX_CATCHUP) {
      socket.emit('sync:snapshot', await readSnapshot(ctx))
      return
    }
    const page = await readChanges(ctx, since, MAX_CATCHUP)
    if (!page.complete)
      socket.emit('sync:snapshot', await readSnapshot(ctx))
    else
      socket.emit('sync:changes', { changes: page.changes, head: page.head })
  })

  app.addHook('preClose', async () => {
    // fastify.close() hangs while websockets are open: drop them first.
    offCommit()
    offPositions()
    io.disconnectSockets(true)
    await io.close()
  })
  return io
}
