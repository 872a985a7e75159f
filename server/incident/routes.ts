import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Incident } from '../../shared/incident/schema.ts'
import type { AppContext } from '../context.ts'
import type { CallContext } from './service.ts'
import { Type } from 'typebox'
import { keyCovers, seesPersonalData } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { redactIncident } from '../../shared/incident/privacy.ts'
import { ActionBody, Incident as IncidentT, IncidentWithHistory, ReportBody } from '../../shared/incident/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { answer, httpError } from '../http/errors.ts'

const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse }

function call(req: FastifyRequest, opKey: string | undefined): CallContext {
  return { principal: req.principal!, origin: httpOrigin(req), opKey, device: req.headers['user-agent']?.slice(0, 120) }
}

/** What this caller may see of an incident. */
export function visible<T extends Incident>(req: FastifyRequest, inc: T): T {
  return req.principal && seesPersonalData(req.principal) ? inc : redactIncident(inc)
}

export const incidentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/incidents', {
    // 200: a 12345 order sent again, answered with the incident it became.
    schema: { headers: IdemHeaders, body: ReportBody, response: { 200: IncidentT, 201: IncidentT, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    return answer(reply, await ctx.incidents.report(req.body, call(req, key ? `report:${key}` : undefined)), inc => visible(req, inc))
  })

  app.get('/api/incidents/:id', {
    schema: { params: IdParams, response: { 200: IncidentWithHistory, 404: ErrorResponse } },
  }, async (req) => {
    const inc = await ctx.incidents.get(req.params.id)
    if (!inc || !keyCovers(req.principal!, inc.owner.communityId))
      throw httpError(404, `incident ${req.params.id} does not exist`, { field: 'id' })
    return visible(req, inc)
  })

  app.post('/api/incidents/:id/actions', {
    schema: { params: IdParams, headers: IdemHeaders, body: ActionBody, response: { 200: IncidentT, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    return answer(reply, await ctx.incidents.act(req.params.id, req.body, call(req, key ? `action:${req.params.id}:${key}` : undefined)), inc => visible(req, inc))
  })
}
