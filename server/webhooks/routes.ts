import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { WebhookDeliveriesT, WebhookSavedT, WebhookSetT, WebhookSubscriptionT } from '../../shared/webhooks/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const KeyParams = Type.Object({ keyId: Type.String({ minLength: 1, maxLength: 64 }) })
const Recent = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) })

/** Outcome webhooks: a key's own callback (bearer token, scope callbacks:manage) and the admin's console. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const hooks = ctx.webhooks
  app.get('/api/webhooks/self', { schema: { response: { 200: WebhookSubscriptionT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.getSelf(httpCall(req))))
  app.put('/api/webhooks/self', { schema: { body: WebhookSetT, response: { 200: WebhookSavedT, 201: WebhookSavedT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.setSelf(httpCall(req), req.body)))
  app.delete('/api/webhooks/self', { schema: { response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await hooks.removeSelf(httpCall(req))
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })

  app.get('/api/webhooks', { schema: { response: { 200: Type.Array(WebhookSubscriptionT), ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.list(httpCall(req))))
  app.put('/api/webhooks/:keyId', { schema: { params: KeyParams, body: WebhookSetT, response: { 200: WebhookSavedT, 201: WebhookSavedT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.set(httpCall(req), req.params.keyId, req.body)))
  app.delete('/api/webhooks/:keyId', { schema: { params: KeyParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await hooks.remove(httpCall(req), req.params.keyId)
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })
  app.get('/api/webhooks/:keyId/deliveries', { schema: { params: KeyParams, querystring: Recent, response: { 200: WebhookDeliveriesT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.deliveries(httpCall(req), req.params.keyId, req.query.limit ?? 100)))
  app.post('/api/webhooks/:keyId/retry', { schema: { params: KeyParams, response: { 200: WebhookSubscriptionT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.retry(httpCall(req), req.params.keyId)))
  app.post('/api/webhooks/:keyId/pause', { schema: { params: KeyParams, response: { 200: WebhookSubscriptionT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.pause(httpCall(req), req.params.keyId, true)))
  app.post('/api/webhooks/:keyId/resume', { schema: { params: KeyParams, response: { 200: WebhookSubscriptionT, ...errors } } }, async (req, reply) =>
    answer(reply, await hooks.pause(httpCall(req), req.params.keyId, false)))
}
