// The drill talks to OneScreen as its users do: over HTTP, signed in, with the CSRF token on mutations.

export interface Session { cookie: string, csrf: string }
export type Caller = Session | { bearer: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly path: string, readonly body: string) {
    super(`${path} → ${status}: ${body.slice(0, 300)}`)
  }
}

const SESSION_COOKIE = 'os_sid'

export function createApi(url: string) {
  const base = url.replace(/\/+$/, '')

  async function request<T>(path: string, as: Caller | null, init: { method?: string, json?: unknown, text?: string, contentType?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {}
    if (as && 'bearer' in as)
      headers.authorization = `Bearer ${as.bearer}`
    else if (as)
      Object.assign(headers, { 'cookie': as.cookie, 'x-csrf-token': as.csrf })
    let body: string | undefined
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.json)
    }
    else if (init.text !== undefined) {
      headers['content-type'] = init.contentType ?? 'text/plain'
      body = init.text
    }
    const res = await fetch(`${base}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
    const text = await res.text()
    if (!res.ok)
      throw new ApiError(res.status, path, text)
    return (text ? JSON.parse(text) : null) as T
  }

  /** Opens a session; `path` is /api/auth/login (a person) or /api/auth/device (an enrolled phone). */
  async function open(path: string, payload: unknown): Promise<Session> {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })
    const text = await res.text()
    if (!res.ok)
      throw new ApiError(res.status, path, text)
    const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]!).find(c => c.startsWith(`${SESSION_COOKIE}=`))
    if (!cookie)
      throw new ApiError(res.status, path, 'no session cookie in the answer')
    return { cookie, csrf: (JSON.parse(text) as { csrf: string }).csrf }
  }

  /** A download (a report), as bytes. */
  async function bytes(path: string, as: Caller): Promise<Buffer> {
    const headers: Record<string, string> = 'bearer' in as ? { authorization: `Bearer ${as.bearer}` } : { cookie: as.cookie }
    const res = await fetch(`${base}${path}`, { headers })
    if (!res.ok)
      throw new ApiError(res.status, path, await res.text())
    return Buffer.from(await res.arrayBuffer())
  }

  return {
    url: base,
    bytes,
    get: <T>(path: string, as: Caller | null) => request<T>(path, as),
    post: <T>(path: string, as: Caller | null, json: unknown) => request<T>(path, as, { json }),
    put: <T>(path: string, as: Caller | null, json: unknown) => request<T>(path, as, { method: 'PUT', json }),
    del: (path: string, as: Caller | null) => request<null>(path, as, { method: 'DELETE' }),
    postText: <T>(path: string, as: Caller | null, text: string, contentType: string) => request<T>(path, as, { text, contentType }),
    login: (username: string, password: string) => open('/api/auth/login', { username, password }),
    device: (token: string) => open('/api/auth/device', { token }),
  }
}

export type Api = ReturnType<typeof createApi>

/** Runs `f` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: T[], limit: number, f: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = Array.from({ length: items.length })
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await f(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
