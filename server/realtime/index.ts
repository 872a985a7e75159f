import type { FastifyInstance } from 'fastify'
import type { Principal } from '../../shared/auth/authz.ts'
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/realtime/events.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from './handler.ts'
import { fastifyCookie } from '@fastify/cookie'
import { Server } from 'socket.io'
import { redactChange } from '../../shared/incident/privacy.ts'
import { originAllowed, SESSION_COOKIE } from '../auth/plugin.ts'
import { revokedTags, sessionTag } from '../auth/revocations.ts'
import { pushRouted } from '../desk/socket.ts'
import { registerIncidentHandlers } from '../incident/socket.ts'
import { pushInfoReports } from '../inforeport/socket.ts'
import { pushMessages, registerMessageHandlers } from '../messages/socket.ts'
import { createStreams, registerSyncHandlers, ROOM_FULL, ROOM_REDACTED } from '../sync/socket.ts'
import { pushTasks, registerWartimeHandlers } from '../wartime/socket.ts'

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

/** Wartime needs a silent phone noticed within 10 s, not Socket.IO's default 45 s. */
export const HEARTBEAT = { pingInterval: 5000, pingTimeout: 4000 }
/** How often sockets are checked against their session's expiry. */
const SWEEP_MS = 15_000

/**
 * The live stream. A client says the last seq it holds; it gets what it missed (or a snapshot), then every
 * committed change in seq order. This rests on the durable change log, so it survives a server restart.
 * The handshake carries the same session cookie as HTTP; rooms scope by role and territory.
 */
export function attachRealtime(app: FastifyInstance, ctx: AppContext): IoServer {
  const io: IoServer = new Server(app.server, {
    serveClient: false,
    ...HEARTBEAT,
    allowRequest: (req, done) => done(null, originAllowed(req.headers.origin, req.headers.host, ctx.config.allowedOrigins)),
  })

  // Socket.IO ignores a middleware's promise: everything async here settles inside, and `next` is called once,
  // whatever the store does (a refused handshake whose audit row cannot be written is still just refused).
  io.use((socket, next) => {
    handshake(socket).then(next, (e: unknown) => {
      console.error('socket handshake failed:', e)
      next(Object.assign(new Error('unavailable'), { data: { status: 503 } }))
    })
  })
  async function handshake(socket: Parameters<Parameters<IoServer['use']>[0]>[0]): Promise<Error | undefined> {
    const token = fastifyCookie.parse(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE]
    const resolved = await ctx.auth.resolve(token)
    if (!resolved) {
      await ctx.audit.record(null, { via: 'socket', ip: socket.handshake.address }, { action: 'socket:connect', result: 'deny', detail: token ? 'session expired or revoked' : 'no session' })
        .catch((e: unknown) => console.warn(`refused handshake not audited: ${e instanceof Error ? e.message : String(e)}`))
      return Object.assign(new Error('unauthorized'), { data: { status: 401 } })
    }
    socket.data.principal = resolved.principal
    socket.data.sessionHash = resolved.session.idHash
    socket.data.sessionTag = sessionTag(resolved.session.idHash)
    socket.data.expiresAt = Date.parse(resolved.session.expiresAt)
    return undefined
  }

  // Revoked sessions (logout, password change, revoked link or device) lose their sockets at once; with several
  // nodes, those revoked through another node as soon as its revocation change arrives (server/auth/revocations.ts).
  const disconnectWhere = (gone: (s: IoSocket) => boolean) => {
    for (const s of io.sockets.sockets.values()) {
      if (gone(s))
        s.disconnect(true)
    }
  }
  const dropTagged = (tags: string[]) => {
    if (tags.length > 0) {
      const gone = new Set(tags)
      disconnectWhere(s => gone.has(s.data.sessionTag))
    }
  }

  // A broadcast is encoded before Socket.IO looks for sockets: an empty room (often the full one: walls see the
  // redacted stream) costs a JSON encoding per commit for nobody.
  const occupied = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0
  const offCommit = ctx.store.onCommit((changes) => {
    dropTagged(revokedTags(changes))
    if (occupied(ROOM_FULL))
      io.to(ROOM_FULL).emit('change:batch', changes)
    if (occupied(ROOM_REDACTED))
      io.to(ROOM_REDACTED).emit('change:batch', changes.map(redactChange))
    pushTasks(io, changes)
    pushMessages(io, changes)
    pushInfoReports(io, changes)
    // Phones take no stream: the reference and the basemap are announced to every socket. A new package may move
    // people between grids, communities and posts: each socket's territory and rooms follow it.
    for (const c of changes) {
      if (c.kind === 'reference' || c.kind === 'basemap')
        io.emit('reference:changed', { kind: c.kind, version: c.data.version })
      if (c.kind === 'reference') {
        for (const s of io.sockets.sockets.values())
          void rescope(s).catch((e: unknown) => console.warn(`socket not rescoped: ${e instanceof Error ? e.message : String(e)}`))
      }
    }
  })
  /** The caller as the package in force now sees them: their rooms change with their territory. */
  async function rescope(socket: IoSocket): Promise<void> {
    const session = socket.data.sessionHash ? await ctx.authStore.session(socket.data.sessionHash) : null
    const p = session ? await ctx.auth.principalOfSession(session) : null
    if (!p) {
      socket.disconnect(true)
      return
    }
    for (const room of roomsOf(socket.data.principal))
      socket.leave(room)
    socket.data.principal = p
    socket.join(roomsOf(p))
  }
  const offActed = ctx.incidents.onActed((incident, entry) => pushRouted(io, ctx.reference, ctx.catalog, incident, entry))
  const offOnline = ctx.presence.onOnline((personId, online) => io.to([ROOM_FULL, ROOM_REDACTED]).emit('presence:changed', { personId, online, at: ctx.now().toISOString() }))
  const offFrozen = ctx.scoring.onFrozen(month => io.to([ROOM_FULL, ROOM_REDACTED]).emit('scores:frozen', { month }))
  const offPositions = ctx.presence.onPublish(batch => io.to([ROOM_FULL, ROOM_REDACTED]).emit('positions:update', batch))
  const offSensors = ctx.sensors.onReadings(states => io.to([ROOM_FULL, ROOM_REDACTED]).emit('sensor:readings', states))

  const offRevoke = ctx.auth.onRevoke((hashes) => {
    const gone = new Set(hashes)
    disconnectWhere(s => gone.has(s.data.sessionHash))
  })
  const sweep = setInterval(() => {
    const now = ctx.now().getTime()
    disconnectWhere(s => now >= s.data.expiresAt)
  }, SWEEP_MS)
  sweep.unref()

  const streams = createStreams(io, ctx)
  io.on('connection', (socket) => {
    const p = socket.data.principal
    const auth = socket.handshake.auth as { since?: unknown, epoch?: unknown, stream?: unknown }
    const since = typeof auth.since === 'number' && Number.isInteger(auth.since) && auth.since >= 0 ? auth.since : null
    socket.data.since = since
    registerSyncHandlers(socket, ctx)
    registerIncidentHandlers(socket, ctx)
    registerWartimeHandlers(socket, ctx)
    registerMessageHandlers(socket, ctx)
    socket.join(roomsOf(p))
    streams.start(socket, { since, epoch: typeof auth.epoch === 'string' ? auth.epoch : null, stream: auth.stream !== false }).catch((e: unknown) => {
      console.error('stream start failed:', e)
      socket.disconnect(true)
    })
  })

  app.addHook('preClose', async () => {
    // fastify.close() hangs while websockets are open: drop them first.
    offCommit()
    offPositions()
    offSensors()
    offOnline()
    offActed()
    offFrozen()
    offRevoke()
    clearInterval(sweep)
    io.disconnectSockets(true)
    await io.close()
  })
  return io
}

/** Person, role, grid, community and sector rooms let features target people (tasks, messages, routed incidents). */
function roomsOf(p: Principal): string[] {
  return [
    ...p.roles.map(r => `role:${r}`),
    ...p.gridIds.map(g => `grid:${g}`),
    ...(p.personId ? [`person:${p.personId}`] : []),
    ...(p.communityId ? [`community:${p.communityId}`] : []),
    ...(p.sectorId ? [`sector:${p.sectorId}`] : []),
  ]
}
