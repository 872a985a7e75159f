import type { Transport } from './outbox.ts'
import { HttpError, postPhoto, sendJson } from '../../ui/http.ts'
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
    try {
      return await postPhoto(photo)
    }
    catch (err) {
      throw classify(err)
    }
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
