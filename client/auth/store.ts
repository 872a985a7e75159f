import type { Static } from 'typebox'
import type { MeResponse, PrincipalT } from '../../shared/auth/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { getJson, HttpError, sendJson, setCsrfToken } from '../ui/http.ts'

export type Principal = Static<typeof PrincipalT>
/** Roles that may act on incidents from the wall's drawer. */
const DISPATCH_ROLES = ['commander', 'operator', 'admin']

/**
 * Who is signed in on this screen. A wall opened without a session (or on a server without sign-in) is an
 * anonymous read-only wall; an operator signs in to act, and signs out to hand the wall back.
 */
export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<MeResponse | null>(null)
  /** True once /api/auth/me has answered (either way). */
  const known = shallowRef(false)

  const principal = computed(() => me.value?.principal ?? null)
  const canDispatch = computed(() => !!me.value && !me.value.readOnly && me.value.principal.roles.some(r => DISPATCH_ROLES.includes(r)))

  function hold(next: MeResponse | null): void {
    me.value = next
    setCsrfToken(next?.csrf ?? null)
    known.value = true
  }

  async function refresh(): Promise<void> {
    try {
      hold(await getJson<MeResponse>('/api/auth/me'))
    }
    catch (err) {
      // 401: not signed in; 404: a server without sign-in. Either way: a read-only wall.
      if (err instanceof HttpError && (err.status === 401 || err.status === 404))
        hold(null)
      else
        throw err
    }
  }

  /** Signs in; resolves false on wrong credentials, throws on anything else (429 says wait). */
  async function login(username: string, password: string): Promise<boolean> {
    try {
      hold(await sendJson<MeResponse>('/api/auth/login', { username, password }))
      return true
    }
    catch (err) {
      if (err instanceof HttpError && err.status === 401)
        return false
      throw err
    }
  }

  /**
   * Gets this screen a session again when it has none (an operator signed out, a session expired): the page
   * request is where a wall display is signed in (the demo's wall, an enrolled device's cookie), so ask for it.
   */
  async function recover(opts: { known?: 'none' } = {}): Promise<void> {
    if (opts.known !== 'none') {
      await refresh().catch(() => null)
      if (me.value)
        return
    }
    await fetch('/', { credentials: 'same-origin', headers: { accept: 'text/html' } }).catch(() => null)
    await refresh()
  }

  /** Signs the operator out; the wall goes back to the display's own session, if it has one. */
  async function logout(): Promise<void> {
    await sendJson<null>('/api/auth/logout', undefined).catch(() => null)
    hold(null)
    await recover({ known: 'none' }).catch(() => null)
  }

  return { me, known, principal, canDispatch, refresh, recover, login, logout }
})
