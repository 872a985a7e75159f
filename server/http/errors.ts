import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Failure, FailureCode, Result } from '../../shared/kernel/result.ts'
import type { Ack } from '../../shared/realtime/events.ts'
import { STATUS_CODES } from 'node:http'
import { httpErrors } from '@fastify/sensible'
import { StoreUnavailableError, VersionConflictError } from '../db/errors.ts'
import { describeError } from './validation.ts'

// The one error shape of every 4xx and 5xx: { statusCode, error, message, field?, state?, allowed? }. Routes throw
// http-errors (from @fastify/sensible) or answer a service's Result; everything else Fastify or a plugin throws is
// mapped here too, so a client never sees another shape.

const STATUS: Record<FailureCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  key_reused: 422,
  rate_limited: 429,
  unavailable: 503,
}

export interface ErrorExtra { field?: string, state?: string, allowed?: string[], retryAfterSeconds?: number }

/** An error to throw from a route: `throw httpError(404, 'incident x does not exist', { field: 'id' })`. */
export function httpError(status: number, message: string, extra: ErrorExtra = {}): Error {
  return httpErrors.createError(status, message, clean(extra))
}

export const statusOf = (f: Failure): number => STATUS[f.code]

/** A service's refusal as an error to throw from a route. */
export function failureError(f: Failure): Error {
  return httpError(statusOf(f), f.message, { field: f.field, state: f.state, allowed: f.allowed, retryAfterSeconds: f.retryAfterSeconds })
}

export function errorBody(status: number, message: string, extra: ErrorExtra = {}) {
  const { retryAfterSeconds: _, ...shown } = extra
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...clean(shown) }
}

/** Answers a service's Result: the value (201 when created, marked when replayed), or its refusal. */
export function answer<T>(reply: FastifyReply, res: Result<T>, view: (value: T) => unknown = v => v) {
  if (!res.ok)
    throw failureError(res)
  if (res.replayed)
    reply.header('idempotent-replayed', 'true')
  return reply.code(res.created ? 201 : 200).send(view(res.data))
}

/** The same Result as a socket acknowledgement. */
export function ackOf<T>(res: Result<T>, view: (value: T) => T = v => v): Parameters<Ack<T>>[0] {
  return res.ok ? { ok: true, data: view(res.data) } : { ok: false, status: statusOf(res), error: res.message, ...(res.field ? { field: res.field } : {}) }
}

/** Fastify's own errors that are the client's doing, with the field to fix. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number, field: string, message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, field: 'body', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, field: 'body', message: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, field: 'content-type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, field: 'content-length' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, field: 'body' },
  FST_ERR_BAD_URL: { status: 400, field: 'url' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, field: 'url' },
  FST_ERR_INVALID_URL: { status: 400, field: 'url' },
}

export function errorHandler(err: FastifyError & ErrorExtra, req: FastifyRequest, reply: FastifyReply) {
  // Two writers raced on one entity: the loser is told to re-read, never a 500.
  if ((err as unknown) instanceof VersionConflictError)
    return reply.code(409).send(errorBody(409, `${err.message}: read it again and retry`))
  // The disk is full or read-only, or another process holds the lock: this write fails, the server and reads go on.
  if ((err as unknown) instanceof StoreUnavailableError) {
    req.log.warn({ problem: (err as unknown as StoreUnavailableError).problem, url: req.url }, err.message)
    return reply.code(503).header('retry-after', '30').send(errorBody(503, err.message))
  }
  if (err.validation) {
    const first = describeError(err.validation[0] as never, err.validationContext === 'body' ? '' : err.validationContext)
    return reply.code(400).send(errorBody(400, first.message, { field: first.field }))
  }
  const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined
  if (known)
    return reply.code(known.status).send(errorBody(known.status, known.message ?? err.message, { field: known.field }))
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
  if (err.retryAfterSeconds)
    reply.header('retry-after', String(err.retryAfterSeconds))
  if (status >= 500)
    req.log.error({ err }, 'request failed')
  // A 5xx tells the client what happened only when the error says it may (http-errors' expose), never a stack.
  const exposed = status < 500 || (err as { expose?: boolean }).expose === true
  return reply.code(status).send(errorBody(status, exposed ? err.message : 'internal error', { field: err.field, state: err.state, allowed: err.allowed }))
}

/** Fastify's errors before a route runs (FST_ERR_BAD_URL, a content type it cannot parse): always a 400-class answer. */
export function frameworkErrorHandler(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined
  const status = known?.status ?? (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400)
  return reply.code(status).send(errorBody(status, known?.message ?? err.message, { field: known?.field ?? 'url' }))
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody(404, `${req.method} ${req.url.split('?')[0]} does not exist`, { field: 'url' }))
}

function clean(extra: ErrorExtra): ErrorExtra {
  return Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null)) as ErrorExtra
}
