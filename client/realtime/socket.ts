import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../shared/realtime/events.ts'
import { io } from 'socket.io-client'

// The one socket of the app. Stores bind their listeners to it; components never call socket.on.

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>

let sinceProvider: () => number | null = () => null

/**
 * Tells the socket where the client's data ends. The handshake asks for it on every (re)connect,
 * so the server resumes from the held seq instead of resending everything.
 */
export function provideSince(fn: () => number | null): void {
  sinceProvider = fn
}

export const socket: AppSocket = io({
  autoConnect: false,
  // A wall reconnects for weeks: keep trying, but back off to at most 10 s between attempts.
  reconnectionDelay: 1000,
  reconnectionDelayMax: 10_000,
  auth: (cb) => {
    const auth: HandshakeAuth = { since: sinceProvider() }
    cb(auth as Record<string, unknown>)
  },
})
