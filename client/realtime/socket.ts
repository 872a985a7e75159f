import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../shared/realtime/events.ts'
import { io } from 'socket.io-client'

// The one socket of the app. Stores bind their listeners to it; components never call socket.on.

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>

let sinceProvider: () => { since: number | null, epoch: string | null } = () => ({ since: null, epoch: null })

/**
 * Tells the socket where the client's data ends, and the log epoch that seq belongs to. The handshake asks for it
 * on every (re)connect, so the server resumes from the held seq instead of resending everything (or sends a
 * snapshot when the seq is of another epoch: a restored database).
 */
export function provideSince(fn: () => { since: number | null, epoch: string | null }): void {
  sinceProvider = fn
}

export const socket: AppSocket = io({
  autoConnect: false,
  // A wall reconnects for weeks: keep trying, but back off to at most 10 s between attempts.
  reconnectionDelay: 1000,
  reconnectionDelayMax: 10_000,
  auth: (cb) => {
    const auth: HandshakeAuth = sinceProvider()
    cb(auth as Record<string, unknown>)
  },
})

/**
 * Socket.IO retries on its own after a network failure, but not when the server closed the socket (a restart
 * drops every socket on the way down) or refused it in a middleware (an expired session). A wall must come back
 * from both: retry with jitter (between `delayMs` and twice it: a restarted server is not met by every wall in
 * the same millisecond), letting `recover` renew the session first; after that Socket.IO's own back-off goes on.
 */
export function keepConnected(s: AppSocket, recover: () => Promise<void>, delayMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const retry = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      void recover().catch(() => null).finally(() => {
        if (!s.connected)
          s.connect()
      })
    }, delayMs + Math.random() * delayMs)
  }
  s.on('disconnect', (reason) => {
    if (reason === 'io server disconnect')
      retry()
  })
  s.on('connect_error', () => {
    if (!s.active)
      retry()
  })
}
