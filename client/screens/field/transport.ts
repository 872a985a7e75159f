import type { Transport } from './outbox.ts'
import { useSessionStore } from '../../auth/store.ts'
import { HttpError, sendJson } from '../../ui/http.ts'
import { SendError } from './outbox.ts'

/** Worth trying again later: no answer, the server is away or busy, or the session must be renewed first. */
const RETRY = (status: number) => status >= 500 || status === 408 || status === 429 || status === 401

function classify(err: unknown): SendError {
  if (err instanceof HttpError)
    return new SendError(err.message, RETRY(err.status), err.status, err.body)
  // fetch rejects (TypeError) when there is no network at all.
  return new SendError(err instanceof Error ? err.message : String(err), true)
}

/** The outbox's way to the server: same-origin fetch with the session cookie and the CSRF token. */
export const httpTransport: Transport = {
  async upload(photo) {
    const form = new FormData()
    form.append('file', photo, 'photo.jpg')
    const headers: Record<string, string> = { accept: 'application/json' }
    const csrf = useSessionStore().me?.csrf
    if (csrf)
      headers['x-csrf-token'] = csrf
    let res: Response
    try {
      res = await fetch('/api/photos', { method: 'POST', credentials: 'same-origin', headers, body: form })
    }
    catch (err) {
      throw classify(err)
    }
    const body = await res.json().catch(() => null) as { id?: string, message?: string } | null
    if (!res.ok || !body?.id)
      throw new SendError(body?.message ?? `photo upload: ${res.status}`, RETRY(res.status), res.status)
    return body.id
  },
  async post(path, body, opId) {
    try {
      return await sendJson<unknown>(path, body, { headers: { 'idempotency-key': opId } })
    }
    catch (err) {
      throw classify(err)
    }
  },
}
