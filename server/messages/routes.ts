import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { Message, MessageBody } from '../../shared/messages/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 422: ErrorResponse }
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })

/** One-click reach (一键直达): send a message to all responders or a selection; read the ones you may. */
export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/messages', { schema: { response: { 200: Type.Array(Message) } } }, async req => ctx.messages.listFor(req.principal!))

  app.post('/api/messages', { schema: { headers: IdemHeaders, body: MessageBody, response: { 200: Message, 201: Message, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.messages.send({ principal: req.principal!, origin: httpOrigin(req), opKey: req.headers['idempotency-key'] }, req.body)))
}
