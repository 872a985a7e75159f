// What a service answers: a value, or a refusal a person can act on. No transport status lives here:
// server/http/errors.ts maps each code to an HTTP status, and a socket acknowledgement carries the same.

export type FailureCode
  = | 'invalid' // the request is wrong: a field to fix
    | 'unauthenticated' // nobody is signed in, or the credential is not valid
    | 'forbidden' // the caller's role or territory does not allow it
    | 'not_found'
    | 'conflict' // the state moved on (another action came first, a version is stale, a month is frozen)
    | 'key_reused' // an idempotency key came back with another request body
    | 'too_large'
    | 'unsupported' // a media type this server cannot read
    | 'rate_limited'
    | 'unavailable' // the store cannot commit now; reads go on

export interface Failure {
  ok: false
  code: FailureCode
  message: string
  /** The field a person can fix. */
  field?: string
  /** For a refused incident action: the state it is in and the actions it allows. */
  state?: string
  allowed?: string[]
  /** For a refused rate: when to try again. */
  retryAfterSeconds?: number
}

export interface Success<T> {
  ok: true
  data: T
  /** Something new was made (HTTP answers 201). */
  created: boolean
  /** The answer is the stored one of an earlier request with the same idempotency key. */
  replayed: boolean
}

export type Result<T> = Success<T> | Failure

export function fail(code: FailureCode, message: string, field?: string, extra: Pick<Failure, 'state' | 'allowed' | 'retryAfterSeconds'> = {}): Failure {
  return { ok: false, code, message, ...(field === undefined ? {} : { field }), ...extra }
}

export function succeed<T>(value: T, opts: { created?: boolean, replayed?: boolean } = {}): Success<T> {
  return { ok: true, data: value, created: opts.created ?? false, replayed: opts.replayed ?? false }
}
