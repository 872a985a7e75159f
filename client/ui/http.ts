// Calls to our own server. Same origin, so the session cookie goes with every request; mutations carry the
// CSRF token the session store got from /api/auth/me or the sign-in.

let csrfToken: string | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown = null) {
    super(message)
  }
}

async function fail(method: string, path: string, res: Response): Promise<never> {
  const body = await res.json().catch(() => null) as { message?: string } | null
  throw new HttpError(res.status, body?.message ?? `${method} ${path}: ${res.status} ${res.statusText}`, body)
}

/** GET a JSON resource; throws HttpError on anything but 2xx. */
export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...init?.headers } })
  if (!res.ok)
    return fail('GET', path, res)
  return await res.json() as T
}

/** Uploads one photo (`POST /api/photos`, multipart field `file`) with the CSRF token; answers its content address. */
export async function postPhoto(photo: Blob): Promise<string> {
  const form = new FormData()
  form.append('file', photo, 'photo.jpg')
  const headers: Record<string, string> = { accept: 'application/json' }
  if (csrfToken)
    headers['x-csrf-token'] = csrfToken
  const res = await fetch('/api/photos', { method: 'POST', credentials: 'same-origin', headers, body: form })
  const body = await res.json().catch(() => null) as { id?: string, message?: string } | null
  if (!res.ok || !body?.id)
    throw new HttpError(res.status, body?.message ?? `photo upload: ${res.status}`, body)
  return body.id
}

/** POST (or another mutation) with a JSON body and the CSRF token; 204 answers null. */
export async function sendJson<T>(path: string, body: unknown, opts: { method?: string, headers?: Record<string, string> } = {}): Promise<T> {
  const method = opts.method ?? 'POST'
  // No body, no content type: Fastify refuses an empty body declared as JSON.
  const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers }
  if (csrfToken)
    headers['x-csrf-token'] = csrfToken
  const res = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (!res.ok)
    return fail(method, path, res)
  return (res.status === 204 ? null : await res.json()) as T
}

/** Uploads one file (multipart field `file`) with the CSRF token; throws HttpError (with the answer's body) on a refusal. */
export async function postFile<T>(path: string, file: Blob, name: string): Promise<T> {
  const form = new FormData()
  form.append('file', file, name)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (csrfToken)
    headers['x-csrf-token'] = csrfToken
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers, body: form })
  if (!res.ok)
    return fail('POST', path, res)
  return await res.json() as T
}
