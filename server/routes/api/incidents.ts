import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../../../shared/schemas/incident.ts'
import type { AppContext } from '../../context.ts'
import type { ServiceResult } from '../../services/incidents.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../../shared/schemas/api.ts'
import { ActionBody, Incident, IncidentWithHistory, ReportBody } from '../../../shared/schemas/incident.ts'

const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }

// TODO(#3): the actor comes from the session; until then a caller may name one, else it acts as the API.
function actorOf(req: FastifyRequest, named?: Actor): Actor {
  return named ?? { personId: 'api', role: req.method === 'POST' && req.url === '/api/incidents' ? 'integration' : 'operator' }
}

function send<T>(reply: FastifyReply, res: ServiceResult<T>) {
  if (!res.ok) {
    const { ok: _ok, status, ...rest } = res
    return reply.code(status).send({ statusCode: status, ...rest })
  }
  if (res.replayed)
    reply.header('idempotent-replayed', 'true')
  return reply.code(res.status).send(res.data)
}

export const incidentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/incidents', {
    schema: { headers: IdemHeaders, body: ReportBody, response: { 201: Incident, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    const res = await ctx.incidents.report(req.body, {
      actor: actorOf(req, req.body.actor),
      opKey: key ? `report:${key}` : undefined,
      device: req.headers['user-agent']?.slice(0, 120),
    })
    return send(reply, res)
  })

  app.get('/api/incidents/:id', {
    schema: { params: IdParams, response: { 200: IncidentWithHistory, 404: ErrorResponse } },
  }, async (req, reply) => {
    const inc = await ctx.incidents.get(req.params.id)
    if (!inc)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `incident ${req.params.id} does not exist`, field: 'id' })
    return inc
  })

  app.post('/api/incidents/:id/actions', {
    schema: { params: IdParams, headers: IdemHeaders, body: ActionBody, response: { 200: Incident, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    const res = await ctx.incidents.act(req.params.id, req.body, {
      actor: actorOf(req, req.body.actor),
      opKey: key ? `action:${req.params.id}:${key}` : undefined,
      device: req.headers['user-agent']?.slice(0, 120),
    })
    return send(reply, res)
  })
}
