import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { QueueAnswer, QueueQuery, SimilarAnswer } from '../../shared/desk/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { answer } from '../http/errors.ts'
import { visible } from '../incident/routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

export const deskRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/desk/queue', {
    schema: { querystring: QueueQuery, response: { 200: QueueAnswer, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.desk.queue(req.principal!, req.query), a => ({ ...a, items: a.items.map(i => visible(req, i)) })))

  app.get('/api/incidents/:id/similar', {
    schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: SimilarAnswer, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.desk.similar(req.params.id), list => list.map(c => ({ ...c, incident: visible(req, c.incident) }))))
}
