import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import type { CallContext } from '../incident/service.ts'
import { Type } from 'typebox'
import { AnswerBody, HotlineOrderView, MarkBody, OrderParams, RequestParams } from '../../shared/hotline/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse }

function call(req: FastifyRequest & { headers: { 'idempotency-key'?: string } }, what: string): CallContext {
  const key = req.headers['idempotency-key']
  return { principal: req.principal!, origin: httpOrigin(req), opKey: key ? `hotline:${what}:${key}` : undefined }
}

/** The 12345 hotline's API (#16): its key (scope hotline:sync, server/auth/key-routes.ts) reads, marks and answers its orders. */
export const hotlineRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { hotline } = ctx

  app.get('/api/hotline/orders/:orderNo', {
    schema: { params: OrderParams, response: { 200: HotlineOrderView, ...errors } },
  }, async (req, reply) => answer(reply, await hotline.read(req.params.orderNo, call(req, 'read'))))

  app.post('/api/hotline/orders/:orderNo/marks', {
    schema: { params: OrderParams, headers: IdemHeaders, body: MarkBody, response: { 200: HotlineOrderView, ...errors } },
  }, async (req, reply) => answer(reply, await hotline.mark(req.params.orderNo, req.body, call(req, `mark:${req.params.orderNo}`))))

  app.post('/api/hotline/orders/:orderNo/requests/:index/answer', {
    schema: { params: RequestParams, headers: IdemHeaders, body: AnswerBody, response: { 200: HotlineOrderView, ...errors } },
  }, async (req, reply) => answer(reply, await hotline.answer(req.params.orderNo, req.params.index, req.body, call(req, `answer:${req.params.orderNo}:${req.params.index}`))))
}
