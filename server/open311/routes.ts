import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Format, PostRequest } from '../../shared/open311/schema.ts'
import type { Lang } from '../../shared/open311/services.ts'
import type { AppContext } from '../context.ts'
import type { Open311Call } from './service.ts'
import { Type } from 'typebox'
import { ReadQuery, RequestsQuery } from '../../shared/open311/schema.ts'
import { definitionOf, servicesOf } from '../../shared/open311/services.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { failureError, httpError } from '../http/errors.ts'
import { gather, parseForm } from './body.ts'
import { errorPayload, send, toXml } from './format.ts'
import { createOpen311Service } from './service.ts'

// Open311 GeoReport v2 at /open311/v2 (docs/open311.md): each resource as .json and .xml. Every refusal on these
// paths, ours or Fastify's, answers in the spec's error format: `[{ code, description }]` or `<errors>`.

const V2 = '/open311/v2'
const FORMATS: Format[] = ['json', 'xml']
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })

const langOf = (locale?: string): Lang => (locale?.toLowerCase().startsWith('en') ? 'en' : 'zh')

function callOf(req: FastifyRequest, apiKey: string | undefined): Open311Call {
  return { apiKey: apiKey?.trim() || undefined, bearer: req.principal?.kind === 'key' ? req.principal : null, origin: httpOrigin(req) }
}

/** Any error body of the one API shape (validation, auth, 404, 415, 429) becomes the spec's, in the path's format. */
async function open311Errors(req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  reply.header('cache-control', 'no-store')
  if (reply.statusCode < 400 || typeof payload !== 'string')
    return payload
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  }
  catch {
    return payload
  }
  const message = (parsed as { message?: unknown } | null)?.message
  if (Array.isArray(parsed) || typeof message !== 'string')
    return payload
  const description = reply.statusCode === 415 ? `content-type ${(req.headers['content-type'] ?? '(none)').slice(0, 100)} is not read here: send application/x-www-form-urlencoded or application/json` : message
  const { type, body } = errorPayload(req.url, [{ code: reply.statusCode, description }])
  reply.type(type)
  return body
}

export const open311Routes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const open311 = createOpen311Service(ctx)
  // Form bodies are what GeoReport clients send; only these routes read them.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)))
  app.addHook('onSend', open311Errors)

  for (const format of FORMATS) {
    app.get(`${V2}/services.${format}`, { schema: { querystring: ReadQuery } }, async (req, reply) => {
      const list = servicesOf(ctx.catalog, langOf(req.query.locale))
      return send(reply, format, list, () => toXml.services(list))
    })

    app.get(`${V2}/services/:id.${format}`, { schema: { params: IdParams, querystring: ReadQuery } }, async (req, reply) => {
      const def = definitionOf(ctx.catalog, req.params.id)
      if (!def)
        throw httpError(404, `service_code ${req.params.id} is not a service of ours`, { field: 'service_code' })
      return send(reply, format, def, () => toXml.definition(def))
    })

    app.post(`${V2}/requests.${format}`, { schema: { headers: IdemHeaders, querystring: ReadQuery } }, async (req, reply) => {
      const { value, error } = gather(req.body)
      if (error)
        throw httpError(400, error.message, { field: error.field })
      const body = value as PostRequest
      const res = await open311.post(body, callOf(req, body.api_key ?? req.query.api_key), req.headers['idempotency-key'])
      if (!res.ok)
        throw failureError(res)
      if (res.replayed)
        reply.header('idempotent-replayed', 'true')
      return send(reply, format, res.data, () => toXml.requests(res.data), 201)
    })

    app.get(`${V2}/requests.${format}`, { schema: { querystring: RequestsQuery } }, async (req, reply) => {
      const res = await open311.list(req.query, callOf(req, req.query.api_key), langOf(req.query.locale))
      if (!res.ok)
        throw failureError(res)
      return send(reply, format, res.data, () => toXml.requests(res.data))
    })

    app.get(`${V2}/requests/:id.${format}`, { schema: { params: IdParams, querystring: ReadQuery } }, async (req, reply) => {
      const res = await open311.get(req.params.id, callOf(req, req.query.api_key), langOf(req.query.locale))
      if (!res.ok)
        throw failureError(res)
      return send(reply, format, [res.data], () => toXml.requests([res.data]))
    })

    app.get(`${V2}/tokens/:id.${format}`, { schema: { params: IdParams, querystring: ReadQuery } }, async (req, reply) => {
      const res = await open311.token(req.params.id, callOf(req, req.query.api_key))
      if (!res.ok)
        throw failureError(res)
      return send(reply, format, res.data, () => toXml.requests(res.data))
    })
  }
}

/** An unknown path under /open311: the spec's error format, in the format its suffix asks for. */
export function open311NotFound(req: FastifyRequest, reply: FastifyReply) {
  const { type, body } = errorPayload(req.url, [{ code: 404, description: `${req.method} ${req.url.split('?')[0]} does not exist` }])
  return reply.code(404).type(type).header('cache-control', 'no-store').send(body)
}
