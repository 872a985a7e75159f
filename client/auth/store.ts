import type { Permission, Target } from '../../shared/auth/authz.ts'
import type { MeResponse } from '../../shared/auth/schema.ts'
import type { ActionKind } from '../../shared/incident/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { getJson, HttpError, sendJson, setCsrfToken } from '../ui/http.ts'
import { permits, permitsAction } from './rights.ts'

/**
 * Who is signed in on this screen. A wall opened without a session (or on a server without sign-in) is an
 * anonymous read-only wall; an operator signs in to act, and signs out to hand the wall back.
 */
export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<MeResponse | null>(null)
  /** True once /api/auth/me has answered (either way). */
  const known = shallowRef(false)

  const principal = computed(() => me.value?.principal ?? null)
  /** Someone who may change something is signed in here (not the display's own read-only session). */
  const acting = computed(() => !!me.value && !me.value.readOnly)

  /** What the signed-in person may do, by the server's rule (rights.ts): a control shows exactly when it would work. */
  const may = (permission: Permission): boolean => permits(principal.value, permission)
  const mayAct = (action: ActionKind, target: Target): boolean => permitsAction(principal.value, action, target)

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

  return { me, known, principal, acting, may, mayAct, refresh, recover, login, logout }
})
