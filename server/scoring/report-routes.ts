import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { Headline, MonthQuery } from '../../shared/scoring/schema.ts'
import { monthlyCsv, monthlyWorkbook } from './report.ts'
import { gate, monthParam } from './routes.ts'
import { scoringOf } from './service.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }
const FileT = Type.Unsafe<string | Buffer>({ type: 'string', description: 'the report file' })
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The monthly evaluation report (admin): XLSX, CSV, and the headline figures with their definitions. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const scoring = scoringOf(ctx)

  for (const format of ['xlsx', 'csv'] as const) {
    // 200 is a file (a Buffer or a string with its own content type): Fastify sends it as it is.
    app.get(`/api/reports/monthly.${format}`, { schema: { querystring: MonthQuery, response: { 200: FileT, ...errors } } }, async (req, reply) => {
      const m = monthParam(ctx, req.query.month)
      if (!m.ok)
        return reply.code(400).send(m.error)
      if (!(await gate(ctx, req, reply, 'reports:read', `reports:monthly.${format}`, m.month, true)))
        return reply
      const result = await scoring.get(m.month)
      reply.header('content-disposition', `attachment; filename="onescreen-monthly-${m.month}.${format}"`)
      reply.header('cache-control', 'no-store')
      if (format === 'csv')
        return reply.type('text/csv; charset=utf-8').send(monthlyCsv(result, ctx.reference))
      return reply.type(XLSX_TYPE).send(await monthlyWorkbook(result, ctx.reference))
    })
  }

  app.get('/api/reports/headline', { schema: { querystring: MonthQuery, response: { 200: Headline, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    if (!(await gate(ctx, req, reply, 'reports:read', 'reports:headline', m.month)))
      return reply
    return { month: m.month, figures: (await scoring.get(m.month)).headline }
  })
}
