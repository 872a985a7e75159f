import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../../shared/http/schema.ts'
import { PastOperation } from '../../../shared/wartime/schema.ts'
import { httpCall } from '../../auth/plugin.ts'
import { failureError } from '../../http/errors.ts'
import { renderReportHtml } from './html.ts'
import { renderReportXlsx } from './xlsx.ts'

const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Past operations and their after-action reports (#17): the desk's list and the downloads. */
export const afterActionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/operations', { schema: { response: { 200: Type.Array(PastOperation), ...errors } } }, async (req) => {
    const res = await ctx.afterAction.list(httpCall(req))
    if (!res.ok)
      throw failureError(res)
    return res.data
  })

  app.get('/api/operations/:id/report.:ext', {
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), ext: Type.Union([Type.Literal('html'), Type.Literal('xlsx')]) }),
      response: { 200: Type.Unknown({ description: 'the report (HTML page or XLSX workbook)' }), ...errors },
    },
  }, async (req, reply) => {
    const res = await ctx.afterAction.report(httpCall(req), req.params.id)
    if (!res.ok)
      throw failureError(res)
    const stem = `${res.data.exercise ? 'exercise' : 'operation'}-${req.params.id.replace(/[^\w-]/g, '_')}`
    const body = req.params.ext === 'html' ? renderReportHtml(res.data) : await renderReportXlsx(res.data)
    return reply.type(req.params.ext === 'html' ? 'text/html; charset=utf-8' : XLSX)
      .header('content-disposition', `attachment; filename="${stem}.${req.params.ext}"`)
      .send(body)
  })
}
