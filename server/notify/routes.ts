import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { Delivery } from '../../shared/notify/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { errorBody } from '../http/errors.ts'
import { answeredPage, linkPage, problemPage } from './page.ts'
import { handleCallback, verifyBody } from './sms-http.ts'

const Token = Type.Object({ token: Type.String({ maxLength: 64 }) })
const Page = Type.String({ description: 'a small zh-CN HTML page' })
const page = (summary: string, codes: number[]) => ({ params: Token, produces: ['text/html'], summary, response: Object.fromEntries(codes.map(c => [c, Page])) })

/** The SMS link's page and its one-tap answer, the HTTP gateway's callback, the deliveries for the board. */
export const notifyRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // In this plugin only: the gateway's callback is verified over its bytes as sent; the link page's form posts
  // an empty form.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    (req as { rawBody?: string }).rawBody = String(body)
    try {
      done(null, JSON.parse(String(body)))
    }
    catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined)
    }
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, _body, done) => done(null, {}))

  app.get('/t/:token', { schema: page('The SMS link\'s page: the task or message and one 收到 button (acknowledges nothing)', [200, 404]) }, async (req, reply) => {
    const { token } = req.params as { token: string }
    const v = await ctx.notify.view(token)
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8')
    return v.ok ? linkPage(v.data, token) : reply.code(404).send(problemPage(v.message))
  })

  app.post('/t/:token', { schema: page('The 收到 button: acknowledges the task (reads the message) as its person', [200, 404, 409]) }, async (req, reply) => {
    const { token } = req.params as { token: string }
    const r = await ctx.notify.acknowledgeLink(token, httpOrigin(req))
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8')
    if (!r.ok)
      return reply.code(r.code === 'not_found' ? 404 : 409).send(problemPage(r.message))
    const v = await ctx.notify.view(token)
    return answeredPage(v.ok ? v.data : null, r.data === 'already')
  })

  // The HTTP gateway's receipts and replies, signed with ONESCREEN_SMS_KEY (server/notify/sms-http.ts).
  app.post('/notify/sms/callback', { schema: { summary: 'The HTTP SMS gateway\'s receipts and replies, HMAC-signed (docs/notify.md)', body: Type.Unknown(), response: { 200: Type.Object({ ok: Type.Boolean() }), 400: ErrorResponse, 403: ErrorResponse } } }, async (req, reply) => {
    const key = ctx.config.notify.smsKey
    const raw = (req as { rawBody?: string }).rawBody ?? ''
    const h = req.headers as Record<string, string | undefined>
    if (!key || !verifyBody(key, h['x-timestamp'], h['x-signature'], raw, ctx.now()))
      return reply.code(403).send(errorBody(403, 'bad or stale signature (x-timestamp, x-signature)', { field: 'x-signature' }))
    return handleCallback(ctx.notify.smsEvents, req.body) ? { ok: true } : reply.code(400).send(errorBody(400, 'not a receipt or a reply', { field: 'type' }))
  })

  app.get('/api/deliveries', {
    schema: { querystring: Type.Object({ operationId: Type.Optional(Type.String({ maxLength: 80 })), subjectId: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 200: Type.Array(Delivery) } },
  }, async req => ctx.notify.list(req.query as { operationId?: string, subjectId?: string }))
}
