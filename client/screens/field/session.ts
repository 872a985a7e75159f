import type { MeResponse } from '../../../shared/auth/schema.ts'
import { useSessionStore } from '../../auth/store.ts'
import { socket } from '../../realtime/socket.ts'
import { HttpError, sendJson } from '../../ui/http.ts'

// Phones change who they are after the page has booted (a share link opened, a worker signed in), while the one
// socket may already be connected as someone else: reconnect it so the server puts it in the right rooms.

/** Drops and reopens the socket with the current cookie. */
export function reconnectSocket(): void {
  socket.disconnect()
  socket.connect()
}

/** Opens a leader's read-only session from a share token; false when the link is invalid, expired or revoked. */
export async function openShareLink(token: string): Promise<boolean> {
  try {
    await sendJson<MeResponse>('/api/auth/share', { token })
  }
  catch (err) {
    if (err instanceof HttpError && (err.status === 401 || err.status === 400))
      return false
    throw err
  }
  await useSessionStore().refresh()
  reconnectSocket()
  return true
}

/** Signs in from a phone form; the socket follows the new session. */
export async function phoneSignIn(username: string, password: string): Promise<boolean> {
  const ok = await useSessionStore().login(username, password)
  if (ok)
    reconnectSocket()
  return ok
}

const REMEMBER_KEY = 'onescreen.field.me'

/**
 * The field view remembers who last signed in on this phone, so a worker who opens the installed app in a dead
 * spot still sees their outbox and can report; the outbox sends once /api/auth/me answers again.
 */
export function rememberWorker(me: MeResponse | null): void {
  if (me)
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(me.principal))
}

export function rememberedWorker(): MeResponse['principal'] | null {
  try {
    return JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') as MeResponse['principal'] | null
  }
  catch {
    return null
  }
}
