import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { reportText } from '../../shared/inforeport/draft.ts'
import { InfoReport, InfoReportEdit, InfoReportList, InfoReportSend } from '../../shared/inforeport/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { answer, httpError } from '../http/errors.ts'
import { reportHtml } from './html.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 502: ErrorResponse, 503: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const Version = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })
const call = (req: FastifyRequest) => ({ principal: req.principal!, origin: httpOrigin(req) })

/** The prescribed information reports (初报、续报、终报): every screen reads the clocks, the duty desk drafts and sends. */
export const infoReportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const found = async (id: string) => {
    const r = await ctx.inforeports.get(id)
    if (!r)
      throw httpError(404, `report ${id} does not exist`, { field: 'id' })
    return r
  }

  app.get('/api/inforeports', {
    schema: { querystring: Type.Object({ operationId: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 200: InfoReportList } },
  }, async req => ctx.inforeports.list(req.query.operationId))

  app.get('/api/inforeports/:id', { schema: { params: IdParams, response: { 200: InfoReport, 404: ErrorResponse } } }, async req => found(req.params.id))

  /** The text to paste into the district's system (a draft's as it stands, a sent one's as sent). */
  app.get('/api/inforeports/:id/text', { schema: { params: IdParams } }, async (req, reply) => {
    const r = await found(req.params.id)
    return reply.type('text/plain; charset=utf-8').send(r.text ?? (r.fields ? reportText(r.fields, r.sentAt) : ''))
  })

  app.get('/api/inforeports/:id/print', { schema: { params: IdParams } }, async (req, reply) => reply.type('text/html; charset=utf-8').send(reportHtml(await found(req.params.id))))

  app.post('/api/inforeports/:id/draft', {
    schema: { params: IdParams, body: Version, response: { 200: InfoReport, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.inforeports.redraft(call(req), req.params.id, req.body.version)))

  app.put('/api/inforeports/:id', {
    schema: { params: IdParams, body: InfoReportEdit, response: { 200: InfoReport, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.inforeports.edit(call(req), req.params.id, req.body)))

  app.post('/api/inforeports/:id/send', {
    schema: { params: IdParams, body: InfoReportSend, response: { 200: InfoReport, ...errors } },
  }, async (req, reply) => {
    const res = await ctx.inforeports.send(call(req), req.params.id, req.body)
    // The district's system refused or did not answer: a bad gateway, and the operator is told why.
    if (!res.ok && res.code === 'unavailable' && res.field === 'via')
      throw Object.assign(httpError(502, res.message, { field: 'via' }), { expose: true })
    return answer(reply, res)
  })
}
