import type { AuthHeaders } from './app.ts'
import { demoPassword } from '../../server/auth/accounts.ts'

/** Signs in a demo account on a running server over real HTTP; returns headers that act as it. */
export async function signIn(url: string, username: string): Promise<AuthHeaders> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword(username) }),
  })
  if (res.status !== 200)
    throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]!).find(c => c.startsWith('os_sid='))!
  const { csrf } = (await res.json()) as { csrf: string }
  return { 'cookie': cookie, 'x-csrf-token': csrf }
}

/** fetch with a signed-in session and a JSON body. */
export function authed(url: string, auth: AuthHeaders, init: { method?: string, body?: unknown, headers?: Record<string, string> } = {}) {
  return fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...auth, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
}
