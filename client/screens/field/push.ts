import { onScopeDispose, shallowRef } from 'vue'
import { getJson, sendJson } from '../../ui/http.ts'

// Task alerts on a closed phone (#17): the browser subscribes to Web Push with the server's VAPID key and the
// server keeps the subscription for the signed-in person; client/public/sw.js shows what arrives. Browsers allow
// it only on https (or localhost) with a service worker, and only after the person allows notifications.

/** checking → off | on | blocked (notifications refused in the browser) | insecure (plain http) | unsupported. */
export type PushState = 'checking' | 'off' | 'on' | 'busy' | 'failed' | 'blocked' | 'insecure' | 'unsupported'

export interface PushEnv {
  secure: boolean
  serviceWorker: boolean
  pushManager: boolean
  /** Notification.permission, or null when there is no Notification API. */
  permission: NotificationPermission | null
}

/** What this browser allows before anything is asked; null = it may subscribe. */
export function pushBlocker(env: PushEnv): PushState | null {
  if (!env.secure)
    return 'insecure'
  if (!env.serviceWorker || !env.pushManager || env.permission === null)
    return 'unsupported'
  return env.permission === 'denied' ? 'blocked' : null
}

/** The VAPID key (base64url) as the bytes PushManager.subscribe takes. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=')
  return Uint8Array.from(atob(b64), c => c.charCodeAt(0))
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a)
    return true
  const x = new Uint8Array(a)
  return x.length === b.length && x.every((v, i) => v === b[i])
}

function env(): PushEnv {
  return {
    secure: window.isSecureContext,
    serviceWorker: 'serviceWorker' in navigator,
    pushManager: 'PushManager' in window,
    permission: 'Notification' in window ? Notification.permission : null,
  }
}

/** The phone's task alerts: the state to show, and turning them on and off. */
export function usePushAlerts() {
  const state = shallowRef<PushState>('checking')
  const error = shallowRef<string | null>(null)
  let disposed = false
  onScopeDispose(() => (disposed = true))
  const set = (s: PushState) => !disposed && (state.value = s)

  const serverKey = async () => keyBytes((await getJson<{ publicKey: string }>('/api/push/key')).publicKey)
  const current = async () => (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription() ?? null

  /** Runs a step and shows the state it ends in; a failure shows as `failed`, its message as the hint. */
  async function step(action: () => Promise<PushState>): Promise<void> {
    try {
      set(await action())
    }
    catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      set('failed')
    }
  }

  /** On load: a subscription this browser holds is sent again (the server may have dropped it, or the person changed). */
  const check = () => step(async () => {
    const blocked = pushBlocker(env())
    if (blocked)
      return blocked
    const sub = await current()
    if (!sub)
      return 'off'
    if (!sameKey(sub.options.applicationServerKey, await serverKey())) {
      await sub.unsubscribe()
      return 'off'
    }
    await sendJson('/api/push/subscriptions', sub.toJSON())
    return 'on'
  })

  function enable(): Promise<void> {
    set('busy')
    error.value = null
    return step(async () => {
      const permission = await Notification.requestPermission()
      if (permission !== 'granted')
        return permission === 'denied' ? 'blocked' : 'off'
      const reg = await navigator.serviceWorker.ready
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: await serverKey() })
      await sendJson('/api/push/subscriptions', sub.toJSON())
      return 'on'
    })
  }

  function disable(): Promise<void> {
    set('busy')
    return step(async () => {
      const sub = await current()
      if (sub) {
        await sendJson('/api/push/subscriptions', { endpoint: sub.endpoint }, { method: 'DELETE' }).catch(() => null)
        await sub.unsubscribe()
      }
      return 'off'
    })
  }

  void check()
  return { state, error, enable, disable }
}
