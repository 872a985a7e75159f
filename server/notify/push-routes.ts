import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { PushEndpointT, PushKeyT, PushReceiptT, PushSubscribedT, PushSubscriptionT } from '../../shared/notify/push-schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** Web Push (#17): the key a phone subscribes with, its subscription, and its service worker's receipts. */
export const pushRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const push = ctx.push
  app.get('/api/push/key', { schema: { response: { 200: PushKeyT, ...errors } } }, async () => ({ publicKey: await push.publicKey() }))
  app.post('/api/push/subscriptions', { schema: { body: PushSubscriptionT, response: { 200: PushSubscribedT, 201: PushSubscribedT, ...errors } } }, async (req, reply) =>
    answer(reply, await push.subscribe(httpCall(req), req.body)))
  app.delete('/api/push/subscriptions', { schema: { body: PushEndpointT, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await push.unsubscribe(httpCall(req), req.body.endpoint)
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })
  app.post('/api/push/receipt', { schema: { body: PushReceiptT, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await push.receipt(httpCall(req), req.body.deliveryId)
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })
}
